"""Reads of the reform domain that more than one caller needs."""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from orgs import policy
from orgs.models import Unit, UnitAlias, UnitGroup
from tasks.asof import as_of_versions
from tasks.choices import AssignmentStatus
from tasks.filters import TaskFilter
from tasks.importing.normalize import match_key
from tasks.lights import (
    GRAY,
    URGENCY,
    LightFacts,
    LightRules,
    assignment_light,
    light_facts,
    milestone_horizon,
    most_urgent,
)
from tasks.models import (
    Assignment,
    Evidence,
    Instruction,
    Milestone,
    MilestoneCompletion,
    Plan,
    ProgressReport,
    StatusChange,
    Task,
)


@dataclass(frozen=True)
class UnitMatch:
    """What a printed unit name stands for: one unit, a collective group, or nothing known."""

    printed: str
    unit: Unit | None = None
    group: UnitGroup | None = None

    @property
    def known(self) -> bool:
        return self.unit is not None or self.group is not None


def resolve_unit_names(names: Iterable[str]) -> dict[str, UnitMatch]:
    """Each printed name → its unit (by name or alias) or group, exactly or in folded form.

    Folded form: full-width to half-width, traditional to simplified, no spaces, so that
    区市场局 finds 区市场监督管理局 through its alias and 遼寧 finds 辽宁. A folded form
    shared by two different units or groups resolves to nothing rather than a guess.
    Three queries, whatever the number of names.
    """
    exact: dict[str, Unit | UnitGroup] = {}
    folded: dict[str, set[Unit | UnitGroup]] = {}

    def remember(name: str, target: Unit | UnitGroup) -> None:
        exact.setdefault(name, target)
        folded.setdefault(match_key(name), set()).add(target)

    for unit in Unit.objects.filter(is_active=True):
        remember(unit.name, unit)
    for alias in UnitAlias.objects.filter(unit__is_active=True).select_related("unit"):
        remember(alias.name, alias.unit)
    for group in UnitGroup.objects.all():
        remember(group.name, group)

    matches = {}
    for name in names:
        target = exact.get(name)
        if target is None:
            candidates = folded.get(match_key(name), set())
            target = next(iter(candidates)) if len(candidates) == 1 else None
        matches[name] = UnitMatch(
            name,
            unit=target if isinstance(target, Unit) else None,
            group=target if isinstance(target, UnitGroup) else None,
        )
    return matches


# --- Plans, tasks and their lights ------------------------------------------------------------


@dataclass
class TaskRow:
    """A task as a list shows it: its light and how many of its assignments are accepted."""

    task: Task
    light: str = GRAY
    accepted: int = 0
    total: int = 0

    @property
    def percent_accepted(self) -> int:
        return round(100 * self.accepted / self.total) if self.total else 0


@dataclass
class PlanOverview:
    plan: Plan
    rows: list[TaskRow]
    status_counts: dict[str, int] = field(default_factory=dict)
    light_counts: dict[str, int] = field(default_factory=dict)

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        """(status, its label, how many assignments) in the order of the status machine."""
        return [(s.value, s.label, self.status_counts.get(s.value, 0)) for s in AssignmentStatus]


def plan_start(plan: Plan) -> datetime.date | None:
    return plan.period_start or plan.issued_on


def pressing_milestone_due(horizon: datetime.date, moment: datetime.datetime | None = None) -> Subquery:
    """The earliest date up to ``horizon`` among the milestones of the outer row's task (its
    ``task_id``) that its unit's work (its ``id``: an assignment or a version of one) has not marked
    done; as they stood at ``moment`` when given. Only such a date can change a light (lights)."""
    milestones = Milestone.objects.all() if moment is None else as_of_versions(Milestone.history, moment)
    done = MilestoneCompletion.objects.filter(assignment_id=OuterRef(OuterRef("id")), milestone_id=OuterRef("id"))
    if moment is not None:
        done = done.filter(done_at__lt=moment)
    open_steps = milestones.filter(task_id=OuterRef("task_id"), due__isnull=False, due__lte=horizon).filter(
        ~Exists(done)
    )
    return Subquery(open_steps.order_by("due").values("due")[:1], output_field=DateField())


def with_milestone_due(assignments: QuerySet[Assignment], *, today: datetime.date, rules: LightRules) -> QuerySet:
    """Assignments with the ``milestone_due`` their light needs (``pressing_milestone_due``)."""
    return assignments.annotate(milestone_due=pressing_milestone_due(milestone_horizon(today, rules)))


def light_of(assignment: Assignment, *, today: datetime.date, rules: LightRules) -> str:
    """The light of an assignment loaded with its task and plan, and ``with_milestone_due``."""
    return assignment_light(
        status=assignment.status,
        due=assignment.effective_due,
        today=today,
        rules=rules,
        start=plan_start(assignment.task.plan),
        latest_percent=assignment.latest_percent,
        milestone_due=assignment.milestone_due,
    )


def facts_of(assignment: Assignment, *, today: datetime.date) -> LightFacts | None:
    """What the light of an assignment loaded as for ``light_of`` was decided by (lights.light_facts)."""
    return light_facts(
        status=assignment.status,
        due=assignment.effective_due,
        today=today,
        start=plan_start(assignment.task.plan),
        latest_percent=assignment.latest_percent,
        milestone_due=assignment.milestone_due,
    )


def plans_for(user) -> QuerySet[Plan]:
    """The plans a user may see; ``with_plan_counts`` adds what a list of them shows."""
    return Plan.objects.visible_to(user)


def with_plan_counts(plans: Sequence[Plan], user) -> Sequence[Plan]:
    """Each of ``plans`` (a page of them) with ``task_count``, ``assignment_count`` and
    ``accepted_count`` of what the user sees: two grouped queries for the page, one pass over the
    work of its plans, rather than sub-selects that each count a plan's work again."""
    ids = [plan.pk for plan in plans]
    tasks = dict(
        Task.objects.visible_to(user)
        .filter(plan__in=ids, withdrawn_at__isnull=True)
        .values_list("plan")
        .annotate(n=Count("pk"))
        .order_by()
    )
    work = {
        plan_id: (n, accepted)
        for plan_id, n, accepted in Assignment.objects.visible_to(user)
        .filter(task__plan__in=ids, task__withdrawn_at__isnull=True)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values_list("task__plan")
        .annotate(n=Count("pk"), accepted=Count("pk", filter=Q(status=AssignmentStatus.ACCEPTED)))
        .order_by()
    }
    for plan in plans:
        plan.task_count = tasks.get(plan.pk, 0)
        plan.assignment_count, plan.accepted_count = work.get(plan.pk, (0, 0))
    return plans


def plan_tasks(plan: Plan, user) -> QuerySet[Task]:
    """The tasks of a plan the user may see, in the plan's order."""
    return Task.objects.visible_to(user).filter(plan=plan, withdrawn_at__isnull=True).order_by("position")


def plan_overview(
    plan: Plan, user, *, today: datetime.date, rules: LightRules, shown: Sequence[Task] | None = None
) -> PlanOverview:
    """The plan's work the user may see counted by status and by light, with a row (light and
    progress) for each task ``shown`` (a page of ``plan_tasks``; all of them when None)."""
    tasks = plan_tasks(plan, user)
    if shown is None:
        shown = list(tasks.select_related("section", "plan"))
    start = plan_start(plan)
    facts = {pk: (due, start) for pk, due in tasks.values_list("pk", "due")}
    rows, status_counts, light_counts = _tally(_lit_work(user, facts, today, rules), shown)
    return PlanOverview(plan, rows, status_counts, light_counts)


def task_rows(tasks: list[Task], user, *, today: datetime.date, rules: LightRules):
    """Each task's light and progress from the assignments the user may see (``alike_work``);
    with the counts of those assignments by status and by light. Tasks need their plan loaded."""
    facts = {task.pk: (task.due, plan_start(task.plan)) for task in tasks}
    return _tally(_lit_work(user, facts, today, rules), tasks)


def _lit_work(user, facts: dict[int, tuple], today: datetime.date, rules: LightRules):
    """(task id, status, light, how many) of the work the user sees on the tasks of ``facts``
    (task id → its due date and its plan's start); cancelled work has no light."""
    visible = Assignment.objects.visible_to(user).filter(task__in=list(facts))
    for (task_id, status, latest, own_due, milestone_due), n in alike_work(visible, list(facts), today, rules).items():
        if not n:
            continue
        if status == AssignmentStatus.CANCELLED:
            yield task_id, status, None, n  # no longer part of the task's progress
            continue
        due, start = facts[task_id]
        light = assignment_light(
            status=status,
            due=own_due or due,
            today=today,
            rules=rules,
            start=start,
            latest_percent=latest,
            milestone_due=milestone_due,
        )
        yield task_id, status, light, n


def _tally(lit_work, tasks: Sequence[Task]) -> tuple[list[TaskRow], dict[str, int], dict[str, int]]:
    """The rows of ``tasks`` and the counts by status and by light of ``lit_work`` (``_lit_work``)."""
    rows = {task.pk: TaskRow(task) for task in tasks}
    lights: dict[int, list[str]] = {}
    status_counts = dict.fromkeys(AssignmentStatus.values, 0)
    light_counts = dict.fromkeys(URGENCY, 0)
    for task_id, status, light, n in lit_work:
        status_counts[status] += n
        if light is None:
            continue
        light_counts[light] += n
        row = rows.get(task_id)
        if row is not None:
            lights.setdefault(task_id, []).append(light)
            row.total += n
            row.accepted += n if status == AssignmentStatus.ACCEPTED else 0
    for task_id, row in rows.items():
        row.light = most_urgent(lights.get(task_id, []))
    return list(rows.values()), status_counts, light_counts


def alike_work(assignments: QuerySet[Assignment], tasks, today: datetime.date, rules: LightRules) -> Counter:
    """``assignments`` (of ``tasks``) counted by all their light depends on: (task, status, latest
    percent, own due date, ``milestone_due`` as ``with_milestone_due`` gives it) → how many.

    The database counts the work by the first four (a plan of 12,000 assignments comes back as a
    few rows per task); each counts its task's earliest pressing milestone, but for the few
    assignments that have marked one of those done, which are looked up and moved to their own
    (three queries, none of them a sub-select per assignment)."""
    horizon = milestone_horizon(today, rules)
    pressing_steps = Milestone.objects.filter(task__in=tasks, due__isnull=False, due__lte=horizon)
    pressing: dict[int, list[tuple[datetime.date, int]]] = {}
    for task_id, pk, due in pressing_steps.order_by("due", "pk").values_list("task_id", "pk", "due"):
        pressing.setdefault(task_id, []).append((due, pk))

    def first_open(task_id: int, done: set[int]) -> datetime.date | None:
        return next((due for due, pk in pressing.get(task_id, ()) if pk not in done), None)

    counted: Counter = Counter()
    by_kind = assignments.values_list("task_id", "status", "latest_percent", "due").annotate(n=Count("pk"))
    for task_id, status, latest, due, n in by_kind.order_by():
        counted[(task_id, status, latest, due, first_open(task_id, set()))] += n
    marked = MilestoneCompletion.objects.filter(milestone__in=pressing_steps, assignment__in=assignments.values("pk"))
    done: dict[tuple, set[int]] = {}
    for pk, milestone_id, *kind in marked.values_list(
        "assignment_id",
        "milestone_id",
        "assignment__task_id",
        "assignment__status",
        "assignment__latest_percent",
        "assignment__due",
    ):
        done.setdefault((pk, *kind), set()).add(milestone_id)
    for (_, task_id, status, latest, due), steps in done.items():
        kind = (task_id, status, latest, due)
        counted[(*kind, first_open(task_id, set()))] -= 1
        counted[(*kind, first_open(task_id, steps))] += 1
    return counted


def of_work(records: QuerySet, work: QuerySet[Assignment]) -> QuerySet:
    """``records`` (reports, status changes: rows of an assignment) of the ``work`` chosen, asked by
    the work's ids: for narrow work (a task's few dozen assignments). Asked through a join or a
    sub-select, the database may walk every record on the platform newest first until it has found
    enough of these; by their ids it reads them off the records' (assignment, …) indexes. Wide work
    (a province unit's thousand assignments) is the other way round: its newest records are found
    quickest by that walk, and thousands of ids to sort by would cost more."""
    return records.filter(assignment_id__in=list(work.values_list("pk", flat=True)))


def evidence_count() -> Coalesce:
    """The files attached to the outer assignment's reports: a sub-select per assignment, read off
    the reports' (assignment) index; a join of every report would be grouped back instead."""
    files = Evidence.objects.filter(report__assignment=OuterRef("pk")).order_by()
    return Coalesce(Subquery(files.values("report__assignment").annotate(n=Count("pk")).values("n")), 0)


def report_evidence() -> Prefetch:
    """Reports' evidence files, each report's in the order they were added. Asked by the report's id:
    the files' own order goes through the report's, its assignment's, task's and plan's (five joins
    to sort what one report holds)."""
    return Prefetch("evidence", queryset=Evidence.objects.order_by("report_id", "pk"))


def with_return_reason(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Each assignment with ``returned_because``: the reason its latest return gave, which its unit
    reads on its card while the work is back with it (one subquery, not a query a row)."""
    returns = StatusChange.objects.filter(assignment=OuterRef("pk"), to_status=AssignmentStatus.RETURNED)
    return assignments.annotate(returned_because=Subquery(returns.order_by("-pk").values("comment")[:1]))


def work_by_task(user, tasks, *, besides_unit_id: int | None = None) -> dict[int, list[tuple[str, int]]]:
    """For each of ``tasks`` (ids, or a sub-select of them): its units' work the user sees, but for
    that of ``besides_unit_id``, as (status label, how many) in the order of the status machine
    (one query)."""
    counts = (
        Assignment.objects.visible_to(user)
        .filter(task__in=tasks, task__withdrawn_at__isnull=True)
        .exclude(unit_id=besides_unit_id)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values_list("task_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_task: dict[int, dict[str, int]] = {}
    for task_id, status, n in counts:
        by_task.setdefault(task_id, {})[status] = n
    return {
        task_id: [(s.label, found[s.value]) for s in AssignmentStatus if s.value in found]
        for task_id, found in by_task.items()
    }


def combined_report(task: Task, user, *, work: list[int] | None = None) -> ProgressReport | None:
    """The lead unit's latest combined report on the task (汇总上报) the user may read, or None;
    ``work``, the ids of the task's assignments the user sees, when loaded (asked by them, not
    through a join on the task: see views._timeline)."""
    if work is None:
        work = list(Assignment.objects.visible_to(user).filter(task=task).values_list("pk", flat=True))
    return (
        ProgressReport.objects.visible_to(user)
        .filter(assignment__in=work, combined=True)
        .select_related("assignment__unit", "author")
        .prefetch_related(report_evidence())
        .order_by("-period", "-created_at", "-pk")
        .first()
    )


def instructions_for(user) -> QuerySet[Instruction]:
    """Leaders' instructions a user may read: on a whole task of theirs, or on their own assignment."""
    visible = Instruction.objects.visible_to(user)
    if not policy.sees_everything(user):
        mine = Assignment.objects.visible_to(user).values("pk")
        visible = visible.filter(Q(assignment__isnull=True) | Q(assignment__in=mine))
    return visible.select_related("author", "task", "assignment__unit").order_by("-created_at", "-pk")


def filtered_task_rows(user, data) -> tuple[TaskFilter, Sequence[TaskRow]]:
    """The task list (the page and the API alike): the tasks ``user`` sees chosen by ``data`` (the
    TaskFilter's fields), each with its light, sorted. Narrowed or sorted by light, every task chosen
    is lit first (three queries); otherwise the database sorts and only the page read is lit (a count,
    the page, its lights)."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(withdrawn_at__isnull=True)
        .select_related("plan", "section")
        .defer("plan__source_text")  # the whole document, once per task otherwise
    )
    filters = TaskFilter(data, queryset=tasks, user=user)
    chosen = filters.form.cleaned_data if filters.is_valid() else {}
    lit = LitTasks(filters.qs, user)
    sort = chosen.get("sort") or "position"
    if not chosen.get("light") and sort != "light":
        return filters, lit.ordered(*DATABASE_ORDER[sort])
    rows = lit[:]
    if chosen.get("light"):
        rows = [row for row in rows if row.light == chosen["light"]]
    far = datetime.date.max
    rows.sort(key=lambda row: (URGENCY.index(row.light), row.task.due or far, row.task.plan_id, row.task.position))
    return filters, rows


DATABASE_ORDER = {
    "position": ("plan_id", "position"),
    "due": (F("due").asc(nulls_last=True), "plan_id", "position"),
    "-due": (F("due").desc(nulls_first=True), "plan_id", "position"),
    "title": ("title", "plan_id", "position"),
}


class LitTasks(Sequence):
    """Tasks in order, each given its light when its page is read: a page of a city's 200 tasks
    costs the lights of its 50, not of all (``task_rows``, one query a page)."""

    def __init__(self, tasks: QuerySet[Task], user):
        self.tasks, self.user = tasks, user

    def ordered(self, *order) -> "LitTasks":
        return LitTasks(self.tasks.order_by(*order), self.user)

    def count(self) -> int:
        return self.tasks.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            today, rules = timezone.localdate(), LightRules.from_settings()
            return task_rows(list(self.tasks[index]), self.user, today=today, rules=rules)[0]
        return self[index : index + 1][0]


@dataclass(frozen=True)
class TimelineMark:
    due: datetime.date
    text: str
    state: str  # "done", "overdue", "soon" or "later"


@dataclass(frozen=True)
class TimelineRow:
    task_id: int
    label: str
    marks: tuple[TimelineMark, ...]


def milestone_timeline(
    plan: Plan,
    user,
    *,
    today: datetime.date,
    before: datetime.datetime | None = None,
    tasks: list[Task] | None = None,
    soon_days: int = 30,
) -> list[TimelineRow]:
    """A plan's milestones month by month (a simple Gantt): one row per task with dated milestones, in
    the document's order, each milestone done (every unit's work of the task marked it), overdue, due
    within ``soon_days`` or later — over the work ``user`` may see; ``before``, the marks made before
    that moment (a report of a past day). ``tasks``: the plan's tasks the user sees, when already
    loaded (the plan's page). One query, and one for the tasks if not given."""
    if tasks is None:
        tasks = list(Task.objects.visible_to(user).filter(plan=plan, withdrawn_at__isnull=True).order_by("position"))
    task_ids = [task.pk for task in tasks]
    # Narrowed to these tasks: the marks are looked up among their work, not all the platform's.
    open_work = Assignment.objects.visible_to(user).exclude(status=AssignmentStatus.CANCELLED).filter(task__in=task_ids)
    owed = (
        open_work.filter(task_id=OuterRef("task_id")).order_by().values("task_id").annotate(n=Count("pk")).values("n")
    )
    marked = Q(completions__assignment__in=open_work)
    if before is not None:
        marked &= Q(completions__done_at__lt=before)
    milestones = (
        Milestone.objects.filter(task_id__in=task_ids, due__isnull=False)
        .annotate(
            owed=Coalesce(Subquery(owed), 0), marked=Count("completions__assignment", filter=marked, distinct=True)
        )
        .order_by("due", "position")
        .values_list("task_id", "due", "text", "owed", "marked")
    )
    soon = today + datetime.timedelta(days=soon_days)
    marks: dict[int, list[TimelineMark]] = {}
    for task_id, due, text, owed_count, marked_count in milestones:
        if owed_count and marked_count >= owed_count:
            state = "done"
        else:
            state = "overdue" if due < today else "soon" if due <= soon else "later"
        marks.setdefault(task_id, []).append(TimelineMark(due, text, state))
    return [
        TimelineRow(task.pk, f"{task.number}. {task.title}", tuple(marks[task.pk]))
        for task in tasks
        if task.pk in marks
    ]
