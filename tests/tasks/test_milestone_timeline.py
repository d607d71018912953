"""A plan's milestones month by month (a simple Gantt): one row per task, a mark per milestone
coloured by its state, on the plan's page and in the progress report, over what the reader may see."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.charts import milestone_gantt
from tasks.choices import AssignmentStatus as S
from tasks.models import MilestoneCompletion
from tasks.selectors import milestone_timeline
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, TaskFactory
from tests.reports.issued import issue
from tests.tasks.test_pages import queries

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def plan(chengtou_company, gongre_company, staff):
    """Task 1: a milestone both units marked done, one overdue; task 2: one due soon and one later,
    and 供热's only; task 3 has no dated milestone."""
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    one, two, three = (TaskFactory(plan=plan, number=str(n), title=f"任务{n}", position=n) for n in (1, 2, 3))
    both = [AssignmentFactory(task=one, unit=unit, status=S.IN_PROGRESS) for unit in (chengtou_company, gongre_company)]
    AssignmentFactory(task=two, unit=gongre_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=three, unit=chengtou_company, status=S.IN_PROGRESS)
    done = MilestoneFactory(task=one, due=days(-60), text="出台《权责清单》")
    for work in both:
        MilestoneCompletion.objects.create(assignment=work, milestone=done, done_by=staff)
    MilestoneFactory(task=one, due=days(-10), text="完成董事会改组")
    MilestoneFactory(task=two, due=days(12), text="制定混改方案")
    MilestoneFactory(task=two, due=days(200), text="完成混改")
    MilestoneFactory(task=three, due=None, text="长期坚持")
    return plan


def test_each_task_with_dated_milestones_is_a_row_each_mark_in_its_state(plan, staff):
    rows = milestone_timeline(plan, staff, today=TODAY)

    assert [(row.label, [m.state for m in row.marks]) for row in rows] == [
        ("1. 任务1", ["done", "overdue"]),
        ("2. 任务2", ["soon", "later"]),
    ]


def test_a_milestone_one_unit_of_two_marked_is_not_done(plan, staff):
    MilestoneCompletion.objects.filter(assignment__unit__name="鞍山市立山区供热有限公司").delete()
    [first, _second] = milestone_timeline(plan, staff, today=TODAY)
    assert first.marks[0].state == "overdue"


def test_a_reporter_sees_the_rows_of_its_own_tasks(plan, chengtou_reporter):
    assert [row.label for row in milestone_timeline(plan, chengtou_reporter, today=TODAY)] == ["1. 任务1"]


def test_a_past_day_counts_the_marks_made_by_then(plan, staff):
    before = timezone.now() - datetime.timedelta(days=1)
    [first, _second] = milestone_timeline(plan, staff, today=TODAY, before=before)
    assert first.marks[0].state == "overdue"  # both marks were made today


def test_the_chart_has_a_row_per_task_a_mark_per_milestone_and_its_legend(plan, staff):
    svg = milestone_gantt(milestone_timeline(plan, staff, today=TODAY), title="节点进度时间轴", today=TODAY)

    assert svg.count("<circle") == 4 and "1. 任务1" in svg and "2. 任务2" in svg
    for words in ("已完成", "以后到期", "今天"):
        assert words in svg, words
    assert "viewBox" not in svg[: svg.index(">")]  # laid out at any width, its text unscaled
    assert milestone_gantt([], title="t", today=TODAY) == ""


def test_the_plan_page_shows_it_at_a_fixed_cost(client, staff, plan, chengtou_company):
    client.force_login(staff)
    url = reverse("tasks:plan_detail", args=[plan.pk])
    few, page = queries(client, url)
    for n in range(6):
        task = TaskFactory(plan=plan, number=str(10 + n), position=10 + n)
        AssignmentFactory(task=task, unit=chengtou_company)
        MilestoneFactory(task=task, due=days(n * 30))

    many, page = queries(client, url)

    assert many == few and "节点进度时间轴" in page and page.count("<circle") == 10


def test_the_progress_report_prints_it(plan, staff):
    made = issue("progress", staff, plan=plan.pk)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(made.content)).pages)
    assert "节点进度时间轴" in text and "1. 任务1" in text
