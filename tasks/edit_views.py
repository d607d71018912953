"""Staff correct a task after the import: its text, milestones and assigned units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs import policy
from tasks.forms import AssignmentAddForm, MilestoneFormSet, TaskEditForm
from tasks.models import Assignment, Task
from tasks.services import MilestoneDraft, assignment_add, assignment_remove, task_edit, with_records_flag


def _staff_task(request, pk) -> Task:
    if not policy.can_manage(request.user):
        raise PermissionDenied
    return get_object_or_404(Task.objects.visible_to(request.user).select_related("plan", "section"), pk=pk)


def _drafts(formset) -> list[MilestoneDraft]:
    drafts = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("text", "").strip():
            continue
        names = [line.strip().strip("《》") for line in data["deliverables"].splitlines()]
        drafts.append(MilestoneDraft(pk=data.get("id"), due=data.get("due"), text=data["text"], deliverables=names))
    return drafts


@login_required
def task_edit_page(request, pk):
    task = _staff_task(request, pk)
    milestones = list(task.milestones.order_by("position"))
    if request.method == "POST":
        form = TaskEditForm(request.POST, plan=task.plan)
        formset = MilestoneFormSet(request.POST, prefix="milestones")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                task_edit(
                    task_id=task.pk,
                    user=request.user,
                    number=data["number"],
                    title=data["title"],
                    body=data["body"],
                    section_id=data["section"].pk if data["section"] else None,
                    milestones=_drafts(formset),
                    expected_updated_at=data["updated_at"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The task was saved."))
                return redirect("tasks:task_detail", pk=task.pk)
    else:
        form = TaskEditForm(
            plan=task.plan,
            initial={
                "number": task.number,
                "title": task.title,
                "body": task.body,
                "section": task.section_id,
                "updated_at": task.updated_at,
            },
        )
        formset = MilestoneFormSet(
            prefix="milestones",
            initial=[
                {"id": m.pk, "due": m.due, "text": m.text, "deliverables": "\n".join(m.deliverables)}
                for m in milestones
            ],
        )
    assignments = (
        with_records_flag(Assignment.objects.filter(task=task)).select_related("unit").order_by("role", "unit__name")
    )
    context = {
        "task": task,
        "form": form,
        "formset": formset,
        "assignments": assignments,
        "add_form": AssignmentAddForm(),
    }
    return render(request, "tasks/task_edit.html", context)


@login_required
@require_POST
def task_unit_add(request, pk):
    task = _staff_task(request, pk)
    form = AssignmentAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and its role."))
        return redirect("tasks:task_edit", pk=task.pk)
    try:
        assignment = assignment_add(
            task_id=task.pk, user=request.user, unit_id=form.cleaned_data["unit"].pk, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(unit)s was assigned.") % {"unit": assignment.unit.name})
    return redirect("tasks:task_edit", pk=task.pk)


@login_required
def task_unit_remove(request, pk):
    if not policy.can_manage(request.user):
        raise PermissionDenied
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user).select_related("task", "unit"), pk=pk)
    if request.method == "POST":
        try:
            assignment_remove(assignment_id=assignment.pk, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(unit)s was removed from the task.") % {"unit": assignment.unit.name})
        return redirect("tasks:task_edit", pk=assignment.task_id)
    return render(request, "tasks/task_unit_remove.html", {"assignment": assignment})
