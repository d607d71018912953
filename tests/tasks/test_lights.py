"""The traffic light, from dates and reports: each colour and its edges."""

import datetime

import pytest

from tasks.choices import AssignmentStatus as S
from tasks.lights import (
    GRAY,
    GREEN,
    RED,
    YELLOW,
    LightFacts,
    LightRules,
    assignment_light,
    expected_percent,
    light_facts,
    milestone_horizon,
    most_urgent,
)

TODAY = datetime.date(2022, 3, 15)
RULES = LightRules(due_soon_days=30, behind_points=20)


def light(status, due, **kwargs):
    return assignment_light(status=status, due=due, today=TODAY, rules=RULES, **kwargs)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (S.IN_PROGRESS, datetime.date(2022, 3, 14), RED),  # due yesterday
        (S.IN_PROGRESS, TODAY, YELLOW),  # due today: not yet overdue
        (S.NOT_STARTED, datetime.date(2022, 3, 1), RED),
        (S.RETURNED, datetime.date(2022, 3, 1), RED),  # returned work past its date is late again
        (S.SUBMITTED, datetime.date(2022, 3, 1), GREEN),  # the unit has done its part
        (S.ACCEPTED, datetime.date(2021, 1, 1), GREEN),
        (S.IN_PROGRESS, datetime.date(2022, 4, 14), YELLOW),  # 30 days ahead
        (S.IN_PROGRESS, datetime.date(2022, 4, 15), GREEN),  # 31 days ahead
        (S.NOT_STARTED, datetime.date(2022, 12, 31), GRAY),
        (S.NOT_STARTED, None, GRAY),
        (S.IN_PROGRESS, None, GREEN),
    ],
)
def test_light_by_status_and_due_date(status, due, expected):
    assert light(status, due) == expected


def test_behind_the_time_already_gone_is_yellow():
    start, due = datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)  # 20% of the year gone by 15 March

    assert expected_percent(start=start, due=due, today=TODAY) == 20
    assert light(S.IN_PROGRESS, due, start=start, latest_percent=0) == GREEN  # 0 ≥ 20 − 20
    later = datetime.date(2022, 7, 1)  # half the year gone
    assert (
        assignment_light(status=S.IN_PROGRESS, due=due, today=later, rules=RULES, start=start, latest_percent=29)
        == YELLOW
    )
    assert (
        assignment_light(status=S.IN_PROGRESS, due=due, today=later, rules=RULES, start=start, latest_percent=30)
        == GREEN
    )


def test_a_task_shows_its_most_urgent_light():
    assert most_urgent([GREEN, GRAY, YELLOW]) == YELLOW
    assert most_urgent([GREEN, RED]) == RED
    assert most_urgent([GRAY, GREEN]) == GREEN
    assert most_urgent([]) == GRAY


@pytest.mark.parametrize(
    ("status", "due", "latest", "facts"),
    [
        (S.IN_PROGRESS, datetime.date(2022, 3, 6), 30, LightFacts(expected=100, reported=30, days_left=-9)),
        (S.NOT_STARTED, datetime.date(2022, 5, 14), None, LightFacts(expected=67, reported=None, days_left=60)),
        (S.IN_PROGRESS, None, 10, LightFacts(expected=None, reported=10, days_left=None)),
        (S.SUBMITTED, datetime.date(2022, 3, 6), 100, None),  # done: nothing to explain
        (S.CANCELLED, datetime.date(2022, 3, 6), 0, None),
    ],
)
def test_a_light_comes_with_the_facts_it_was_decided_by(status, due, latest, facts):
    start = datetime.date(2021, 11, 14)  # 121 days before TODAY

    assert light_facts(status=status, due=due, today=TODAY, start=start, latest_percent=latest) == facts


@pytest.mark.parametrize(
    ("status", "milestone_due", "expected"),
    [
        (S.NOT_STARTED, datetime.date(2021, 4, 15), RED),  # a milestone 11 months overdue: red, not gray
        (S.IN_PROGRESS, datetime.date(2022, 3, 14), RED),  # due yesterday
        (S.IN_PROGRESS, TODAY, YELLOW),  # due today: not yet overdue
        (S.NOT_STARTED, datetime.date(2022, 4, 14), YELLOW),  # within the 30 days
        (S.NOT_STARTED, None, GRAY),  # no milestone pending: the task's date alone
        (S.SUBMITTED, datetime.date(2021, 4, 15), GREEN),  # the unit has done its part
        (S.CANCELLED, datetime.date(2021, 4, 15), GRAY),
    ],
)
def test_a_milestone_not_done_counts_in_the_light(status, milestone_due, expected):
    assert light(status, datetime.date(2022, 12, 31), milestone_due=milestone_due) == expected


def test_the_days_beside_the_light_count_to_the_nearest_date_owed():
    start, due = datetime.date(2021, 11, 14), datetime.date(2022, 12, 31)

    late_step = light_facts(
        status=S.NOT_STARTED,
        due=due,
        today=TODAY,
        start=start,
        latest_percent=None,
        milestone_due=datetime.date(2022, 3, 5),
    )
    later_step = light_facts(
        status=S.NOT_STARTED,
        due=due,
        today=TODAY,
        start=start,
        latest_percent=None,
        milestone_due=datetime.date(2023, 1, 9),
    )

    assert (late_step.days_left, late_step.milestone) == (-10, True)
    assert (later_step.days_left, later_step.milestone) == ((due - TODAY).days, False)
    assert late_step.expected == later_step.expected  # 序时进度 runs to the unit's own due date


def test_only_milestones_within_the_due_soon_days_can_change_a_light():
    assert milestone_horizon(TODAY, RULES) == datetime.date(2022, 4, 14)
