"""The domain's rules that live in the schema, and the history kept for "as of" questions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tasks.choices import AssignmentRole
from tasks.models import Assignment, Milestone, Plan, ProgressReport, Task
from tasks.services import assignment_transition
from tests.factories import (
    AssignmentFactory,
    MilestoneFactory,
    PlanFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)


def test_a_unit_holds_one_assignment_per_role_in_a_task(chengtou_company):
    task = TaskFactory()
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD)
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.RESPONSIBLE)

    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD)


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "done"), ("role", "helper")],
)
def test_the_database_refuses_an_unknown_status_or_role(chengtou_company, field, value):
    assignment = AssignmentFactory(unit=chengtou_company)

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(**{field: value})


def test_a_report_above_100_percent_is_refused(db):
    report = ProgressReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(percent=101)


@pytest.mark.parametrize("period", ["2021-13", "2021-3", "21-03", "2021/03", ""])
def test_a_report_period_must_be_a_month(db, period):
    report = ProgressReportFactory.build(assignment=AssignmentFactory(), author=UserFactory(), period=period)

    with pytest.raises(ValidationError) as refused:
        report.full_clean()

    assert "period" in refused.value.message_dict


def test_a_plan_period_must_not_end_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2020, 12, 31))


def test_deleting_a_plan_removes_its_tasks_but_a_unit_with_assignments_stays_protected(chengtou_company):
    assignment = AssignmentFactory(unit=chengtou_company)

    with pytest.raises(IntegrityError), transaction.atomic():
        chengtou_company.delete()
    assignment.task.plan.delete()

    assert not Task.objects.exists() and not Assignment.objects.exists()


def test_history_answers_what_a_task_and_its_milestone_said_on_a_past_date(db):
    task = TaskFactory(title="制定权责清单")
    milestone = MilestoneFactory(task=task, due=datetime.date(2021, 6, 30))
    between = timezone.now()
    task.title = "制定并落实权责清单"
    task.save()
    milestone.due = datetime.date(2021, 12, 31)
    milestone.save()

    assert Task.history.as_of(between).get(pk=task.pk).title == "制定权责清单"
    assert Milestone.history.as_of(between).get(pk=milestone.pk).due == datetime.date(2021, 6, 30)
    assert Task.objects.get(pk=task.pk).title == "制定并落实权责清单"


def test_history_records_each_status_move_with_its_author(staff, chengtou_reporter, chengtou_company):
    assignment = AssignmentFactory(unit=chengtou_company)
    for actor, action in [(chengtou_reporter, "start"), (chengtou_reporter, "submit"), (staff, "accept")]:
        assignment_transition(assignment_id=assignment.pk, user=actor, action=action)

    records = list(assignment.history.order_by("history_date").values_list("status", "history_user__username"))

    assert records == [
        ("not_started", None),
        ("in_progress", "lina"),
        ("submitted", "lina"),
        ("accepted", "wangxiaodong"),
    ]


def test_history_keeps_a_progress_report_as_first_written(db):
    report = ProgressReportFactory(text="已起草", percent=20)
    report.text, report.percent = "已印发", 100
    report.save()

    assert list(report.history.order_by("history_date").values_list("percent", flat=True)) == [20, 100]


def test_a_plan_keeps_its_source_text_out_of_history(db):
    plan = PlanFactory(source_text="全文" * 1000)

    assert not hasattr(Plan.history.model, "source_text")
    assert plan.history.count() == 1
