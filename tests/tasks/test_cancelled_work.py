"""Cancelled work is closed: it takes no reports, extensions or notices, and no longer counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.choices import NoticeGrade
from tasks.lights import GRAY, RED, LightRules
from tasks.selectors import plan_overview, plans_for, with_plan_counts
from tasks.services import (
    assignment_transition,
    extension_request,
    milestone_mark_done,
    notice_issue,
    notices_escalate,
    progress_report_submit,
)
from tests.factories import AssignmentFactory, MilestoneFactory, TaskFactory

TODAY = timezone.localdate()
RULES = LightRules(due_soon_days=30, behind_points=20)


@pytest.fixture
def overdue_task(chengtou_company, gongre_company):
    task = TaskFactory(due=TODAY - datetime.timedelta(days=5))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=task, unit=gongre_company, status=S.ACCEPTED)
    return task


def cancel(assignment, staff):
    return assignment_transition(assignment_id=assignment.pk, user=staff, action="cancel", comment="职能已划转")


def test_cancelling_needs_a_reason(overdue_task, staff, chengtou_company):
    late = overdue_task.assignments.get(unit=chengtou_company)
    with pytest.raises(ValidationError, match="理由"):
        assignment_transition(assignment_id=late.pk, user=staff, action="cancel")


def test_cancelled_work_takes_nothing_more(overdue_task, staff, chengtou_reporter, chengtou_company):
    late = cancel(overdue_task.assignments.get(unit=chengtou_company), staff)
    milestone = MilestoneFactory(task=overdue_task)

    attempts = [
        lambda: progress_report_submit(
            assignment_id=late.pk, user=chengtou_reporter, period=TODAY.strftime("%Y-%m"), percent=50, text="进展"
        ),
        lambda: extension_request(
            assignment_id=late.pk, user=chengtou_reporter, reason="来不及", proposed_due=TODAY + datetime.timedelta(9)
        ),
        lambda: milestone_mark_done(assignment_id=late.pk, milestone_id=milestone.pk, user=chengtou_reporter),
        lambda: notice_issue(
            assignment_id=late.pk,
            user=staff,
            grade=NoticeGrade.RED,
            text="限期整改",
            respond_by=TODAY + datetime.timedelta(days=3),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="已撤销"):
            attempt()
    assert not late.reports.exists() and not late.extensions.exists() and not late.notices.exists()


def test_cancelled_work_leaves_lights_counts_and_my_tasks(
    overdue_task, staff, chengtou_reporter, chengtou_company, client
):
    late = overdue_task.assignments.get(unit=chengtou_company)
    plan = overdue_task.plan
    assert plan_overview(plan, staff, today=TODAY, rules=RULES).rows[0].light == RED

    cancel(late, staff)

    overview = plan_overview(plan, staff, today=TODAY, rules=RULES)
    row = overview.rows[0]
    assert (row.light, row.total, row.accepted) == ("green", 1, 1)
    assert overview.status_counts[S.CANCELLED] == 1
    (counted,) = with_plan_counts([plans_for(staff).get(pk=plan.pk)], staff)
    assert counted.assignment_count == 1
    client.force_login(chengtou_reporter)
    assert overdue_task.title not in client.get(reverse("tasks:my_tasks")).content.decode()


def test_a_task_with_only_cancelled_work_is_gray(overdue_task, staff):
    for assignment in overdue_task.assignments.filter(status=S.IN_PROGRESS):
        cancel(assignment, staff)
    overdue_task.assignments.filter(status=S.ACCEPTED).delete()

    assert plan_overview(overdue_task.plan, staff, today=TODAY, rules=RULES).rows[0].light == GRAY


def test_notices_on_cancelled_work_do_not_escalate(overdue_task, staff, chengtou_company):
    late = overdue_task.assignments.get(unit=chengtou_company)
    notice_issue(
        assignment_id=late.pk,
        user=staff,
        grade=NoticeGrade.BLUE,
        text="加快进度",
        respond_by=TODAY + datetime.timedelta(1),
    )
    cancel(late, staff)

    assert notices_escalate(today=TODAY + datetime.timedelta(days=5)) == 0


def test_cancelled_work_can_be_reopened(overdue_task, staff, chengtou_company):
    late = cancel(overdue_task.assignments.get(unit=chengtou_company), staff)

    reopened = assignment_transition(assignment_id=late.pk, user=staff, action="reopen", comment="恢复原分工")

    assert reopened.status == S.IN_PROGRESS
