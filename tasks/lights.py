"""The traffic light of an assignment and a task, derived from dates and reports, never stored.

红 red: overdue — past its due date, or past the date of one of its task's milestones that the unit
  has not marked done, and neither submitted nor accepted.
黄 yellow: due, or a milestone not done is due, within ``due_soon_days`` and not submitted; or behind
  序时进度: its latest reported percent is more than ``behind_points`` below the share of its time
  already gone.
灰 gray: not started (and not red or yellow), or cancelled.
绿 green: on track, submitted or accepted.
A task shows the most urgent light of its assignments that are not cancelled.

The dashboard's 逾期 measure (tasks.work) counts work past the unit's own deadline only: red work
late on a milestone alone is not in it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from tasks.choices import AssignmentStatus as S

RED, YELLOW, GREEN, GRAY = "red", "yellow", "green", "gray"
# Most urgent first: a task shows the first of these that any of its assignments has.
URGENCY = (RED, YELLOW, GREEN, GRAY)
_DONE = {S.SUBMITTED, S.ACCEPTED}


@dataclass(frozen=True)
class LightRules:
    due_soon_days: int
    behind_points: int

    @classmethod
    def from_settings(cls) -> "LightRules":
        return cls(settings.LIGHT_DUE_SOON_DAYS, settings.LIGHT_BEHIND_POINTS)


def expected_percent(*, start: datetime.date | None, due: datetime.date, today: datetime.date) -> int | None:
    """序时进度: the share of the time from start to due already gone, in percent."""
    if start is None or due <= start:
        return None
    gone = (min(today, due) - start).days
    return max(0, min(100, round(100 * gone / (due - start).days)))


def assignment_light(
    *,
    status: str,
    due: datetime.date | None,
    today: datetime.date,
    rules: LightRules,
    start: datetime.date | None = None,
    latest_percent: int | None = None,
    milestone_due: datetime.date | None = None,
) -> str:
    """``milestone_due``: the earliest date among the task's milestones the unit has not marked done
    (only one within ``due_soon_days`` of today or past can change the light: ``milestone_horizon``)."""
    if status in _DONE:
        return GREEN
    if status == S.CANCELLED:
        return GRAY
    pressing = _earliest(due, milestone_due)
    if pressing is not None:
        # Due on a day means due by its end: overdue from the day after.
        if pressing < today:
            return RED
        if (pressing - today).days <= rules.due_soon_days:
            return YELLOW
    if due is not None:
        expected = expected_percent(start=start, due=due, today=today)
        if expected is not None and status != S.NOT_STARTED and (latest_percent or 0) < expected - rules.behind_points:
            return YELLOW
    return GRAY if status == S.NOT_STARTED else GREEN


def milestone_horizon(today: datetime.date, rules: LightRules) -> datetime.date:
    """The last day a milestone can be due and still change today's light."""
    return today + datetime.timedelta(days=rules.due_soon_days)


def _earliest(due: datetime.date | None, milestone_due: datetime.date | None) -> datetime.date | None:
    return min((day for day in (due, milestone_due) if day is not None), default=None)


@dataclass(frozen=True)
class LightFacts:
    """What a light was decided by, shown beside it so that it explains itself: 序时进度 (the share
    of the time gone), the percent last reported, and the days left (negative: days late) to the
    nearest date the unit owes: its due date, or a milestone's when that comes first (``milestone``)."""

    expected: int | None
    reported: int | None
    days_left: int | None
    milestone: bool = False

    @property
    def days_late(self) -> int:
        return -(self.days_left or 0)


def light_facts(
    *,
    status: str,
    due: datetime.date | None,
    today: datetime.date,
    start: datetime.date | None,
    latest_percent,
    milestone_due: datetime.date | None = None,
) -> LightFacts | None:
    """The facts beside an open assignment's light; None for work done or cancelled (nothing to explain)."""
    if status in _DONE or status == S.CANCELLED:
        return None
    expected = expected_percent(start=start, due=due, today=today) if due else None
    pressing = _earliest(due, milestone_due)
    days_left = (pressing - today).days if pressing else None
    return LightFacts(expected, latest_percent, days_left, milestone=pressing is not None and pressing != due)


def most_urgent(lights) -> str:
    """The light of a task from its assignments' lights (gray when it has none)."""
    present = set(lights)
    return next((light for light in URGENCY if light in present), GRAY)
