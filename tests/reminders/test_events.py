"""Everyone hears at once what they must act on: staff of work submitted, a notice answered, an
extension asked, a review waiting too long; a unit of its work returned, accepted or reopened, a
notice issued or raised, an extension decided; a leader's instruction reaches the unit and staff."""

import datetime

import pytest
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.reminders import jobs
from tasks.reminders.choices import Channel, DeliveryStatus, Kind
from tasks.reminders.models import Notification, UnitWebhook
from tasks.reminders.sweep import sweep
from tasks.services import (
    assignment_transition,
    extension_decide,
    extension_request,
    instruction_add,
    notice_issue,
    notice_respond,
    notices_escalate,
    progress_report_submit,
)
from tests.factories import AssignmentFactory, TaskFactory

TODAY = timezone.localdate()


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


def told(kind):
    """Who heard of events of ``kind`` in the platform: recipient keys, with the titles they read."""
    rows = Notification.objects.filter(kind=kind, channel=Channel.IN_APP).order_by("recipient_key", "pk")
    return [(row.recipient_key, row.title) for row in rows]


@pytest.fixture
def submitted(assignment):
    assignment.status = S.SUBMITTED
    assignment.save()
    return assignment


def test_acceptance_and_reopening_tell_the_unit(submitted, chengtou_reporter, staff):
    assignment_transition(assignment_id=submitted.pk, user=staff, action="accept")
    assignment_transition(assignment_id=submitted.pk, user=staff, action="reopen", comment="问题反弹，重新整改")

    assert told(Kind.ACCEPTED) == [(f"user:{chengtou_reporter.pk}", "已验收销号：3. 制定权责清单")]
    assert told(Kind.REOPENED) == [(f"user:{chengtou_reporter.pk}", "已重新打开：3. 制定权责清单")]
    assert "问题反弹，重新整改" in Notification.objects.get(kind=Kind.REOPENED).body


def notice_for(assignment, staff):
    return notice_issue(
        assignment_id=assignment.pk,
        user=staff,
        grade="blue",
        text="请于期限内报送整改进展。",
        respond_by=TODAY + datetime.timedelta(days=3),
    )


def test_a_notice_issued_tells_the_unit_and_its_answer_tells_staff(assignment, chengtou_reporter, staff):
    notice = notice_for(assignment, staff)
    notice_respond(notice_id=notice.pk, user=chengtou_reporter, text="已召开专题会，本月底前完成。")

    [(to_unit, issued)] = told(Kind.NOTICE_ISSUED)
    assert to_unit == f"user:{chengtou_reporter.pk}" and issued.startswith(notice.number)
    assert "请于期限内报送整改进展。" in Notification.objects.get(kind=Kind.NOTICE_ISSUED).body
    [(to_staff, answered)] = told(Kind.NOTICE_ANSWERED)
    assert to_staff == f"user:{staff.pk}" and answered.startswith(f"{notice.number}已回复")
    assert "已召开专题会" in Notification.objects.get(kind=Kind.NOTICE_ANSWERED).body


def test_each_escalation_of_a_notice_tells_the_unit_once(assignment, chengtou_reporter, staff, settings):
    settings.NOTICE_RESPONSE_DAYS = 5
    notice = notice_for(assignment, staff)
    later = notice.respond_by + datetime.timedelta(days=1)

    notices_escalate(today=later)
    notices_escalate(today=later)  # the sweep run twice
    notices_escalate(today=later + datetime.timedelta(days=6))

    escalations = Notification.objects.filter(kind=Kind.NOTICE_ESCALATED, channel=Channel.IN_APP)
    assert list(escalations.order_by("step").values_list("recipient_key", "step")) == [
        (f"user:{chengtou_reporter.pk}", 1),
        (f"user:{chengtou_reporter.pk}", 2),
    ]
    assert "升级为红" in escalations.get(step=2).title


def test_an_extension_asked_tells_staff_and_its_decision_the_unit(assignment, chengtou_reporter, staff):
    assignment.due = TODAY + datetime.timedelta(days=10)
    assignment.save()
    proposed = TODAY + datetime.timedelta(days=40)
    request = extension_request(
        assignment_id=assignment.pk, user=chengtou_reporter, reason="等待审计结果", proposed_due=proposed
    )
    extension_decide(request_id=request.pk, user=staff, approve=False, comment="请按原时限完成")

    assert told(Kind.EXTENSION_ASKED) == [
        (f"user:{staff.pk}", "延期申请：鞍山市立山区城市建设投资有限公司，3. 制定权责清单")
    ]
    assert f"延至{proposed}：等待审计结果" in Notification.objects.get(kind=Kind.EXTENSION_ASKED).body
    assert told(Kind.EXTENSION_DECIDED) == [(f"user:{chengtou_reporter.pk}", "延期申请未批准：3. 制定权责清单")]
    assert "请按原时限完成" in Notification.objects.get(kind=Kind.EXTENSION_DECIDED).body


def test_an_instruction_on_a_task_tells_every_unit_still_at_work_and_staff(
    assignment, chengtou_reporter, gongre_reporter, gongre_company, staff, leader
):
    AssignmentFactory(task=assignment.task, unit=gongre_company, status=S.CANCELLED)
    other = AssignmentFactory(task=assignment.task, status=S.IN_PROGRESS)

    instruction_add(task_id=assignment.task_id, user=leader, text="要加快进度，月底前见成效。")

    keys = [key for key, _title in told(Kind.INSTRUCTION)]
    assert sorted(keys) == sorted([f"user:{chengtou_reporter.pk}", f"user:{staff.pk}"])
    rows = Notification.objects.filter(kind=Kind.INSTRUCTION)
    assert rows.get(recipient_key=f"user:{staff.pk}").unit is None  # about the task as a whole
    assert set(rows.values_list("unit_id", flat=True)) == {assignment.unit_id, None}
    assert other.unit_id not in set(rows.values_list("unit_id", flat=True))  # a unit without reporters hears nothing
    assert rows.first().title == "领导批示：3. 制定权责清单"
    assert "要加快进度" in rows.first().body


def test_an_instruction_on_one_units_share_tells_that_unit_and_staff(
    assignment, chengtou_reporter, gongre_reporter, gongre_company, staff, leader
):
    AssignmentFactory(task=assignment.task, unit=gongre_company, status=S.IN_PROGRESS)

    instruction_add(task_id=assignment.task_id, user=leader, text="抓紧整改。", assignment_id=assignment.pk)

    assert sorted(key for key, _title in told(Kind.INSTRUCTION)) == sorted(
        [f"user:{chengtou_reporter.pk}", f"user:{staff.pk}"]
    )
    assert set(Notification.objects.filter(kind=Kind.INSTRUCTION).values_list("unit_id", flat=True)) == {
        assignment.unit_id
    }


def submitted_on(assignment, moment: datetime.datetime) -> None:
    type(assignment).objects.filter(pk=assignment.pk).update(status=S.SUBMITTED, status_changed_at=moment)


def test_work_waiting_for_review_too_long_tells_staff_once_a_submission(assignment, staff, settings):
    settings.REVIEW_OVERDUE_DAYS = 5
    submitted_on(assignment, timezone.make_aware(datetime.datetime(2025, 6, 20, 23, 30)))  # late in the day

    assert not [r for r in sweep(today=datetime.date(2025, 6, 24)).notifications if r.kind == Kind.REVIEW_OVERDUE]
    sweep(today=datetime.date(2025, 6, 25))
    sweep(today=datetime.date(2025, 6, 26))

    [(key, title)] = told(Kind.REVIEW_OVERDUE)
    assert key == f"user:{staff.pk}"
    assert title == "自2025-06-20起待验收：鞍山市立山区城市建设投资有限公司，3. 制定权责清单"
    assert Notification.objects.get(kind=Kind.REVIEW_OVERDUE, channel=Channel.IN_APP).link == "/tasks/review/"

    type(assignment).objects.filter(pk=assignment.pk).update(version=assignment.version + 2)  # returned, resubmitted
    submitted_on(assignment, timezone.make_aware(datetime.datetime(2025, 7, 1, 9)))
    sweep(today=datetime.date(2025, 7, 6))

    assert len(told(Kind.REVIEW_OVERDUE)) == 2
