"""The task lists count their work's lights by kind (selectors.alike_work) rather than looking up
each assignment's pressing milestone: the counts are those of the per-assignment look-up
(with_milestone_due), however milestones are dated and marked done."""

import datetime
import random
from collections import Counter

import pytest

from tasks.choices import AssignmentStatus as S
from tasks.lights import LightRules
from tasks.models import Assignment, MilestoneCompletion
from tasks.selectors import alike_work, with_milestone_due
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, TaskFactory, UnitFactory

TODAY = datetime.date(2026, 6, 15)
RULES = LightRules(due_soon_days=30, behind_points=20)


def one_by_one(assignments) -> Counter:
    rows = with_milestone_due(assignments, today=TODAY, rules=RULES).values_list(
        "task_id", "status", "latest_percent", "due", "milestone_due"
    )
    return Counter(rows)


@pytest.fixture
def work(staff):
    """Tasks with no milestone, one, and several (past, near, beyond the horizon, undated), their
    units' work in every status, some milestones marked done by some units."""
    shuffle = random.Random(7)
    plan = PlanFactory()
    units = [UnitFactory() for _ in range(6)]
    days = [-400, -30, -1, 0, 10, 30, 31, 200, None]
    for number in range(5):
        task = TaskFactory(plan=plan, number=str(number), due=TODAY + datetime.timedelta(days=90))
        steps = [
            MilestoneFactory(
                task=task,
                position=p,
                due=None if day is None else TODAY + datetime.timedelta(days=day),
            )
            for p, day in enumerate(shuffle.sample(days, k=number * 2 % 7))
        ]
        for unit in units:
            assignment = AssignmentFactory(
                task=task,
                unit=unit,
                status=shuffle.choice([S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED, S.ACCEPTED]),
                latest_percent=shuffle.choice([None, 40]),
                due=shuffle.choice([None, TODAY + datetime.timedelta(days=5)]),
            )
            for step in steps:
                if shuffle.random() < 0.5:
                    MilestoneCompletion.objects.create(assignment=assignment, milestone=step, done_by=staff)
    return plan


def test_the_work_counted_by_kind_equals_each_assignment_looked_up(work):
    assignments = Assignment.objects.filter(task__plan=work)
    tasks = list(work.tasks.values_list("pk", flat=True))

    counted = alike_work(assignments, tasks, TODAY, RULES)

    assert +counted == one_by_one(assignments)
    assert MilestoneCompletion.objects.count() > 10  # the case that moves work to its own milestone


def test_only_the_work_given_is_counted(work):
    some = Assignment.objects.filter(task__plan=work, status=S.IN_PROGRESS)
    tasks = list(work.tasks.values_list("pk", flat=True))

    assert +alike_work(some, tasks, TODAY, RULES) == one_by_one(some)


def test_three_queries_whatever_the_work(work, django_assert_num_queries):
    tasks = list(work.tasks.values_list("pk", flat=True))
    with django_assert_num_queries(3):
        alike_work(Assignment.objects.filter(task__plan=work), tasks, TODAY, RULES)
