import re

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from orgs import policy
from reports.documents import parse_day
from reports.models import GeneratedReport, ReportStatus
from reports.snapshot import Snapshot, narrowed, snapshot
from tasks.filters import ASSIGNMENT_FIELDS, TaskFilter
from tasks.models import Task


def reports_for(user) -> QuerySet[GeneratedReport]:
    """Reports a user may list and fetch: their own; all, for those who see everything."""
    reports = GeneratedReport.objects.select_related("plan", "unit", "task", "created_by")
    if policy.sees_everything(user):
        return reports
    if policy.role_of(user) is None:  # signed out or stopped: nobody's
        return reports.none()
    return reports.filter(created_by=user)


# As people type a code: any case, spaces or dashes anywhere, O for 0 and I or L for 1 (Crockford).
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(r"[0-9A-Z]{12,16}")


def issued_report(code: str) -> GeneratedReport | None:
    """The report issued under a verification code as someone reads it off a printed page."""
    letters = re.sub(r"[\s\-‐‑–—_]", "", (code or "")[:64]).upper()
    if not _CODE.fullmatch(letters):
        return None
    candidates = {letters, letters.translate(_MISREAD)}  # a code of the old kind (hex) has no O, I, L
    grouped = ["-".join(c[i : i + 4] for i in range(0, len(c), 4)) for c in candidates]
    return (
        GeneratedReport.objects.select_related("plan", "unit", "task__plan", "created_by__unit")
        .filter(code__in=grouped, status=ReportStatus.DONE)
        .first()
    )


def _task_level(data) -> dict:
    """The task list's filters of the task itself, without those of its units' work."""
    return {name: value for name, value in data.items() if name not in ASSIGNMENT_FIELDS}


def ledger_selection(user, data) -> Snapshot:
    """The work the task list's filters (``data``, with ``as_of``) choose, as ``user`` sees it; a
    ValidationError says what is wrong with the choice."""
    tasks = Task.objects.visible_to(user).select_related("plan")
    filters = TaskFilter(data, queryset=tasks, user=user)
    if not filters.is_valid():
        raise ValidationError(
            [f"{filters.form.fields[name].label}：{' '.join(errors)}" for name, errors in filters.errors.items()]
        )
    chosen = filters.form.cleaned_data
    if not chosen.get("plan"):
        raise ValidationError(_("Choose a plan first: a ledger is kept plan by plan."))
    # A past day's ledger is chosen by the tasks and the work as they stood that day: narrowed() applies
    # every filter to the snapshot's versions. Today's rows can choose the tasks first, as they are.
    as_of = parse_day(data.get("as_of"))
    of_plan = {"plan": str(chosen["plan"].pk)}
    taken = snapshot(
        chosen["plan"],
        user,
        as_of=as_of,
        task_ids=TaskFilter(of_plan if as_of else _task_level(data), queryset=tasks, user=user).qs.values("pk"),
        unit_id=chosen["unit"].pk if chosen.get("unit") else None,
    )
    selected = narrowed(
        taken,
        status=chosen.get("status"),
        role=chosen.get("role"),
        light=chosen.get("light"),
        section_id=chosen["section"].pk if chosen.get("section") else None,
        due_after=chosen.get("due_after"),
        due_before=chosen.get("due_before"),
        search=chosen.get("q") or "",
    )
    if not selected.work:
        raise ValidationError(_("Nothing matches these filters: there is no ledger to make."))
    return selected
