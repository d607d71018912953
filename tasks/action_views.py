"""What users do to assignments from the task page: report, submit, review; evidence downloads."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from orgs import policy
from reform import values
from reform.files import file_download
from tasks.drafts import keep_report_draft
from tasks.forms import ProgressReportForm, ReviewForm
from tasks.models import Assignment, Evidence, ExtensionRequest, Milestone, Question, SupervisionNotice, Task
from tasks.services import (
    assignment_transition,
    assignments_review,
    deliverables_of,
    evidence_delete,
    extension_decide,
    extension_request,
    instruction_add,
    milestone_mark_done,
    notice_close,
    notice_issue,
    notice_respond,
    progress_report_submit,
    question_answer,
    question_ask,
    task_change_due,
)


def _posted_day(request, name: str, missing) -> datetime.date:
    """A day from the form; BadValue says what to enter instead."""
    given = values.day(request.POST.get(name))
    if given is None:
        raise values.BadValue(missing)
    return given


def _back_to_task(assignment_id, user):
    task_id = Assignment.objects.visible_to(user).filter(pk=assignment_id).values_list("task_id", flat=True).first()
    if task_id is None:
        raise Http404
    return redirect("tasks:task_detail", pk=task_id)


@login_required
@require_POST
def report_submit(request, pk):
    deliverables = deliverables_of(Milestone.objects.filter(task__assignments=pk).order_by("position"))
    form = ProgressReportForm(request.POST, request.FILES, deliverables=deliverables)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _report_refused(request, pk)
    data = form.cleaned_data
    try:
        progress_report_submit(
            assignment_id=pk,
            user=request.user,
            period=data["period"],
            text=data["text"],
            percent=data["percent"],
            files=data["files"],
            done=data["done"],
            combined=data["combined"],
            delivers=data.get("delivers", ()),
            expected_version=data["version"],
        )
    except Assignment.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _report_refused(request, pk)
    messages.success(request, _("Submitted for review.") if data["done"] else _("Progress reported."))
    return _back_to_task(pk, request.user)


def _report_refused(request, pk):
    """Back to the task, the text typed kept for the form (drafts.py); files are asked for again."""
    keep_report_draft(request.session, pk, request.POST)
    if request.FILES:
        messages.info(request, _("What you typed is kept below; choose the files again."))
    return _back_to_task(pk, request.user)


@login_required
@require_POST
def assignment_action(request, pk, action):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page and try again."))
        return _back_to_task(pk, request.user)
    try:
        assignment_transition(
            assignment_id=pk,
            user=request.user,
            action=action,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except Assignment.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return _back_to_task(pk, request.user)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    return file_download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type or "application/octet-stream"
    )


@login_required
def evidence_remove(request, pk):
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user).select_related("report__assignment"), pk=pk)
    if request.method == "POST":
        try:
            evidence_delete(evidence_id=pk, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file “%(name)s” was withdrawn.") % {"name": evidence.original_name})
        return redirect("tasks:task_detail", pk=evidence.report.assignment.task_id)
    return render(request, "tasks/evidence_remove.html", {"evidence": evidence})


@login_required
@require_POST
def extension_ask(request, pk):
    try:
        proposed = _posted_day(request, "proposed_due", _("Enter the new due date."))
    except values.BadValue as error:
        messages.error(request, error.message)
        return _back_to_task(pk, request.user)
    try:
        extension_request(
            assignment_id=pk, user=request.user, reason=request.POST.get("reason", ""), proposed_due=proposed
        )
    except Assignment.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The extension request was sent."))
    return _back_to_task(pk, request.user)


@login_required
@require_POST
def extension_decision(request, pk):
    extension = get_object_or_404(ExtensionRequest.objects.visible_to(request.user), pk=pk)
    try:
        extension_decide(
            request_id=pk,
            user=request.user,
            approve=request.POST.get("approve") == "1",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decided."))
    return _back_to_task(extension.assignment_id, request.user)


@login_required
@require_POST
def task_due_change(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    try:
        due = _posted_day(request, "due", _("Enter the new due date."))
        task_change_due(task_id=task.pk, user=request.user, due=due, reason=request.POST.get("reason", ""))
    except values.BadValue as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The due date was changed."))
    return redirect("tasks:task_detail", pk=task.pk)


@login_required
@require_POST
def instruction_give(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    if not policy.can_instruct(request.user):
        raise PermissionDenied(_("Instructions are given by leaders."))
    try:
        instruction_add(
            task_id=task.pk,
            user=request.user,
            text=request.POST.get("text", ""),
            assignment_id=values.optional_id(request.POST.get("assignment")),
        )
    except values.BadValue as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The instruction was recorded."))
    return redirect("tasks:task_detail", pk=task.pk)


@login_required
@require_POST
def notice_give(request, pk):
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)
    try:
        respond_by = _posted_day(request, "respond_by", _("Enter the date to respond by."))
        notice = notice_issue(
            assignment_id=assignment.pk,
            user=request.user,
            grade=request.POST.get("grade", ""),
            text=request.POST.get("text", ""),
            respond_by=respond_by,
        )
    except values.BadValue as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Notice %(number)s issued.") % {"number": notice.number})
    return redirect("tasks:task_detail", pk=assignment.task_id)


@login_required
@require_POST
def question_ask_page(request, pk):
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)
    _told(
        request,
        lambda: question_ask(assignment_id=assignment.pk, user=request.user, text=request.POST.get("text", "")),
        _("Your question was sent to the office; the answer will reach you."),
    )
    return redirect(f"{reverse('tasks:task_detail', args=[assignment.task_id])}#questions")


@login_required
@require_POST
def question_answer_page(request, pk):
    """Answered on the task page or in staff's queue (``back=queue``), where the answer leads back."""
    question = get_object_or_404(Question.objects.visible_to(request.user).select_related("assignment"), pk=pk)
    _told(
        request,
        lambda: question_answer(question_id=question.pk, user=request.user, text=request.POST.get("text", "")),
        _("The answer was sent to the unit."),
    )
    if request.POST.get("back") == "queue":
        return redirect(f"{reverse('tasks:review_queue')}#questions")
    return redirect(f"{reverse('tasks:task_detail', args=[question.assignment.task_id])}#questions")


def _notice_action(request, pk, service, **fields):
    notice = get_object_or_404(SupervisionNotice.objects.visible_to(request.user).select_related("assignment"), pk=pk)
    _told(request, lambda: service(notice_id=notice.pk, user=request.user, **fields), _("Done."))
    return redirect("tasks:task_detail", pk=notice.assignment.task_id)


def _told(request, act, done: str) -> None:
    """Do ``act``; tell its refusal, or ``done``."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


@login_required
@require_POST
def notice_answer(request, pk):
    return _notice_action(request, pk, notice_respond, text=request.POST.get("text", ""))


@login_required
@require_POST
def notice_end(request, pk):
    return _notice_action(request, pk, notice_close, reason=request.POST.get("reason", ""))


@login_required
def notice_print(request, pk):
    notice = get_object_or_404(
        SupervisionNotice.objects.visible_to(request.user).select_related(
            "assignment__unit", "assignment__task__plan", "issued_by"
        ),
        pk=pk,
    )
    return render(request, "tasks/notice_print.html", {"notice": notice})


@login_required
@require_POST
def milestone_done(request, pk, milestone_pk):
    try:
        milestone_mark_done(assignment_id=pk, milestone_id=milestone_pk, user=request.user)
    except Assignment.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Milestone marked done."))
    return _back_to_task(pk, request.user)


@login_required
@require_POST
def review_bulk(request):
    """Accept or return the submissions ticked in the queue, with one comment (assignments_review)."""
    if not policy.can_manage(request.user):
        raise PermissionDenied
    try:
        chosen = [values.id_number(value) for value in request.POST.getlist("assignment")]
        items = [(pk, values.version_number(request.POST.get(f"version-{pk}"))) for pk in dict.fromkeys(chosen)]
    except values.BadValue as error:
        messages.error(request, error.message)
        return redirect("tasks:review_queue")
    if not items:
        messages.error(request, _("Tick the submissions to act on."))
        return redirect("tasks:review_queue")
    action = request.POST.get("action", "")
    try:
        outcome = assignments_review(
            user=request.user, action=action, items=items, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tasks:review_queue")
    if outcome.done:
        count = len(outcome.done)
        done = (
            ngettext("%(count)d submission accepted.", "%(count)d submissions accepted.", count)
            if action == "accept"
            else ngettext("%(count)d submission returned.", "%(count)d submissions returned.", count)
        )
        messages.success(request, done % {"count": count})
    for work, why in outcome.refused:
        messages.error(request, _("Not done for %(work)s: %(why)s") % {"work": work, "why": why})
    return redirect("tasks:review_queue")
