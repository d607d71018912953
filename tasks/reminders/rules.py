"""Which reminders fall due in a window of days: pure functions of dates and open work.

A sweep covers the days from the one after the last sweep to today (``Window``), so a sweep
that did not run for some days catches up; of several reminders of one kind for one object in
the window, only the latest is due. With ``workdays_only``, a reminder that falls on a day off
moves to the next working day; one before a deadline moves back instead when moving on would
take it onto or past the deadline (a Sunday deadline is reminded on the Friday; so is the day
before a Monday one).
"""

import calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tasks.reminders import workdays
from tasks.reminders.choices import Kind

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Rules:
    days_before: tuple[int, ...] = (30, 7, 1, 0)
    overdue_every: int = 7
    escalate_after: int = 14
    report_day: int = 25
    digest_weekday: int = 0  # Monday
    workdays_only: bool = True


@dataclass(frozen=True)
class Window:
    """The days a sweep covers, both ends included."""

    first: datetime.date
    last: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def days(self) -> Iterator[datetime.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += ONE_DAY


@dataclass(frozen=True)
class OpenWork:
    """An assignment that still owes work, with its milestones the unit has not marked done."""

    assignment_id: int
    unit_id: int
    due: datetime.date | None
    start: datetime.date | None = None
    latest_period: str = ""
    milestones: tuple[tuple[int, datetime.date], ...] = ()


@dataclass(frozen=True)
class Due:
    """A reminder due in the window. ``key_date`` is the deadline it is about (the period's first day
    for a monthly report, the week's first day for a digest); ``step`` tells reminders of one
    deadline apart: days before it, or minus the days after it."""

    kind: str
    unit_id: int
    assignment_id: int | None
    milestone_id: int | None
    key_date: datetime.date
    step: int
    fires_on: datetime.date


def reminders_due(work: Iterable[OpenWork], window: Window, rules: Rules) -> list[Due]:
    found: list[Due] = []
    units: set[int] = set()
    report_days = list(_report_days(window, rules))
    for item in work:
        units.add(item.unit_id)
        found.extend(_for_work(item, window, rules, report_days))
    for unit_id in sorted(units):
        found.extend(_digests(unit_id, window, rules))
    return found


def _for_work(item: OpenWork, window: Window, rules: Rules, report_days) -> Iterator[Due]:
    def started(day: datetime.date) -> bool:
        return item.start is None or day >= item.start

    def due(kind, key_date, step, fires_on, milestone_id=None) -> Due:
        return Due(kind, item.unit_id, item.assignment_id, milestone_id, key_date, step, fires_on)

    if item.due is not None:
        found = _before(item.due, window, rules)
        if found and started(found[1]):
            yield due(Kind.DUE_SOON, item.due, *found)
        found = _overdue(item.due, window, rules)
        if found and started(found[1]):
            yield due(Kind.OVERDUE, item.due, *found)
        raw = item.due + datetime.timedelta(days=rules.escalate_after + 1)
        fires = _shift(raw, rules)
        if fires in window and started(fires):
            yield due(Kind.ESCALATION, item.due, -(rules.escalate_after + 1), fires)
    for milestone_id, milestone_due in item.milestones:
        if milestone_due == item.due:
            continue  # the assignment's own reminder says it
        found = _before(milestone_due, window, rules)
        if found and started(found[1]):
            yield due(Kind.DUE_SOON, milestone_due, *found, milestone_id=milestone_id)
    for period_start, fires in report_days:
        period = f"{period_start:%Y-%m}"
        if started(fires) and item.latest_period < period:
            yield due(Kind.REPORT_MISSING, period_start, 0, fires)


def _before(deadline: datetime.date, window: Window, rules: Rules) -> tuple[int, datetime.date] | None:
    """The latest of the before-deadline reminders in the window: (days before, the day it fires)."""
    latest = None
    for days in sorted(set(rules.days_before), reverse=True):
        # A reminder of days before stays before the deadline; the day's own may fall on it.
        not_after = deadline - ONE_DAY if days else deadline
        fires = _shift(deadline - datetime.timedelta(days=days), rules, not_after=not_after)
        if fires in window and (latest is None or fires >= latest[1]):
            latest = (days, fires)
    return latest


def _overdue(deadline: datetime.date, window: Window, rules: Rules) -> tuple[int, datetime.date] | None:
    """The latest overdue reminder in the window: on the first day late, then every ``overdue_every`` days."""
    first = deadline + ONE_DAY
    if window.last < first:
        return None
    every = max(rules.overdue_every, 1)
    for k in range((window.last - first).days // every, -1, -1):
        raw = first + datetime.timedelta(days=k * every)
        fires = _shift(raw, rules)
        if fires <= window.last:
            return (-(raw - deadline).days, fires) if fires >= window.first else None
    return None


def _report_days(window: Window, rules: Rules) -> Iterator[tuple[datetime.date, datetime.date]]:
    """(first day of the month, the day its report reminder fires) for each in the window."""
    month = window.first.replace(day=1) - ONE_DAY  # last month's may move into the window
    month = month.replace(day=1)
    while month <= window.last:
        last_day = calendar.monthrange(month.year, month.month)[1]
        fires = _shift(month.replace(day=min(rules.report_day, last_day)), rules)
        if fires in window:
            yield month, fires
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _digests(unit_id: int, window: Window, rules: Rules) -> Iterator[Due]:
    # Two weeks back: a digest day off may have moved into the window.
    day = window.first - datetime.timedelta(days=14)
    latest = None
    while day <= window.last:
        if day.weekday() == rules.digest_weekday:
            fires = _shift(day, rules)
            if fires in window:
                latest = Due(Kind.DIGEST, unit_id, None, None, day, 0, fires)
        day += ONE_DAY
    if latest:
        yield latest


def _shift(day: datetime.date, rules: Rules, *, not_after: datetime.date | None = None) -> datetime.date:
    if not rules.workdays_only:
        return day
    moved = workdays.next_workday(day)
    if not_after is not None and moved > not_after:
        return workdays.previous_workday(day)
    return moved
