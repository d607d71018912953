"""A plan's tasks and their units' work as the platform showed them: now, or at the end of a past day.

The past comes from the history kept since the foundation: for each task and assignment the last
version recorded by that day's end, the latest progress report then, the evidence then on file.
Every report and ledger reads its data from here, through the access policy.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from orgs.models import Unit
from tasks.asof import as_of_versions, day_end
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.lights import LightRules, assignment_light, milestone_horizon, most_urgent
from tasks.models import Assignment, Evidence, Plan, ProgressReport, Section, Task
from tasks.selectors import plan_start, pressing_milestone_due


@dataclass(frozen=True)
class UnitWork:
    """One unit's share of a task."""

    assignment_id: int
    unit_id: int
    unit_name: str
    unit_kind: str
    role: str
    status: str
    due: datetime.date | None
    latest_period: str
    latest_percent: int | None
    latest_text: str
    evidence: int
    milestone_due: datetime.date | None  # the pressing milestone not done (selectors.pressing_milestone_due)

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD

    @property
    def status_display(self) -> str:
        return str(AssignmentStatus(self.status).label)


@dataclass(frozen=True)
class TaskState:
    task_id: int
    section_id: int | None
    section: str
    number: str
    title: str
    body: str
    due: datetime.date | None
    position: int
    work: tuple[UnitWork, ...] = ()
    # The task's lead units the user may see, also where ``work`` is narrowed to one unit or role.
    leads: tuple[str, ...] = ()

    @property
    def lead_units(self) -> list[str]:
        return list(self.leads)

    @property
    def responsible_units(self) -> list[str]:
        return [w.unit_name for w in self.work if not w.is_lead]


@dataclass
class Snapshot:
    plan: Plan
    as_of: datetime.date | None
    tasks: list[TaskState] = field(default_factory=list)

    # The day it shows: its as-of day, or the day it was taken (one day for a whole report).
    day: datetime.date = field(init=False)

    def __post_init__(self):
        self.day = self.as_of or timezone.localdate()

    @property
    def work(self) -> list[tuple[TaskState, UnitWork]]:
        return [(task, work) for task in self.tasks for work in task.work]

    @cached_property
    def _light_rules(self) -> tuple[LightRules, datetime.date | None]:
        return LightRules.from_settings(), plan_start(self.plan)

    def light(self, work: UnitWork) -> str:
        """The traffic light of a unit's work on the snapshot's day."""
        rules, start = self._light_rules
        return assignment_light(
            status=work.status,
            due=work.due,
            today=self.day,
            rules=rules,
            start=start,
            latest_percent=work.latest_percent,
            milestone_due=work.milestone_due,
        )

    def task_light(self, task: TaskState) -> str:
        return most_urgent(self.light(w) for w in task.work if w.status != AssignmentStatus.CANCELLED)


def check_as_of(plan: Plan, as_of: datetime.date | None) -> None:
    """Refuse a day in the future, or before the plan was in the platform, with a clear message."""
    if as_of is None:
        return
    today = timezone.localdate()
    if as_of > today:
        raise ValidationError(_("The date cannot be after today (%(today)s).") % {"today": today})
    entered = timezone.localdate(plan.created_at)
    first = min(entered, _first_recorded(plan) or entered)
    if as_of < first:
        raise ValidationError(
            _("The plan was not yet in the platform on %(day)s; its record begins on %(first)s.")
            % {"day": as_of, "first": first}
        )


def _first_recorded(plan: Plan) -> datetime.date | None:
    # Plans brought in with their past (bench/generate.py dates it) have task history older than their row.
    first = Task.history.filter(plan_id=plan.pk).aggregate(first=Min("history_date"))["first"]
    return timezone.localdate(first) if first else None


def snapshot(
    plan: Plan,
    user,
    *,
    as_of: datetime.date | None = None,
    task_ids: QuerySet | list[int] | None = None,
    unit_id: int | None = None,
    withdrawn: bool = False,
) -> Snapshot:
    """The tasks of ``plan`` (those of ``task_ids`` if given, also withdrawn ones if ``withdrawn``) with
    the work the user may see, of one unit if ``unit_id``. A fixed number of queries, whatever the size of the plan."""
    check_as_of(plan, as_of)
    moment = day_end(as_of) if as_of else None
    tasks = _tasks(plan, user, moment, task_ids, withdrawn=withdrawn)
    horizon = milestone_horizon(as_of or timezone.localdate(), LightRules.from_settings())
    task_ids = [t["id"] for t in tasks]
    work = _work(user, moment, task_ids, unit_id, horizon)
    # Narrowed to a unit, the work no longer shows who leads: asked for on its own.
    leads = _leads(user, moment, task_ids) if unit_id is not None else _leads_in(work)
    sections = dict(Section.objects.filter(plan=plan).values_list("pk", "title"))
    units = {u.pk: u for u in Unit.objects.filter(pk__in={w["unit_id"] for w in work}).only("name", "kind")}
    if unit_id is None:
        leads = {task_id: [units[unit].name for unit in ids] for task_id, ids in leads.items()}
    task_due = {t["id"]: t["due"] for t in tasks}
    by_task = defaultdict(list)
    for row in work:
        unit = units[row["unit_id"]]
        by_task[row["task_id"]].append(
            UnitWork(
                assignment_id=row["id"],
                unit_id=unit.pk,
                unit_name=unit.name,
                unit_kind=unit.kind,
                role=row["role"],
                status=row["status"],
                due=row["due"] or task_due[row["task_id"]],
                latest_period=row["latest_period"] or "",
                latest_percent=row["latest_percent"],
                latest_text=row["latest_text"] or "",
                evidence=row["evidence"] or 0,
                milestone_due=row["milestone_due"],
            )
        )
    states = [
        TaskState(
            task_id=t["id"],
            section_id=t["section_id"],
            section=sections.get(t["section_id"], ""),
            number=t["number"],
            title=t["title"],
            body=t["body"],
            due=t["due"],
            position=t["position"],
            work=tuple(sorted(by_task[t["id"]], key=lambda w: (not w.is_lead, w.unit_name))),
            leads=tuple(sorted(leads.get(t["id"], ()))),
        )
        for t in sorted(tasks, key=lambda t: t["position"])
    ]
    if unit_id is not None:
        states = [state for state in states if state.work]
    return Snapshot(plan, as_of, states)


TASK_FIELDS = ("id", "section_id", "number", "title", "body", "due", "position")


def _tasks(plan: Plan, user, moment, task_ids, *, withdrawn: bool) -> list[dict]:
    """The plan's tasks (those of ``task_ids``) the user sees; with ``withdrawn``, those a revision has
    withdrawn too (a task's dossier is kept after it)."""
    visible = Task.objects.visible_to(user).filter(plan=plan)
    if task_ids is not None:
        visible = visible.filter(pk__in=task_ids)
    if moment is None:
        return list((visible if withdrawn else visible.filter(withdrawn_at__isnull=True)).values(*TASK_FIELDS))
    versions = as_of_versions(Task.history.filter(plan_id=plan.pk, id__in=visible.values("pk")), moment)
    if not withdrawn:
        versions = versions.filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=moment))
    return list(versions.values(*TASK_FIELDS))


def _work(user, moment, task_ids: list[int], unit_id: int | None, horizon: datetime.date) -> list[dict]:
    fields = ("id", "task_id", "unit_id", "role", "status", "due", "latest_period", "latest_percent")
    if moment is None:
        rows = Assignment.objects.visible_to(user).filter(task_id__in=task_ids)
        reports = ProgressReport.objects.filter(assignment=OuterRef("pk"))
        evidence = Evidence.objects.filter(report__assignment=OuterRef("pk"))
    else:
        rows = policy.restrict(as_of_versions(Assignment.history.filter(task_id__in=task_ids), moment), user, "unit")
        reports = ProgressReport.objects.filter(assignment=OuterRef("id"), created_at__lt=moment)
        evidence = _evidence_on_file(moment)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    latest = reports.order_by("-period", "-created_at")
    annotated = rows.annotate(
        latest_text=Subquery(latest.values("text")[:1]),
        evidence=Coalesce(
            Subquery(evidence.values("report__assignment").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        milestone_due=pressing_milestone_due(horizon, moment),
    )
    if moment is not None:
        # The latest report of the day is the truth then; the cached fields on the row are today's.
        annotated = annotated.annotate(
            latest_period=Subquery(latest.values("period")[:1]),
            latest_percent=Subquery(latest.values("percent")[:1]),
        )
    return list(annotated.values(*fields, "latest_text", "evidence", "milestone_due"))


def _leads_in(work: list[dict]) -> dict[int, list[int]]:
    """The lead units' ids of each task, from its rows of work."""
    found = defaultdict(list)
    for row in work:
        if row["role"] == AssignmentRole.LEAD:
            found[row["task_id"]].append(row["unit_id"])
    return found


def _leads(user, moment, task_ids: list[int]) -> dict[int, list[str]]:
    """The names of each task's lead units that ``user`` may see, now or at ``moment``: one query."""
    if moment is None:
        rows = Assignment.objects.visible_to(user).filter(task_id__in=task_ids)
    else:
        rows = policy.restrict(as_of_versions(Assignment.history.filter(task_id__in=task_ids), moment), user, "unit")
    found = defaultdict(list)
    for task_id, name in rows.filter(role=AssignmentRole.LEAD).values_list("task_id", "unit__name"):
        found[task_id].append(name)
    return found


def _evidence_on_file(moment):
    """Evidence files on file at ``moment``: uploaded before it and not withdrawn by then."""
    withdrawn = Evidence.history.filter(history_type="-", history_date__lt=moment).values("id")
    return Evidence.history.filter(
        history_type="+", history_date__lt=moment, report__assignment=OuterRef("id")
    ).exclude(id__in=withdrawn)


def narrowed(
    taken: Snapshot,
    *,
    status: str | None = None,
    role: str | None = None,
    light: str | None = None,
    section_id: int | None = None,
    due_after: datetime.date | None = None,
    due_before: datetime.date | None = None,
    search: str = "",
) -> Snapshot:
    """The rows of the chosen status and role, of the tasks that on the snapshot's day were in the
    section, due in the range, matched the search (title or text holding it, or its number), and showed
    the light — as the task list chooses them today."""
    kept = []
    needle = search.casefold()
    for task in taken.tasks:
        if section_id is not None and task.section_id != section_id:
            continue
        if (due_after or due_before) and (
            task.due is None or (due_after and task.due < due_after) or (due_before and task.due > due_before)
        ):
            continue
        if needle and not (needle in task.title.casefold() or needle in task.body.casefold() or task.number == search):
            continue
        if light and taken.task_light(task) != light:
            continue
        work = tuple(w for w in task.work if (not status or w.status == status) and (not role or w.role == role))
        if work:
            kept.append(dataclasses.replace(task, work=work))
    return Snapshot(taken.plan, taken.as_of, kept)
