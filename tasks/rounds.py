"""Monthly reporting rounds (月报), read: the work a round asks a report of, who has reported, who has
not and how late, over the caller's scope (orgs.policy). An open round is worked out from the reports
as they stand; a closed one reads the summary filed when it closed (RoundReturn)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from orgs import policy
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, ProgressReport, ReportingRound, RoundReturn
from tasks.work import OWING


@dataclass(frozen=True)
class UnitStanding:
    """A unit's part in a round: ``owed`` pieces of work, ``reported`` of them for the period, the
    last of those first reports at ``completed_at`` (once all are in)."""

    unit_id: int
    name: str
    owed: int
    reported: int
    completed_at: datetime.datetime | None

    @property
    def missing(self) -> int:
        return self.owed - self.reported

    def days_late(self, deadline: datetime.date) -> int | None:
        """Days after the deadline the last report came (0: in time); None while some are missing."""
        if self.missing or self.completed_at is None:
            return None
        return max(0, (timezone.localdate(self.completed_at) - deadline).days)


def _own_duty(user) -> QuerySet[Assignment]:
    """The work whose report is the caller's concern: a round asks each unit for its own, so a lead
    unit's reporter sees its unit's part, not its co-units' (orgs.policy.own_duty)."""
    return policy.own_duty(Assignment.objects.all(), user, "unit")


def _reports_for(period: str, before: datetime.datetime | None = None) -> QuerySet:
    reports = ProgressReport.objects.filter(assignment=OuterRef("pk"), period=period)
    return reports.filter(created_at__lt=before) if before is not None else reports


def round_work(user, period: str, *, before: datetime.datetime | None = None) -> QuerySet[Assignment]:
    """The work a round for ``period`` asks a report of, that ``user`` may see: the work still owing
    (not started, in progress, returned) and any that has a report for the period (since submitted or
    accepted); each row with ``first_reported_at``, its first report for the period (None: missing).
    ``before``: the reports made before that moment only."""
    reports = _reports_for(period, before)
    first = Subquery(reports.order_by("created_at", "pk").values("created_at")[:1])
    return (
        _own_duty(user)
        .filter(task__withdrawn_at__isnull=True)
        .exclude(status=S.CANCELLED)
        .filter(Q(status__in=OWING) | Exists(reports))
        .annotate(first_reported_at=first)
    )


def round_missing(user, period: str) -> QuerySet[Assignment]:
    """The round's missing list: owing work with no report for the period, by unit and document order."""
    return _missing(_own_duty(user), period)


def round_missing_everywhere(period: str) -> QuerySet[Assignment]:
    """The whole missing list, for the jobs that tell each unit what it owes (no caller to narrow it to)."""
    return _missing(Assignment.objects.all(), period)


def _missing(work: QuerySet[Assignment], period: str) -> QuerySet[Assignment]:
    return (
        work.filter(task__withdrawn_at__isnull=True, status__in=OWING)
        .exclude(Exists(_reports_for(period)))
        .select_related("task__plan", "unit")
        .order_by("unit__name", "unit_id", "task__plan_id", "task__position", "pk")
    )


def _by_urgency(standings: list[UnitStanding]) -> list[UnitStanding]:
    """Most missing first; of the complete, the latest to complete first; then by name."""

    def key(standing: UnitStanding):
        completed = standing.completed_at.timestamp() if standing.completed_at and not standing.missing else 0
        return (-standing.missing, -completed, standing.name)

    return sorted(standings, key=key)


def round_standing(
    user, reporting_round: ReportingRound, *, before: datetime.datetime | None = None
) -> list[UnitStanding]:
    """Each unit's part in the round that ``user`` may see, most missing first: live while the round is
    open (of the reports made ``before`` a moment, if given), as filed when it closed."""
    if not reporting_round.is_open:
        filed = RoundReturn.objects.visible_to(user).filter(round=reporting_round).select_related("unit")
        return _by_urgency([UnitStanding(r.unit_id, r.unit.name, r.owed, r.reported, r.completed_at) for r in filed])
    rows = (
        round_work(user, reporting_round.period, before=before)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(owed=Count("pk"), reported=Count("first_reported_at"), completed_at=Max("first_reported_at"))
    )
    return _by_urgency(
        [
            UnitStanding(
                row["unit_id"],
                row["unit__name"],
                row["owed"],
                row["reported"],
                # All reported at: not yet while some of it is missing.
                row["completed_at"] if row["reported"] == row["owed"] else None,
            )
            for row in rows
        ]
    )


@dataclass(frozen=True)
class RoundTotals:
    units: int
    units_complete: int
    owed: int
    reported: int

    @property
    def units_missing(self) -> int:
        return self.units - self.units_complete


def totals_of(standings: list[UnitStanding]) -> RoundTotals:
    return RoundTotals(
        units=len(standings),
        units_complete=sum(1 for s in standings if not s.missing),
        owed=sum(s.owed for s in standings),
        reported=sum(s.reported for s in standings),
    )


def open_rounds_missing(unit_id: int, owing: list[Assignment]) -> list[tuple[ReportingRound, list[Assignment]]]:
    """The open rounds the unit has a part in and, for each, which of ``owing`` (its own work still
    owing, loaded by the caller) has no report for the round's month yet: what 我的任务 shows at its
    head. A round it owes nothing in and has reported nothing for is not its concern. Two queries."""
    rounds = list(ReportingRound.objects.filter(closed_at__isnull=True).order_by("period"))
    if not rounds:
        return []
    reported = set(
        ProgressReport.objects.filter(assignment__unit_id=unit_id, period__in=[r.period for r in rounds]).values_list(
            "assignment_id", "period"
        )
    )
    found = []
    for reporting_round in rounds:
        missing = [a for a in owing if (a.pk, reporting_round.period) not in reported]
        if missing or any(period == reporting_round.period for _a, period in reported):
            found.append((reporting_round, missing))
    return found
