"""Units' work (assignments) chosen by plan, reform area, deadline year, unit kind and unit, now or as
it stood at the end of a past day, and the measures counted on it.

The dashboard counts these measures and the work list shows them, from this one definition, so
that every figure's drill-down lists exactly what it counts. Cancelled work and the work of
withdrawn tasks are left out, as everywhere the platform counts.
"""

import datetime
import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.models import Unit
from tasks.asof import as_of_versions, day_end
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, Plan, ProgressReport, Section, Task

# Work that still owes something: it can be late and owes a monthly report.
OWING = (S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED)
DUE_SOON_DAYS = 30
# Before any plan this platform tracks: an earlier as-of day is a typing slip.
EARLIEST_DAY = datetime.date(2000, 1, 1)

MEASURES = {
    "all": _("Units' assignments"),
    "accepted": _("Accepted"),
    "in_progress": _("In progress"),
    "overdue": _("Overdue"),
    "due_soon": _("Due within 30 days"),
    "report_missing": _("No report this month"),
}


@dataclass(frozen=True)
class Scope:
    """What a dashboard or work list is about; None is "all"."""

    plan: Plan | None = None
    section: Section | None = None
    year: int | None = None  # of the deadline
    unit_kind: str | None = None
    unit: Unit | None = None
    as_of: datetime.date | None = None
    due_by: datetime.date | None = None  # deadlines on or before

    @property
    def day(self) -> datetime.date:
        return self.as_of or timezone.localdate()

    @property
    def moment(self) -> datetime.datetime | None:
        """The end of the as-of day; None for now."""
        return day_end(self.as_of) if self.as_of else None


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return next_month(day) - datetime.timedelta(days=1)


def period_of(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def deadline_years(user) -> list[int]:
    """The years on record that a deadline falls in, of the tasks' and units' own that ``user`` may
    see, in order; this year when there are none."""
    found = (
        Task.objects.visible_to(user)
        .filter(due__isnull=False)
        .dates("due", "year")
        .order_by()
        .union(Assignment.objects.visible_to(user).filter(due__isnull=False).dates("due", "year").order_by())
    )
    return sorted({day.year for day in found}) or [timezone.localdate().year]


def plans_ever_visible(user) -> QuerySet:
    """The plans ``user`` may see now or could see on a past day: a unit's people keep the plans of work
    their unit had then and has no longer (removed after a mistake)."""
    if policy.sees_everything(user):
        return Plan.objects.visible_to(user)
    had = policy.restrict(Assignment.history.all(), user, "unit").values("task__plan")
    return Plan.objects.filter(Q(pk__in=Plan.objects.visible_to(user).values("pk")) | Q(pk__in=had))


def work_rows(user, scope: Scope) -> QuerySet:
    """The work in scope that ``user`` may see, each row with its ``deadline`` (its own due date, else
    its task's) and ``reported`` (a report for the month of the scope's day): live rows now, the
    versions recorded by the day's end for a past day."""
    moment = scope.moment
    if moment is None:
        rows = Assignment.objects.visible_to(user)
    else:
        # An assignment never moves to another task: the plan narrows the versions before they are sorted.
        history = Assignment.history.filter(task__plan=scope.plan) if scope.plan else Assignment.history.all()
        rows = policy.restrict(as_of_versions(history, moment), user, "unit")
    return _in_scope(rows, scope)


def past_work_split(user, scope: Scope) -> tuple[QuerySet, QuerySet]:
    """The same work as ``work_rows`` for a past day, in two parts that are cheap to count: the live
    rows of the work unchanged since, and the versions then of the work changed since (usually few).
    Counting the versions of all the work is a sort of the whole history."""
    moment = scope.moment
    changed = Assignment.history.filter(history_date__gte=moment).values("id")
    unchanged = Assignment.objects.visible_to(user).exclude(id__in=changed)
    versions = policy.restrict(as_of_versions(Assignment.history.filter(id__in=changed), moment), user, "unit")
    task_due = _task_due_then(moment)
    return _in_scope(unchanged, scope, task_due), _in_scope(versions, scope, task_due)


def _in_scope(rows: QuerySet, scope: Scope, task_due=None) -> QuerySet:
    """``rows`` (live assignments or their versions) as they were seen on the scope's day, narrowed
    to the scope; ``task_due``, the tasks' due dates then, when already looked up."""
    moment, period = scope.moment, period_of(scope.day)
    if moment is None:
        rows = rows.filter(task__withdrawn_at__isnull=True)
        task_due = F("task__due")
        # The row keeps its latest report's period (written with the report): no look-up per row.
        reported = ExpressionWrapper(Q(latest_period__gte=period), output_field=BooleanField())
    else:
        rows = rows.filter(Q(task__withdrawn_at__isnull=True) | Q(task__withdrawn_at__gte=moment))
        task_due = task_due if task_due is not None else _task_due_then(moment)
        reported = Exists(
            ProgressReport.objects.filter(assignment=OuterRef("id"), period=period, created_at__lt=moment)
        )
    rows = rows.exclude(status=S.CANCELLED).annotate(
        deadline=Coalesce("due", task_due, output_field=DateField()), reported=reported
    )
    if scope.plan is not None:
        rows = rows.filter(task__plan=scope.plan)
    if scope.section is not None:
        rows = rows.filter(task__section=scope.section)
    if scope.unit_kind:
        rows = rows.filter(unit__kind=scope.unit_kind)
    if scope.unit is not None:
        rows = rows.filter(unit=scope.unit)
    if scope.year:
        rows = rows.filter(deadline__year=scope.year)
    if scope.due_by:
        rows = rows.filter(deadline__lte=scope.due_by)
    return rows


def _task_due_then(moment):
    """A task's due date at ``moment``: today's, unless the task has changed since (rare: a look-up for
    those alone)."""
    changed = list(Task.history.filter(history_date__gte=moment).values_list("id", flat=True).distinct())
    if not changed:
        return F("task__due")
    then = Task.history.filter(id=OuterRef("task_id"), history_date__lt=moment).order_by("-history_date", "-history_id")
    return Case(When(task_id__in=changed, then=Subquery(then.values("due")[:1])), default=F("task__due"))


def measure_q(measure: str, day: datetime.date) -> Q:
    """The rows a measure counts on ``day``. Due on a day means by its end: late from the next."""
    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    return {
        "all": Q(),
        "accepted": Q(status=S.ACCEPTED),
        "in_progress": Q(status__in=[S.IN_PROGRESS, S.RETURNED]),
        "overdue": Q(status__in=OWING, deadline__lt=day),
        "due_soon": Q(deadline__gte=day, deadline__lte=soon) & ~Q(status=S.ACCEPTED),
        "report_missing": Q(status__in=OWING, reported=False),
    }[measure]


def work_list_url(scope: Scope, *, page: str = "tasks:work_list", **narrowed) -> str:
    """The work list of ``scope`` narrowed by ``narrowed`` (measure, section, year, unit, due_by): the
    page that lists what a figure counted on that scope; or another ``page`` over the same work (一键催报)."""
    params = {
        "plan": scope.plan.pk if scope.plan else None,
        "year": scope.year,
        "unit_kind": scope.unit_kind,
        "unit": scope.unit.pk if scope.unit else None,
        "as_of": scope.as_of,
        **narrowed,
    }
    query = urlencode({name: value for name, value in params.items() if value not in (None, "", "all")})
    return _path_of(page, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF)) + (f"?{query}" if query else "")


@functools.lru_cache(maxsize=32)
def _path_of(page: str, prefix: str, urlconf) -> str:
    """``reverse(page)``, kept: a dashboard links to the work list some three hundred times, and the
    path changes only with the site's prefix and URL configuration (the key)."""
    return reverse(page)
