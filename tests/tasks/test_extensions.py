"""Extension requests (延期申请): asked by the unit, decided by staff, shown on the timeline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.choices import ExtensionStatus
from tasks.lights import RED, LightRules, assignment_light
from tasks.models import ExtensionRequest
from tasks.services import extension_decide, extension_request
from tests.factories import AssignmentFactory, TaskFactory

TODAY = timezone.localdate()


@pytest.fixture
def late(chengtou_company):
    """An assignment whose task was due yesterday."""
    return AssignmentFactory(
        task=TaskFactory(due=TODAY - datetime.timedelta(days=1)), unit=chengtou_company, status=S.IN_PROGRESS
    )


def ask(assignment, user, days=30, reason="需要等待上级批复"):
    return extension_request(
        assignment_id=assignment.pk, user=user, reason=reason, proposed_due=TODAY + datetime.timedelta(days=days)
    )


def test_an_approved_extension_moves_the_units_due_date_and_its_light(late, chengtou_reporter, staff):
    rules = LightRules(due_soon_days=7, behind_points=20)
    assert assignment_light(status=late.status, due=late.effective_due, today=TODAY, rules=rules) == RED
    request = ask(late, chengtou_reporter)

    extension_decide(request_id=request.pk, user=staff, approve=True, comment="同意")

    late.refresh_from_db()
    assert late.due == TODAY + datetime.timedelta(days=30)
    assert assignment_light(status=late.status, due=late.effective_due, today=TODAY, rules=rules) != RED
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.previous_due) == (
        ExtensionStatus.APPROVED,
        staff,
        late.task.due,
    )
    assert late.history.latest().history_change_reason == "extension approved"


def test_a_refusal_needs_a_reason_and_changes_no_date(late, chengtou_reporter, staff):
    request = ask(late, chengtou_reporter)

    with pytest.raises(ValidationError, match="不同意的理由"):
        extension_decide(request_id=request.pk, user=staff, approve=False)
    extension_decide(request_id=request.pk, user=staff, approve=False, comment="时间已很充裕")

    late.refresh_from_db()
    assert late.due is None
    with pytest.raises(ValidationError, match="已经审批"):
        extension_decide(request_id=request.pk, user=staff, approve=True)


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [(-2, "理由", "不能早于"), (30, "  ", "请填写延期理由")],
)
def test_bad_requests_are_refused(late, chengtou_reporter, days, reason, message):
    with pytest.raises(ValidationError, match=message):
        ask(late, chengtou_reporter, days=days, reason=reason)
    assert not ExtensionRequest.objects.exists()


def test_one_request_waits_at_a_time(late, chengtou_reporter):
    ask(late, chengtou_reporter)

    with pytest.raises(ValidationError, match="正在等待审批"):
        ask(late, chengtou_reporter, days=40)


def test_only_the_unit_asks_and_only_staff_decide(late, chengtou_reporter, gongre_reporter, leader):
    from tasks.models import Assignment

    with pytest.raises(Assignment.DoesNotExist):
        ask(late, gongre_reporter)
    with pytest.raises(PermissionDenied):
        ask(late, leader)
    request = ask(late, chengtou_reporter)
    for user in (chengtou_reporter, leader):
        with pytest.raises(PermissionDenied):
            extension_decide(request_id=request.pk, user=user, approve=True)


def test_the_request_and_decision_are_on_the_timeline(client, late, chengtou_reporter, staff):
    client.force_login(chengtou_reporter)
    client.post(
        reverse("tasks:extension_request", args=[late.pk]),
        {"proposed_due": (TODAY + datetime.timedelta(days=20)).isoformat(), "reason": "等待审计结果"},
    )
    client.force_login(staff)
    request = ExtensionRequest.objects.get()
    client.post(reverse("tasks:extension_decide", args=[request.pk]), {"approve": "1", "comment": "同意延期"})

    html = client.get(reverse("tasks:task_detail", args=[late.task_id])).content.decode()

    assert "申请延期至" in html and "等待审计结果" in html
    assert "已批准" in html and "同意延期" in html
    assert "延期至" in html


def test_a_leaders_forged_decision_is_refused(client, late, chengtou_reporter, leader):
    request = ask(late, chengtou_reporter)
    client.force_login(leader)

    assert client.post(reverse("tasks:extension_decide", args=[request.pk]), {"approve": "1"}).status_code == 403
