"""Milestones count in the light wherever it shows: a unit that has not started while a milestone of
its task is eleven months overdue is red — on the plan page, the task list and its filter, the task
page, 我的任务, the API, and in the reports' snapshot, now and as of a past day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.snapshot import snapshot
from tasks.choices import AssignmentStatus as S
from tasks.lights import GRAY, RED, YELLOW, LightRules
from tasks.models import Assignment, Milestone, MilestoneCompletion, Task
from tasks.selectors import plan_overview
from tasks.services import milestone_mark_done
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, TaskFactory

TODAY = timezone.localdate()
RULES = LightRules(due_soon_days=30, behind_points=20)


@pytest.fixture
def task(chengtou_company, gongre_company):
    """Due in 300 days; its first milestone was due 330 days ago; both units not started."""
    plan = PlanFactory(
        period_start=TODAY - datetime.timedelta(days=700), period_end=TODAY + datetime.timedelta(days=300)
    )
    task = TaskFactory(plan=plan, number="7", title="制定投资负面清单", due=TODAY + datetime.timedelta(days=300))
    MilestoneFactory(task=task, position=1, due=TODAY - datetime.timedelta(days=330), text="出台《负面清单》")
    MilestoneFactory(task=task, position=2, due=TODAY + datetime.timedelta(days=200), text="开展评估")
    for unit in (chengtou_company, gongre_company):
        AssignmentFactory(task=task, unit=unit, status=S.NOT_STARTED)
    return task


def lights_of(task, user) -> dict[str, str]:
    """Each unit's light in the snapshot the reports read."""
    taken = snapshot(task.plan, user)
    return {work.unit_name: taken.light(work) for _, work in taken.work}


def test_an_overdue_milestone_makes_the_work_red_until_its_unit_marks_it_done(
    task, staff, chengtou_reporter, chengtou_company, gongre_company
):
    assert plan_overview(task.plan, staff, today=TODAY, rules=RULES).rows[0].light == RED
    assert set(lights_of(task, staff).values()) == {RED}

    mine = task.assignments.get(unit=chengtou_company)
    milestone_mark_done(assignment_id=mine.pk, milestone_id=task.milestones.get(position=1).pk, user=chengtou_reporter)

    assert lights_of(task, staff) == {chengtou_company.name: GRAY, gongre_company.name: RED}
    assert plan_overview(task.plan, chengtou_reporter, today=TODAY, rules=RULES).rows[0].light == GRAY
    assert plan_overview(task.plan, staff, today=TODAY, rules=RULES).rows[0].light == RED  # 供热 still owes it


def test_a_milestone_near_its_date_makes_the_work_yellow(task, staff):
    Milestone.objects.filter(task=task, position=1).update(due=TODAY + datetime.timedelta(days=10))
    assert set(lights_of(task, staff).values()) == {YELLOW}
    Milestone.objects.filter(task=task, position=1).update(due=TODAY + datetime.timedelta(days=31))
    assert set(lights_of(task, staff).values()) == {GRAY}


def test_every_page_and_endpoint_shows_the_milestones_light(client, task, staff, chengtou_reporter):
    client.force_login(chengtou_reporter)

    task_page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    mine = client.get(reverse("tasks:my_tasks")).content.decode()
    listed = client.get(reverse("tasks:task_list"), {"light": "red"}).content.decode()
    api_work = client.get(reverse("api:assignment-list")).json()["results"]
    api_tasks = client.get(reverse("api:task-list")).json()["results"]

    assert "节点 逾期330天" in task_page and "节点 逾期330天" in mine
    assert "light-red" in mine and "light-gray" not in mine  # filed under 逾期, not 未启动
    assert "制定投资负面清单" in listed
    assert [row["light"] for row in api_work] == [RED]
    assert [row["light"] for row in api_tasks] == [RED]


def test_as_of_a_past_day_a_milestone_done_since_still_counts(task, staff, chengtou_reporter, chengtou_company):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    for model in (Task, Assignment, Milestone):
        model.history.update(history_date=ten_days_ago)
    mine = task.assignments.get(unit=chengtou_company)
    milestone_mark_done(assignment_id=mine.pk, milestone_id=task.milestones.get(position=1).pk, user=chengtou_reporter)
    MilestoneCompletion.objects.update(done_at=timezone.now() - datetime.timedelta(days=3))

    def light_of_mine(as_of):
        taken = snapshot(task.plan, staff, as_of=as_of)
        return next(taken.light(work) for _, work in taken.work if work.unit_id == chengtou_company.pk)

    assert light_of_mine(TODAY - datetime.timedelta(days=5)) == RED  # not yet done then
    assert light_of_mine(TODAY - datetime.timedelta(days=1)) == GRAY
