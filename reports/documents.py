"""The report kinds besides the plan's progress report: a unit's report (单位报告), the overdue
bulletin (督办通报) and a task's dossier (任务档案). Each reads a snapshot, so each can show a past day,
and each is rendered by the same PDF template base as the progress report."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from orgs.models import Unit
from reform import values
from reports.ledger import is_overdue, status_label
from reports.models import ReportKind
from reports.progress import (
    Draft,
    RenderedReport,
    evidence_index,
    no_progress,
    progress_report,
    render_pdf,
)
from reports.snapshot import Snapshot, TaskState, UnitWork, check_as_of, snapshot
from tasks.asof import as_of_versions, day_end
from tasks.changes import task_history
from tasks.choices import AssignmentStatus
from tasks.models import (
    Assignment,
    ExtensionRequest,
    Milestone,
    NoticeEscalation,
    Plan,
    ProgressReport,
    Question,
    StatusChange,
    SupervisionNotice,
    Task,
)
from tasks.selectors import instructions_for


def unit_report(unit: Unit, user, *, as_of: datetime.date | None = None) -> Draft:
    """One unit's assignments in every plan it has work in, and how far each has got."""
    if not (policy.sees_everything(user) or policy.can_act_for_unit(user, unit.pk)):
        raise PermissionDenied(_("A unit's report is for the unit itself and for SASAC staff."))
    plans = Plan.objects.visible_to(user).filter(tasks__assignments__unit=unit).distinct().order_by("-issued_on", "pk")
    taken = [s for s in (snapshot(plan, user, as_of=as_of, unit_id=unit.pk) for plan in plans) if s.tasks]
    if not taken:
        raise ValueError(_("%(unit)s has no assignment to report on.") % {"unit": unit.name})
    day = taken[0].day
    plans = [(s.plan, [(task, work, status_label(work, day)) for task, work in s.work]) for s in taken]
    work = [w for s in taken for _task, w in s.work if w.status != AssignmentStatus.CANCELLED]
    context = {
        "unit": unit,
        "day": day,
        "plans": plans,
        "assignments": len(work),
        "accepted": sum(1 for w in work if w.status == AssignmentStatus.ACCEPTED),
        "overdue": sum(1 for w in work if is_overdue(w, day)),
        "header": unit.name,
    }
    return Draft("reports/pdf/unit.html", context)


# Overdue work named per unit in the bulletin, the longest overdue first; the rest are counted, and the
# work ledger filtered by the red light lists them all.
NAMED_PER_UNIT = 20


@dataclass(frozen=True)
class UnitStanding:
    unit: str
    kind: str
    total: int
    accepted: int
    late: list[tuple[TaskState, UnitWork, int, list]]  # (task, work, days late, notices)

    @property
    def rate(self) -> float:
        return self.accepted / self.total if self.total else 0.0

    @property
    def named(self) -> list:
        return self.late[:NAMED_PER_UNIT]

    @property
    def unnamed(self) -> int:
        return max(len(self.late) - NAMED_PER_UNIT, 0)


def overdue_bulletin(taken: Snapshot) -> Draft:
    """Overdue work by unit, units ranked by completion rate and overdue count, with the notices issued."""
    notices = _notices(taken)
    by_unit: dict[str, list[tuple[TaskState, UnitWork]]] = defaultdict(list)
    for task, work in taken.work:
        if work.status != AssignmentStatus.CANCELLED:
            by_unit[work.unit_name].append((task, work))
    standings = []
    for name, items in by_unit.items():
        late = [
            (task, work, (taken.day - work.due).days, notices.get(work.assignment_id, []))
            for task, work in items
            if is_overdue(work, taken.day)
        ]
        accepted = sum(1 for _task, work in items if work.status == AssignmentStatus.ACCEPTED)
        standings.append(
            UnitStanding(name, items[0][1].unit_kind, len(items), accepted, sorted(late, key=lambda x: -x[2]))
        )
    ranked = sorted(standings, key=lambda s: (-s.rate, len(s.late), s.unit))
    context = {
        "plan": taken.plan,
        "day": taken.day,
        "ranked": ranked,
        "late_units": [s for s in sorted(standings, key=lambda s: (-len(s.late), s.unit)) if s.late],
        "header": taken.plan.title,
    }
    return Draft("reports/pdf/overdue.html", context)


def _notices(taken: Snapshot) -> dict[int, list]:
    """Notices issued by the snapshot's day, by assignment: (number, grade label)."""
    ids = [work.assignment_id for _task, work in taken.work]
    found = SupervisionNotice.objects.filter(assignment_id__in=ids).order_by("issued_at")
    if taken.as_of:
        found = found.filter(issued_at__lt=day_end(taken.as_of))
    notices = defaultdict(list)
    for notice in found:
        notices[notice.assignment_id].append((notice.number, notice.get_grade_display()))
    return notices


def _milestones(task: Task, moment):
    if moment is None:
        return Milestone.objects.filter(task=task).order_by("position")
    return as_of_versions(Milestone.history.filter(task_id=task.pk), moment).order_by("position")


def task_dossier(task: Task, user, *, as_of: datetime.date | None = None) -> Draft:
    """Everything on one task: its text, milestones, every report, review, 批示, extension request and
    decision, notice with its raises and answer, unit's question with its answer, the evidence with
    SHA-256, and the history of its changes; those of the user's view, as they stood at the day's end."""
    taken = snapshot(task.plan, user, as_of=as_of, task_ids=[task.pk], withdrawn=True)
    if not taken.tasks:
        raise PermissionDenied(_("The task is not one you may see."))
    state = taken.tasks[0]
    ids = [work.assignment_id for work in state.work]
    moment = day_end(as_of) if as_of else None

    def by_then(rows, field):
        return rows.filter(**{f"{field}__lt": moment}) if moment else rows

    reports = by_then(ProgressReport.objects.filter(assignment_id__in=ids), "created_at").select_related(
        "assignment__unit", "author"
    )
    reviews = by_then(StatusChange.objects.filter(assignment_id__in=ids), "created_at").select_related(
        "assignment__unit", "actor"
    )
    notices = list(
        by_then(SupervisionNotice.objects.filter(assignment_id__in=ids), "issued_at")
        .select_related("assignment__unit")
        .order_by("issued_at")
    )
    raises = defaultdict(list)
    for escalation in by_then(NoticeEscalation.objects.filter(notice__in=notices), "escalated_at"):
        raises[escalation.notice_id].append(escalation)
    for notice in notices:
        notice.raises = raises[notice.pk]
        notice.answered = notice.responded_at is not None and (moment is None or notice.responded_at < moment)
    extensions = list(
        by_then(ExtensionRequest.objects.filter(assignment_id__in=ids), "created_at")
        .select_related("assignment__unit", "requested_by", "decided_by")
        .order_by("created_at")
    )
    for extension in extensions:
        extension.decided = extension.decided_at is not None and (moment is None or extension.decided_at < moment)
    instructions = by_then(instructions_for(user).filter(task=task), "created_at").select_related(
        "author", "assignment__unit"
    )
    questions = list(
        by_then(Question.objects.filter(assignment_id__in=ids), "asked_at")
        .select_related("assignment__unit", "asked_by", "answered_by")
        .order_by("asked_at", "pk")
    )
    for question in questions:
        question.answered = question.answered_at is not None and (moment is None or question.answered_at < moment)
    history = [entry for entry in task_history(task, user, limit=None) if moment is None or entry.when < moment]
    context = {
        "plan": task.plan,
        "task": state,
        "day": taken.day,
        "milestones": _milestones(task, moment),
        "reports": reports.order_by("created_at"),
        "reviews": reviews.order_by("created_at"),
        "notices": notices,
        "extensions": extensions,
        "instructions": instructions.order_by("created_at"),
        "questions": questions,
        "evidence": evidence_index(taken),
        "history": history,
        "header": task.plan.title,
    }
    return Draft("reports/pdf/dossier.html", context)


# The reports laid out as PDF (a ledger is a workbook).
KINDS = (ReportKind.PROGRESS, ReportKind.UNIT, ReportKind.OVERDUE, ReportKind.DOSSIER)


@dataclass(frozen=True)
class Asked:
    """A report asked for, checked: its kind, its subject, its day."""

    kind: str
    plan: Plan | None = None
    unit: Unit | None = None
    task: Task | None = None
    as_of: datetime.date | None = None


def resolve(kind: str, user, *, plan=None, unit=None, task=None, as_of=None) -> Asked:
    """Check a request before anything is made. Ids come as a request or a command line gives them;
    a bad one raises ValidationError, a report not for this user PermissionDenied."""
    day = parse_day(as_of)
    if kind in {"progress", "overdue"}:
        if not policy.sees_everything(user):
            raise PermissionDenied(_("This report is for SASAC staff, leaders and auditors."))
        found = _get(Plan.objects.visible_to(user), plan, _("Choose a plan."))
        check_as_of(found, day)
        if not Task.objects.filter(plan=found, withdrawn_at__isnull=True).exists():
            raise ValidationError(_("The plan has no tasks to report on."))
        return Asked(kind, plan=found, as_of=day)
    if kind == "unit":
        found = _get(Unit.objects.all(), unit, _("Choose a unit."))
        if not (policy.sees_everything(user) or policy.can_act_for_unit(user, found.pk)):
            raise PermissionDenied(_("A unit's report is for the unit itself and for SASAC staff."))
        if not Assignment.objects.visible_to(user).filter(unit=found).exists():
            raise ValidationError(_("%(unit)s has no assignment to report on.") % {"unit": found.name})
        return Asked(kind, unit=found, as_of=day)
    if kind == "dossier":
        found = _get(Task.objects.visible_to(user).select_related("plan"), task, _("Choose a task."))
        check_as_of(found.plan, day)
        return Asked(kind, task=found, as_of=day)
    raise ValidationError(_("Unknown kind of report: %(kind)s.") % {"kind": kind})


# How far a report has got, in percent, once its data has been read (render_pdf says the rest).
STAGE_READ = 30


def render(
    asked: Asked, user, *, code: str, progress: Callable[[int], None] = no_progress
) -> tuple[RenderedReport, str]:
    """The report, issued under ``code``, and a file name for it; ``progress`` is told how far it has got."""
    if asked.kind in {"progress", "overdue"}:
        taken = snapshot(asked.plan, user, as_of=asked.as_of)
        draft = progress_report(taken, user) if asked.kind == "progress" else overdue_bulletin(taken)
        subject = asked.plan.title
    elif asked.kind == "unit":
        draft, subject = unit_report(asked.unit, user, as_of=asked.as_of), asked.unit.name
    else:
        draft, subject = task_dossier(asked.task, user, as_of=asked.as_of), f"{asked.task.number}. {asked.task.title}"
    progress(STAGE_READ)
    report = render_pdf(draft, made_by=user, code=code, progress=progress)
    name = _("%(subject)s %(kind)s %(day)s") % {
        "subject": subject[:60],
        "kind": ReportKind(asked.kind).label,
        "day": f"{(asked.as_of or timezone.localdate()):%Y-%m-%d}",
    }
    return report, f"{name}.pdf"


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """What to tell the user when a report is refused."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def parse_day(value) -> datetime.date | None:
    """An as-of day as a request or a command line gives it; empty is today."""
    try:
        return values.day(value)
    except values.BadValue as error:
        raise ValidationError(error.message) from None


def _get(queryset, pk, missing: str):
    try:
        found = queryset.filter(pk=values.id_number(pk)).first()
    except values.BadValue:
        found = None
    if found is None:
        raise ValidationError(missing)
    return found
