"""Staff hear at once of work submitted for review; a unit of work returned to it."""

import pytest

from tasks.choices import AssignmentStatus as S
from tasks.reminders import jobs
from tasks.reminders.choices import Channel, DeliveryStatus, Kind
from tasks.reminders.models import Notification, UnitWebhook
from tasks.services import assignment_transition, progress_report_submit
from tests.factories import AssignmentFactory, TaskFactory


@pytest.fixture
def assignment(chengtou_company):
    return AssignmentFactory(
        task=TaskFactory(number="3", title="制定权责清单"), unit=chengtou_company, status=S.IN_PROGRESS
    )


def test_a_submission_tells_staff(
    assignment, chengtou_reporter, staff, leader, django_capture_on_commit_callbacks, monkeypatch
):
    staff.email = "wxd@gzw.example"
    staff.save()
    published = []
    monkeypatch.setattr(jobs.dispatch_notifications, "apply_async", lambda args, **kw: published.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        progress_report_submit(
            assignment_id=assignment.pk, user=chengtou_reporter, period="2025-06", percent=100, text="已完成", done=True
        )

    told = Notification.objects.filter(kind=Kind.SUBMITTED)
    assert set(told.values_list("recipient_key", "channel")) == {
        (f"user:{staff.pk}", Channel.IN_APP),
        (f"user:{staff.pk}", Channel.EMAIL),
    }
    assert told.first().title == "待验收：鞍山市立山区城市建设投资有限公司，3. 制定权责清单"
    assert published == [()]  # the e-mail is handed over after the commit


def test_a_return_tells_the_unit_and_its_bot(assignment, chengtou_reporter, gongre_reporter, staff):
    UnitWebhook.objects.create(unit=assignment.unit, url="http://127.0.0.1:9/hook")
    assignment.status = S.SUBMITTED
    assignment.save()

    assignment_transition(assignment_id=assignment.pk, user=staff, action="return", comment="请补充董事会决议")

    told = Notification.objects.filter(kind=Kind.RETURNED)
    assert set(told.values_list("recipient_key", "channel", "status")) == {
        (f"user:{chengtou_reporter.pk}", Channel.IN_APP, DeliveryStatus.SENT),
        (f"unit:{assignment.unit_id}", Channel.WEBHOOK, DeliveryStatus.PENDING),
    }
    assert "请补充董事会决议" in told.first().body


def test_each_submission_is_its_own_event(assignment, chengtou_reporter, staff):
    for _ in range(2):
        assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="submit")
        assignment_transition(assignment_id=assignment.pk, user=staff, action="return", comment="再改")
        assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="resume")

    assert Notification.objects.filter(kind=Kind.SUBMITTED).count() == 2
    assert Notification.objects.filter(kind=Kind.RETURNED).count() == 2
