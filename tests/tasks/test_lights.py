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
