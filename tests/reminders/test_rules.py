"""Which reminders fall due on a day, by the rules and China's official calendar.

Calendar facts used (State Council schedules): 2025-09-28 (Sunday) and 2025-10-11 (Saturday)
are 调休 working days; 2025-10-01…08 are the National Day holiday; 2024 is a leap year;
2026-01-01…03 are the New Year holiday and 2026-01-04 (Sunday) a working day.
"""

import datetime

import pytest

from tasks.reminders import workdays
from tasks.reminders.choices import Kind
from tasks.reminders.rules import OpenWork, Rules, Window, reminders_due

D = datetime.date
PLAIN = Rules(workdays_only=False)
OFFICIAL = Rules(workdays_only=True)


def on(day, *work, rules=OFFICIAL, first=None):
    """The reminders of a sweep on ``day`` (catching up from ``first``), digests left out."""
    found = reminders_due(work, Window(first or day, day), rules)
    return [(due.kind, due.step, due.key_date, due.fires_on) for due in found if due.kind != Kind.DIGEST]


def work(due, **fields):
    return OpenWork(assignment_id=1, unit_id=1, due=due, **{"latest_period": "9999-12", **fields})


@pytest.mark.parametrize(
    ("day", "step"),
    [(D(2025, 5, 31), 30), (D(2025, 6, 23), 7), (D(2025, 6, 29), 1), (D(2025, 6, 30), 0)],
)
def test_before_a_deadline_30_7_1_and_0_days(day, step):
    assert on(day, work(D(2025, 6, 30)), rules=PLAIN) == [(Kind.DUE_SOON, step, D(2025, 6, 30), day)]


@pytest.mark.parametrize("day", [D(2025, 5, 30), D(2025, 6, 1), D(2025, 6, 24), D(2025, 6, 28)])
def test_nothing_between_the_reminder_days(day):
    assert on(day, work(D(2025, 6, 30)), rules=PLAIN) == []


def test_a_leap_day_is_a_day_like_any_other():
    # 30 days before 2024-03-30 is 2024-02-29.
    assert on(D(2024, 2, 29), work(D(2024, 3, 30)), rules=PLAIN) == [
        (Kind.DUE_SOON, 30, D(2024, 3, 30), D(2024, 2, 29))
    ]
    assert on(D(2024, 2, 28), work(D(2024, 2, 29)), rules=PLAIN)[0][1] == 1


def test_a_sunday_deadline_is_reminded_on_the_friday_before_not_after():
    sunday = D(2025, 6, 29)
    # Saturday's "one day before" and Sunday's "on the day" both come back to Friday: one reminder.
    assert on(D(2025, 6, 27), work(sunday)) == [(Kind.DUE_SOON, 0, sunday, D(2025, 6, 27))]
    assert on(D(2025, 6, 28), work(sunday)) == on(sunday, work(sunday)) == []
    # A week before falls on a Sunday too, and moves on to Monday, still before the deadline.
    assert on(D(2025, 6, 23), work(sunday)) == [(Kind.DUE_SOON, 7, sunday, D(2025, 6, 23))]
    # Overdue from Monday.
    assert on(D(2025, 6, 30), work(sunday)) == [(Kind.OVERDUE, -1, sunday, D(2025, 6, 30))]


def test_a_deadline_in_the_national_day_holiday():
    deadline = D(2025, 10, 8)
    # Every before-deadline reminder inside the holiday comes back to the last working day before it.
    assert on(D(2025, 9, 30), work(deadline)) == [(Kind.DUE_SOON, 0, deadline, D(2025, 9, 30))]
    assert on(D(2025, 10, 1), work(deadline)) == []
    # Late from the day after; the first working day after the holiday is the 9th.
    assert on(D(2025, 10, 9), work(deadline)) == [(Kind.OVERDUE, -1, deadline, D(2025, 10, 9))]


def test_a_make_up_working_day_gets_its_reminders():
    # 2025-10-11 is a Saturday but a working day: due that day, reminded that day.
    assert on(D(2025, 10, 11), work(D(2025, 10, 11))) == [(Kind.DUE_SOON, 0, D(2025, 10, 11), D(2025, 10, 11))]
    # Late from Saturday 2025-09-27 (a day off): the first day late is Sunday the 28th, a working day.
    assert on(D(2025, 9, 28), work(D(2025, 9, 27))) == [(Kind.OVERDUE, -1, D(2025, 9, 27), D(2025, 9, 28))]


def test_without_the_calendar_a_weekend_is_a_day_like_any_other():
    assert on(D(2025, 6, 29), work(D(2025, 6, 29)), rules=PLAIN) == [(Kind.DUE_SOON, 0, D(2025, 6, 29), D(2025, 6, 29))]


def test_overdue_on_the_first_day_then_weekly_and_escalated_after_14_days():
    deadline = D(2025, 3, 10)
    assert on(D(2025, 3, 11), work(deadline), rules=PLAIN) == [(Kind.OVERDUE, -1, deadline, D(2025, 3, 11))]
    assert on(D(2025, 3, 12), work(deadline), rules=PLAIN) == []
    assert on(D(2025, 3, 18), work(deadline), rules=PLAIN) == [(Kind.OVERDUE, -8, deadline, D(2025, 3, 18))]
    assert on(D(2025, 3, 25), work(deadline), rules=PLAIN) == [
        (Kind.OVERDUE, -15, deadline, D(2025, 3, 25)),
        (Kind.ESCALATION, -15, deadline, D(2025, 3, 25)),
    ]
    assert on(D(2025, 4, 1), work(deadline), rules=PLAIN) == [(Kind.OVERDUE, -22, deadline, D(2025, 4, 1))]


def test_a_sweep_that_missed_days_catches_up_with_the_latest_reminder_only():
    deadline = D(2025, 6, 30)
    # Days 23 (7 before), 29 (1 before) and 30 (the day) were all missed: the day's reminder is due.
    assert on(D(2025, 6, 30), work(deadline), rules=PLAIN, first=D(2025, 6, 20)) == [
        (Kind.DUE_SOON, 0, deadline, D(2025, 6, 30))
    ]
    # Missed the 11th and the 18th of an overdue deadline: one overdue reminder, the latest.
    assert on(D(2025, 3, 20), work(D(2025, 3, 10)), rules=PLAIN, first=D(2025, 3, 11)) == [
        (Kind.OVERDUE, -8, D(2025, 3, 10), D(2025, 3, 18))
    ]


def test_no_reminder_before_the_work_starts():
    later = work(D(2025, 7, 15), start=D(2025, 7, 1), latest_period="")
    assert on(D(2025, 6, 15), later, rules=PLAIN) == []  # 30 days before, but not yet started
    assert on(D(2025, 6, 25), later, rules=PLAIN) == []  # report day, not yet started
    assert on(D(2025, 7, 8), later, rules=PLAIN) == [(Kind.DUE_SOON, 7, D(2025, 7, 15), D(2025, 7, 8))]


@pytest.mark.parametrize(
    ("rules", "day", "period_start"),
    [
        (PLAIN, D(2025, 6, 25), D(2025, 6, 1)),
        (Rules(report_day=31, workdays_only=False), D(2025, 2, 28), D(2025, 2, 1)),  # month end
        (Rules(report_day=31, workdays_only=False), D(2024, 2, 29), D(2024, 2, 1)),  # leap February
        (Rules(report_day=31, workdays_only=False), D(2025, 4, 30), D(2025, 4, 1)),
        (Rules(report_day=30), D(2025, 12, 1), D(2025, 11, 1)),  # Sunday the 30th: Monday, December
    ],
)
def test_monthly_report_reminder_on_its_day(rules, day, period_start):
    assert on(day, work(None, latest_period="2020-01"), rules=rules) == [(Kind.REPORT_MISSING, 0, period_start, day)]


def test_a_month_already_reported_is_not_reminded():
    assert on(D(2025, 6, 25), work(None, latest_period="2025-06"), rules=PLAIN) == []
    assert on(D(2025, 6, 25), work(None, latest_period="2025-05"), rules=PLAIN)[0][0] == Kind.REPORT_MISSING


def test_milestones_are_reminded_unless_the_assignments_own_deadline_says_it():
    item = OpenWork(
        1, 1, D(2025, 12, 31), latest_period="9999-12", milestones=((7, D(2025, 6, 30)), (8, D(2025, 12, 31)))
    )
    found = reminders_due([item], Window(D(2025, 6, 30), D(2025, 6, 30)), PLAIN)
    assert [(d.kind, d.milestone_id, d.step) for d in found if d.kind != Kind.DIGEST] == [(Kind.DUE_SOON, 7, 0)]


def test_the_weekly_digest_moves_out_of_a_holiday_and_comes_once_per_unit():
    items = [OpenWork(1, 5, None), OpenWork(2, 5, None), OpenWork(3, 6, None)]

    def digests(first, last):
        found = reminders_due(items, Window(first, last), OFFICIAL)
        return [(d.unit_id, d.key_date, d.fires_on) for d in found if d.kind == Kind.DIGEST]

    # Monday 2025-10-06 is in the holiday: its digest goes out on Thursday the 9th.
    assert digests(D(2025, 10, 6), D(2025, 10, 6)) == []
    assert digests(D(2025, 10, 9), D(2025, 10, 9)) == [
        (5, D(2025, 10, 6), D(2025, 10, 9)),
        (6, D(2025, 10, 6), D(2025, 10, 9)),
    ]
    assert digests(D(2025, 10, 13), D(2025, 10, 13)) == [
        (5, D(2025, 10, 13), D(2025, 10, 13)),
        (6, D(2025, 10, 13), D(2025, 10, 13)),
    ]
    # A sweep catching up over both sends the latest only.
    assert digests(D(2025, 10, 7), D(2025, 10, 13)) == [
        (5, D(2025, 10, 13), D(2025, 10, 13)),
        (6, D(2025, 10, 13), D(2025, 10, 13)),
    ]


def test_days_before_can_be_configured():
    rules = Rules(days_before=(14, 3), workdays_only=False)
    assert on(D(2025, 6, 16), work(D(2025, 6, 30)), rules=rules)[0][1] == 14
    assert on(D(2025, 6, 23), work(D(2025, 6, 30)), rules=rules) == []
    assert on(D(2025, 6, 30), work(D(2025, 6, 30)), rules=rules) == []


def test_the_official_calendar_and_a_year_it_does_not_know_yet():
    assert workdays.is_workday(D(2025, 9, 28)) and workdays.is_workday(D(2025, 10, 11))
    assert not workdays.is_workday(D(2025, 10, 1))
    assert workdays.next_workday(D(2025, 12, 31)) == D(2025, 12, 31)
    assert workdays.next_workday(D(2026, 1, 1)) == D(2026, 1, 4)  # a Sunday made a working day
    assert workdays.previous_workday(D(2025, 10, 8)) == D(2025, 9, 30)
    # A year without a published schedule: weekends only, and known() says so.
    far = D(2099, 1, 3)  # a Saturday
    assert not workdays.known(2099)
    assert workdays.next_workday(far) == D(2099, 1, 5)


def test_the_day_before_a_monday_deadline_is_the_friday():
    monday = D(2025, 6, 30)
    assert on(D(2025, 6, 27), work(monday)) == [(Kind.DUE_SOON, 1, monday, D(2025, 6, 27))]
    assert on(D(2025, 6, 30), work(monday)) == [(Kind.DUE_SOON, 0, monday, D(2025, 6, 30))]
