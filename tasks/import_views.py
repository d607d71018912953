"""Pages for importing a plan document: upload, progress, check and correct, confirm."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from orgs import policy
from orgs.models import Unit, UnitGroup
from reform import values
from tasks.choices import ImportStatus
from tasks.forms import PlanUploadForm
from tasks.import_messages import too_large_message
from tasks.importing.mending import lines_of
from tasks.models import PlanImport
from tasks.services.plan_import import ImportRefused, fallback_title
from tasks.services.plan_revision import revision_summary
from tasks.services.staged_import import (
    MEND_ACTIONS,
    decided,
    plan_upload_confirm,
    plan_upload_correct,
    plan_upload_mend,
    plan_upload_read,
    plan_upload_receive,
    release_stalled_uploads,
    staged_preview,
)

FINISHED = {ImportStatus.READY, ImportStatus.FAILED, ImportStatus.DONE}
PREVIEW_TASKS_A_PAGE = 100
PLAN_FIELDS = ("title", "doc_number", "issuer", "issued_on")


def _staged(request, pk) -> PlanImport:
    # Importing is staff's work: nobody else learns that an upload exists.
    if not policy.can_manage(request.user):
        raise PermissionDenied
    release_stalled_uploads()
    return get_object_or_404(PlanImport.objects.select_related("created_by", "plan"), pk=pk)


@login_required
def import_list(request):
    if not policy.can_manage(request.user):
        raise PermissionDenied
    declared = values.declared_length(request)
    if request.method == "POST" and declared > settings.IMPORT_MAX_BYTES + _FORM_OVERHEAD:
        # Refused on the declared length, before the body is read.
        return _upload_page(request, PlanUploadForm(), status=413, error=too_large_message(declared))
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            staged = plan_upload_receive(
                upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"], user=request.user
            )
        except ImportRefused as error:
            form.add_error("file", error.messages)
        else:
            return redirect("tasks:import_detail", pk=staged.pk)
    return _upload_page(request, form)


_FORM_OVERHEAD = 64 * 1024  # the multipart form around the file


def _upload_page(request, form, status=200, error=None):
    release_stalled_uploads()
    uploads = values.page_of(
        Paginator(PlanImport.objects.select_related("created_by", "plan"), 20), request.GET.get("page")
    )
    context = {"form": form, "uploads": uploads, "error": error}
    return render(request, "tasks/import_list.html", context, status=status)


@login_required
def import_detail(request, pk):
    staged = _staged(request, pk)
    if request.method == "POST":
        return _correct(request, staged)
    context = {"staged": staged, "finished": staged.status in FINISHED}
    if staged.status == ImportStatus.READY:
        context.update(_preview_context(staged, request.GET.get("page")))
    return render(request, "tasks/import_detail.html", context)


def _preview_context(staged: PlanImport, page_value) -> dict:
    """The preview a page of tasks at a time: a form of any plan's size posts a page's fields only."""
    preview = staged_preview(staged)
    warnings_by_line: dict[int, list[str]] = {}
    for line, message in preview.warnings:
        warnings_by_line.setdefault(line, []).append(message)
    tasks = preview.parsed.tasks
    page = values.page_of(Paginator(range(len(tasks)), PREVIEW_TASKS_A_PAGE), page_value)
    rows = [
        {
            "index": index,
            "task": tasks[index],
            "lead": [(name, preview.units[name]) for name in tasks[index].lead_units],
            "responsible": [(name, preview.units[name]) for name in tasks[index].responsible_units],
            "warnings": warnings_by_line.get(tasks[index].line, []),
            "last_line": lines_of(tasks[index])[-1],
        }
        for index in page.object_list
    ]
    task_lines = {task.line for task in tasks}  # a task's own warnings stand in its row, on its page
    shown_names = {name for row in rows for name in (*row["task"].lead_units, *row["task"].responsible_units)}
    unknown = [
        (index, name, staged.unit_choices.get(name, ""))
        for index, name in enumerate(preview.unknown_names)
        if name in shown_names
    ]
    return {
        "preview": preview,
        "plan_title": preview.parsed.title or fallback_title(preview),
        "page": page,
        "source": _source_lines(preview.parsed, page),
        "task_count": len(tasks),
        "revision": revision_summary(preview.revision) if preview.revision else None,
        "rows": rows,
        "unknown": unknown,
        "unit_options": [(f"unit:{pk}", name) for pk, name in _unit_options(staged)],
        "group_options": [(f"group:{pk}", name) for pk, name in UnitGroup.objects.values_list("pk", "name")],
        "general_warnings": [message for line, message in preview.warnings if line not in task_lines],
    }


def _source_lines(parsed, page) -> list[dict]:
    """The source text beside a page of tasks: its lines from just after the previous page's last task
    to this page's last (to the end on the last page), each with the task it belongs to, if any."""
    tasks = parsed.tasks
    if parsed.from_table or not tasks:
        return []
    first_index, last_index = page.object_list[0], page.object_list[-1]
    start = lines_of(tasks[first_index - 1])[-1] + 1 if first_index else 1
    end = lines_of(tasks[last_index])[-1] if page.has_next() else None
    owner = {number: index for index in page.object_list for number in lines_of(tasks[index])}
    source = []
    for number, text in enumerate(parsed.text.splitlines(), start=1):
        if number < start or (end is not None and number > end) or not text.strip():
            continue
        index = owner.get(number)
        source.append(
            {"number": number, "text": text, "index": index, "task": tasks[index] if index is not None else None}
        )
    return source


def _unit_options(staged: PlanImport):
    """Active units, and any unit chosen before and stopped since: shown chosen, it stays chosen."""
    kept = [key for kind, key in decided(staged.unit_choices).values() if kind == "unit"]
    return Unit.objects.filter(Q(is_active=True) | Q(pk__in=kept)).values_list("pk", "name")


def _correct(request, staged: PlanImport):
    post = request.POST
    count = len(staged.parsed["tasks"]) if staged.parsed else 0

    def indexed(prefix):
        return {i: post[f"{prefix}-{i}"] for i in range(count) if f"{prefix}-{i}" in post}

    choices = {
        post[key]: post.get(f"choice-{key.removeprefix('name-')}", "") for key in post if key.startswith("name-")
    }
    try:
        plan_upload_correct(
            import_id=staged.pk,
            titles=indexed("title"),
            leads=indexed("lead"),
            responsibles=indexed("responsible"),
            choices=choices,
            plan_fields={name: post[f"plan-{name}"] for name in PLAN_FIELDS if f"plan-{name}" in post},
        )
        if post.get("action") == "confirm":
            # Corrections first, so that what staff see is what is imported.
            plan_upload_confirm(import_id=staged.pk, user=request.user)
    except ImportRefused as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_page(request, staged)
    staged.refresh_from_db()
    if staged.status == ImportStatus.DONE:
        messages.success(request, _("The plan “%(title)s” was imported.") % {"title": staged.plan.title})
    elif staged.error:
        messages.error(request, staged.error)
    elif post.get("action") != "confirm":
        messages.success(request, _("Corrections saved."))
    return _back_to_page(request, staged)


def _back_to_page(request, staged: PlanImport):
    """Back to the page of tasks the form was on."""
    response = redirect("tasks:import_detail", pk=staged.pk)
    page = values.page_number(request.GET.get("page"), last=values.MAX_ID)
    if page > 1:
        response["Location"] += f"?page={page}"
    return response


@login_required
@require_POST
def import_mend(request, pk):
    """Make a task from source lines, or split, merge or drop one: a button of the preview says which."""
    staged = _staged(request, pk)
    action, _sep, target = request.POST.get("op", "").partition(":")
    try:
        if action not in MEND_ACTIONS:
            raise values.BadValue(_("Choose what to do with the task."))
        index = line = None
        if action != "make":
            index_text, _sep, line_text = target.partition(":")
            index, line = values.whole_number(index_text), values.whole_number(line_text)
        numbers = {name: _line_number(request.POST, name) for name in ("first", "last")}
        if action == "split":
            numbers["at"] = _line_number(request.POST, f"at-{index}")
        shown = plan_upload_mend(import_id=staged.pk, action=action, index=index, line=line, **numbers)
    except values.BadValue as error:
        messages.error(request, error.message)
        return _back_to_page(request, staged)
    except ImportRefused as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_page(request, staged)
    messages.success(request, MEND_DONE[action])
    page = shown // PREVIEW_TASKS_A_PAGE + 1
    response = redirect("tasks:import_detail", pk=staged.pk)
    response["Location"] += (f"?page={page}" if page > 1 else "") + f"#task-{shown}"
    return response


MEND_DONE = {
    "make": gettext_lazy("The task was made from the lines chosen."),
    "split": gettext_lazy("The task was split in two."),
    "merge": gettext_lazy("The task was merged into the one before it."),
    "drop": gettext_lazy("The task was dropped; its lines are still in the source text, to be made into a task again."),
}


def _line_number(post, name: str) -> int | None:
    """A line number from the form: empty is none, anything else not a number is refused."""
    value = post.get(name, "").strip()
    if not value:
        return None
    try:
        return values.whole_number(value, minimum=1)
    except values.BadValue:
        raise values.BadValue(_("“%(value)s” is not a line number.") % {"value": value}) from None


@login_required
def import_progress(request, pk):
    staged = _staged(request, pk)
    response = render(request, "includes/import_progress.html", {"staged": staged})
    if staged.status in FINISHED:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_retry(request, pk):
    staged = _staged(request, pk)
    plan_upload_read(import_id=staged.pk)
    return redirect("tasks:import_detail", pk=staged.pk)


@login_required
def import_discard(request, pk):
    staged = _staged(request, pk)
    if staged.status in {ImportStatus.DONE, ImportStatus.IMPORTING}:
        messages.error(request, _("An import that has started or finished cannot be discarded."))
        return redirect("tasks:import_detail", pk=staged.pk)
    if request.method == "POST":
        staged.file.delete(save=False)
        staged.delete()
        messages.success(request, _("The upload “%(name)s” was discarded.") % {"name": staged.original_name})
        return redirect("tasks:import_list")
    return render(request, "tasks/import_discard.html", {"staged": staged})
