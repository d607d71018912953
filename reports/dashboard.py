"""The leaders' dashboard: where the reform stands, counted by the database.

Every figure is one of the measures of ``tasks.work`` over the work in scope, so that its drill-down
(the work list with the same scope and measure) lists exactly what it counts. Aggregates are grouped
queries; the answer is cached per scope and per view of the data (everything, or one unit's) and
dropped when the data changes (``reports.signals``).
"""

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from orgs import policy
from orgs.choices import UnitKind
from orgs.models import Unit
from reports.models import DataVersion
from tasks.asof import as_of_versions
from tasks.choices import AssignmentStatus as S
from tasks.models import Milestone, MilestoneCompletion, ProgressReport, StatusChange, Task
from tasks.work import Scope, measure_q, month_end, next_month, past_work_split, work_rows

logger = logging.getLogger(__name__)

HEADLINE = ("all", "accepted", "in_progress", "overdue", "due_soon", "report_missing")
RANKED_OVERDUE = 10
LATEST_ACTIVITY = 10
# Up to this many assignments, the latest activity is looked up assignment by assignment
# (``_newest_first``): a few microseconds each, against a walk of the newest records that finds a
# whole plan's latest at once (12,000 assignments: 38 ms the one way, 1 ms the other).
NARROW_WORK = 2_000


@dataclass(frozen=True)
class Figures:
    tasks: int
    counts: dict[str, int]  # by measure

    @property
    def accepted_share(self) -> float:
        return self.counts["accepted"] / self.counts["all"] if self.counts["all"] else 0.0


@dataclass(frozen=True)
class Group:
    """Work grouped by reform area, deadline year or unit: its counts."""

    key: object
    label: str
    total: int
    accepted: int
    overdue: int
    days_late: float | None = None  # the average of its overdue work's days late
    kind: str = ""
    plan: str = ""  # the plan it belongs to, named where labels would repeat (areas of two plans)

    @property
    def share(self) -> float:
        return self.accepted / self.total if self.total else 0.0


@dataclass(frozen=True)
class Month:
    month: datetime.date
    due: int  # work falling due by the month's end, cumulative
    accepted: int  # work accepted by the month's end, cumulative
    to_come: bool


@dataclass
class Dashboard:
    scope: Scope
    figures: Figures
    previous: Figures  # at the end of the month before the scope's day
    by_section: list[Group] = field(default_factory=list)
    by_year: list[Group] = field(default_factory=list)
    burn_up: list[Month] = field(default_factory=list)
    enterprises: list[Group] = field(default_factory=list)
    departments: list[Group] = field(default_factory=list)
    most_overdue: list[dict] = field(default_factory=list)
    milestones: list[dict] = field(default_factory=list)
    activity: list[dict] = field(default_factory=list)


def previous_month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=1) - datetime.timedelta(days=1)


# --- The grouped queries -------------------------------------------------------------------------
# The work in scope counted twice over, by task and deadline and by unit and deadline: the headline,
# the areas, the years, the months and the units are sums of these rows.


@dataclass(frozen=True)
class Counted:
    """The work in scope counted by task and deadline, by unit and deadline, and (the accepted work)
    by the month of its acceptance: rows of the measures' counts."""

    tasks: list[dict]
    units: list[dict]
    accepted_by_month: dict[datetime.date, int]


def counted(user, scope: Scope, *, by_month: bool = True) -> Counted:
    """The work in scope counted by task and by unit in one pass (``_grouped``), and unless not
    ``by_month``, its accepted work by month (``_accepted_by_month``). A past day's work is counted
    in two parts (the work unchanged since, the work changed since) whose rows are added up."""
    parts = past_work_split(user, scope) if scope.moment else (work_rows(user, scope),)
    tasks: dict[tuple, dict] = {}
    units: dict[tuple, dict] = {}
    months: dict[datetime.date, int] = defaultdict(int)
    for part in parts:
        for task, unit, deadline, *sums in _grouped(part, scope.day):
            if task is not None:
                _add(tasks, "task", task, _as_date(deadline), sums)
            else:
                _add(units, "unit", unit, _as_date(deadline), sums)
        for month, n in _accepted_by_month(part) if by_month else ():
            months[month] += n
    return Counted(list(tasks.values()), list(units.values()), dict(months))


def _add(cells: dict, key: str, value, deadline, sums) -> None:
    cell = cells.setdefault((value, deadline), {key: value, "deadline": deadline, **dict.fromkeys(HEADLINE, 0)})
    for measure, n in zip(HEADLINE, sums, strict=True):
        cell[measure] += int(n or 0)


def _as_date(value) -> datetime.date | None:
    """A date as a raw query gives it back: SQLite's is text (the ORM's converters are not applied to
    a raw query)."""
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _grouped(part: QuerySet, day: datetime.date) -> list[tuple]:
    """(task, unit, deadline, the measures' counts…) of ``part``: rows by task and deadline (the unit
    empty) and by unit and deadline (the task empty). PostgreSQL counts both in one scan (GROUPING
    SETS); elsewhere the two groupings of the same rows are put together (UNION ALL). The rows, their
    scope and the caller's access are the ORM's (``work_rows``); only the grouping is written here."""
    flags = {f"m_{m}": _flag(measure_q(m, day)) for m in HEADLINE}
    rows = part.annotate(k_task=F("task_id"), k_unit=F("unit_id"), **flags).values(
        "k_task", "k_unit", "deadline", *flags
    )
    sql, params = rows.order_by().query.sql_with_params()
    sums = ", ".join(f"SUM(m_{m})" for m in HEADLINE)
    if connection.vendor == "postgresql":
        query = (
            f"SELECT k_task, k_unit, deadline, {sums} FROM ({sql}) w "
            "GROUP BY GROUPING SETS ((k_task, deadline), (k_unit, deadline))"
        )
    else:
        query = " UNION ALL ".join(
            (
                f"SELECT k_task, NULL, deadline, {sums} FROM ({sql}) w GROUP BY k_task, deadline",
                f"SELECT NULL, k_unit, deadline, {sums} FROM ({sql}) w GROUP BY k_unit, deadline",
            )
        )
        params = tuple(params) * 2
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _accepted_by_month(part: QuerySet) -> list[tuple[datetime.date, int]]:
    """(month, how many) of ``part``'s accepted work, by the month of its last change of status (its
    acceptance; work brought in accepted, when it was brought in). Asked apart from ``_grouped``: as
    a third grouping set, its key made PostgreSQL sort a province's 100,000 rows (63 → 137 ms)."""
    accepted_at = Coalesce("status_changed_at", "created_at", output_field=DateTimeField())
    months = part.filter(status=S.ACCEPTED).annotate(month=TruncMonth(accepted_at, output_field=DateField()))
    return list(months.values_list("month").annotate(n=Count("pk")).order_by())


def _flag(condition: Q):
    """1 for the rows ``condition`` holds on, else 0; every row for no condition ("all")."""
    if not condition:
        return Value(1, output_field=IntegerField())
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def task_cells(user, scope: Scope, *, labelled: bool = True, found: Counted | None = None) -> list[dict]:
    """The work in scope counted by task and deadline, each row with its task's reform area."""
    cells = (found or counted(user, scope)).tasks
    if labelled:
        fields = ("section", "section__title", "section__plan", "section__position", "section__plan__title")
        areas = Task.objects.filter(pk__in={cell["task"] for cell in cells}).values_list("pk", *fields)
        named = {pk: dict(zip(fields, values, strict=True)) for pk, *values in areas}
        cells = [{**cell, **named[cell["task"]]} for cell in cells]
    return cells


def unit_cells(user, scope: Scope, *, found: Counted | None = None) -> list[dict]:
    """The work in scope counted by unit and deadline, each row with its unit's name and kind."""
    cells = (found or counted(user, scope)).units
    units = {
        u["pk"]: u for u in Unit.objects.filter(pk__in={cell["unit"] for cell in cells}).values("pk", "name", "kind")
    }
    return [{**cell, "name": units[cell["unit"]]["name"], "kind": units[cell["unit"]]["kind"]} for cell in cells]


def figures_of(cells: list[dict]) -> Figures:
    return Figures(
        tasks=len({cell["task"] for cell in cells if cell["all"]}),
        counts={measure: sum(cell[measure] for cell in cells) for measure in HEADLINE},
    )


def _groups(cells: list[dict], key, label, day: datetime.date, kind=lambda cell: "") -> dict[object, Group]:
    """Cells summed by ``key``; the days late averaged over the overdue work."""
    sums: dict = {}
    for cell in cells:
        k = key(cell)
        total, accepted, overdue, late_days, first = sums.get(k, (0, 0, 0, 0, cell))
        late = cell["overdue"]
        sums[k] = (
            total + cell["all"],
            accepted + cell["accepted"],
            overdue + late,
            late_days + (late * (day - cell["deadline"]).days if late else 0),
            first,
        )
    return {
        k: Group(k, label(first), total, accepted, overdue, late_days / overdue if overdue else None, kind(first))
        for k, (total, accepted, overdue, late_days, first) in sums.items()
    }


def by_section(cells: list[dict], day: datetime.date) -> list[Group]:
    """Work by reform area, in the plans' order; where two plans' areas share a name, each names its plan."""
    groups = _groups(cells, lambda c: c["section"], lambda c: c["section__title"] or "", day)
    order = {c["section"]: (c["section__plan"] or 0, c["section__position"] or 0) for c in cells}
    plans = {c["section"]: c.get("section__plan__title") or "" for c in cells}
    ordered = sorted(groups.values(), key=lambda g: order[g.key])
    repeated = {label for label, count in Counter(g.label for g in ordered).items() if count > 1}
    return [replace(g, plan=plans[g.key]) if g.label in repeated else g for g in ordered]


def _year(cell) -> int | None:
    return cell["deadline"].year if cell["deadline"] else None


def by_year(cells: list[dict], day: datetime.date) -> list[Group]:
    groups = _groups(cells, _year, lambda c: str(_year(c) or ""), day)
    return sorted(groups.values(), key=lambda g: g.key or 9999)


def unit_ranking(cells: list[dict], day: datetime.date) -> tuple[list[Group], list[Group]]:
    """Units by completion rate, then fewest overdue: enterprises, and departments with the others."""
    groups = _groups(cells, lambda c: c["unit"], lambda c: c["name"], day, kind=lambda c: c["kind"])
    ranked = sorted(groups.values(), key=lambda g: (-g.share, g.overdue, g.label))
    return (
        [g for g in ranked if g.kind == UnitKind.ENTERPRISE],
        [g for g in ranked if g.kind != UnitKind.ENTERPRISE],
    )


def burn_up(scope: Scope, cells: list[dict], accepted: dict[datetime.date, int]) -> list[Month]:
    """Month by month, the work falling due by then against the work accepted by then (``accepted``:
    by the month of its last change of status, its acceptance; work brought in accepted, when it
    was brought in)."""
    due: dict[datetime.date, int] = defaultdict(int)
    for cell in cells:
        if cell["deadline"]:
            due[cell["deadline"].replace(day=1)] += cell["all"]
    months = sorted(set(due) | set(accepted))
    if not months:
        return []
    this_month = scope.day.replace(day=1)
    out, due_so_far, accepted_so_far = [], 0, 0
    month = months[0]
    while month <= months[-1]:
        due_so_far += due.get(month, 0)
        accepted_so_far += accepted.get(month, 0)
        out.append(Month(month, due_so_far, accepted_so_far, to_come=month > this_month))
        month = next_month(month)
    return out


def most_overdue(user, scope: Scope, cells: list[dict]) -> list[dict]:
    """The work longest overdue. Only the tasks of the earliest overdue cells can hold it: the look-up
    is narrowed to those (a few tasks' work, not all the overdue work sorted)."""
    tasks, counted, last = set(), 0, None
    for cell in sorted((c for c in cells if c["overdue"]), key=lambda c: c["deadline"]):
        if counted >= RANKED_OVERDUE and cell["deadline"] != last:
            break  # enough, and every task sharing the last deadline taken (they sort by plan and place)
        tasks.add(cell["task"])
        counted, last = counted + cell["overdue"], cell["deadline"]
    rows = work_rows(user, scope).filter(measure_q("overdue", scope.day), task__in=tasks)
    found = rows.order_by("deadline", "task__plan", "task__position", "unit__name", "id").values(
        "id", "task", "task__number", "task__title", "unit__name", "deadline", "status"
    )[:RANKED_OVERDUE]
    return [{**row, "days": (scope.day - row["deadline"]).days} for row in found]


def milestones_of_the_month(user, scope: Scope) -> list[dict]:
    """Milestones due in the month of the scope's day (as they stood then) of the tasks in scope, each
    with how many of the units' work in scope had marked it done by then."""
    first, last = scope.day.replace(day=1), month_end(scope.day)
    work = work_rows(user, scope)
    milestones = Milestone.objects.all() if scope.moment is None else as_of_versions(Milestone.history, scope.moment)
    done = MilestoneCompletion.objects.filter(milestone=OuterRef("id"), assignment__in=work.values("id"))
    if scope.moment is not None:
        done = done.filter(done_at__lt=scope.moment)
    found = (
        milestones.filter(task__in=work.values("task"), due__gte=first, due__lte=last)
        .annotate(done=Coalesce(Subquery(done.values("milestone").annotate(n=Count("id")).values("n")), 0))
        .order_by("due", "task__plan", "task__position", "position")
        .values("id", "task", "task__number", "task__title", "text", "due", "done")
    )
    return list(found)


def _newest_first(records: QuerySet, work: QuerySet, narrow: bool) -> QuerySet:
    """``records`` (reports or reviews) of ``work``, newest first. The database walks all records
    newest first until it has found enough of the work's, which is quick for much of the platform's
    work and slow for a few units' work that has been quiet lately (the walk passes everyone else's).
    Narrow work is asked the other way: the work with the newest records first, each looked up in its
    own index; the newest records are then among those of the first few."""
    if narrow:
        newest = records.filter(assignment=OuterRef("id")).order_by("-created_at").values("created_at")[:1]
        busiest = (
            work.annotate(newest=Subquery(newest))
            .filter(newest__isnull=False)
            .order_by("-newest")
            .values("id")[:LATEST_ACTIVITY]
        )
        records = records.filter(assignment__in=busiest)
    else:
        records = records.filter(assignment__in=work.values("id"))
    return records.order_by("-created_at")


def latest_activity(user, scope: Scope, work_count: int) -> list[dict]:
    """The latest reports and reviews on the work in scope (``work_count`` assignments), newest first."""
    work = work_rows(user, scope)
    narrow = work_count <= NARROW_WORK
    moment = scope.moment or timezone.now() + datetime.timedelta(days=1)
    on_work = (
        "created_at",
        "assignment__task",
        "assignment__task__number",
        "assignment__task__title",
        "assignment__unit__name",
    )
    reports = _newest_first(ProgressReport.objects.filter(created_at__lt=moment), work, narrow).values(
        *on_work, "period", "percent"
    )[:LATEST_ACTIVITY]
    reviews = _newest_first(StatusChange.objects.filter(created_at__lt=moment), work, narrow).values(
        *on_work, "from_status", "to_status"
    )[:LATEST_ACTIVITY]
    merged = [{**r, "kind": "report"} for r in reports] + [
        {**r, "kind": "review", "review": f"{S(r['from_status']).label} → {S(r['to_status']).label}"} for r in reviews
    ]
    return sorted(merged, key=lambda item: item["created_at"], reverse=True)[:LATEST_ACTIVITY]


# --- Cached --------------------------------------------------------------------------------------

PAST_CACHE_SECONDS = 24 * 60 * 60


def data_version() -> int:
    """The version of the counted data, from the database: every process sees every change."""
    return DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def data_changed() -> None:
    """Every cached dashboard is out of date: its key names an older version."""
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        # The first change ever (or after the table was emptied); a second process may start it too.
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def cached(key_of, make, timeout: int):
    """``make()``, kept in the cache under ``key_of()`` for ``timeout`` seconds (0: not kept, nor
    looked for). A cache that does not answer (Redis down) costs the saving, never the page: the
    figures are made afresh."""
    if timeout == 0:
        return make()
    try:
        key = key_of()
        found = cache.get(key)
    except Exception:  # any failure of the cache's server
        logger.warning("dashboard cache unavailable", exc_info=True)
        return make()
    if found is None:
        found = make()
        try:
            cache.set(key, found, timeout=timeout)
        except Exception:  # as above
            logger.warning("dashboard cache unavailable", exc_info=True)
    return found


def _view_of(user) -> str:
    """Whose view of the data: everything, or one unit's."""
    return "all" if policy.sees_everything(user) else f"unit{user.unit_id}"


def _scope_key(scope: Scope) -> str:
    parts = [
        scope.plan.pk if scope.plan else "",
        scope.section.pk if scope.section else "",
        scope.year or "",
        scope.unit_kind or "",
        scope.unit.pk if scope.unit else "",
        scope.day.isoformat(),
        "asof" if scope.as_of else "now",
    ]
    return ":".join(str(part) for part in parts)


def dashboard(user, scope: Scope) -> Dashboard:
    return cached(
        lambda: f"dashboard:{data_version()}:{_view_of(user)}:{_scope_key(scope)}",
        lambda: build(user, scope),
        settings.DASHBOARD_CACHE_SECONDS,
    )


def build(user, scope: Scope) -> Dashboard:
    found = counted(user, scope)
    cells = task_cells(user, scope, found=found)
    figures = figures_of(cells)
    enterprises, departments = unit_ranking(unit_cells(user, scope, found=found), scope.day)
    return Dashboard(
        scope=scope,
        figures=figures,
        previous=previous_figures(user, scope),
        by_section=by_section(cells, scope.day),
        by_year=by_year(cells, scope.day),
        burn_up=burn_up(scope, cells, found.accepted_by_month),
        enterprises=enterprises,
        departments=departments,
        most_overdue=most_overdue(user, scope, cells),
        milestones=milestones_of_the_month(user, scope),
        activity=latest_activity(user, scope, figures.counts["all"]),
    )


def previous_figures(user, scope: Scope) -> Figures:
    """The figures at the end of last month. A past day's figures come from history, which only grows
    at its present end: they are cached for a day whatever changes today."""
    then = replace(scope, as_of=previous_month_end(scope.day))
    return cached(
        lambda: f"dashboard:past:{_view_of(user)}:{_scope_key(then)}",
        lambda: figures_of(task_cells(user, then, labelled=False, found=counted(user, then, by_month=False))),
        PAST_CACHE_SECONDS,
    )
