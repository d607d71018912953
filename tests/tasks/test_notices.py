"""Supervision notices (督办单): numbered, answered, escalated when unanswered, closed, printed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.choices import NoticeGrade
from tasks.jobs import escalate_notices
from tasks.models import SupervisionNotice
from tasks.services import notice_close, notice_issue, notice_respond, notices_escalate
from tests.factories import AssignmentFactory

TODAY = timezone.localdate()


@pytest.fixture
def behind(chengtou_company):
    return AssignmentFactory(unit=chengtou_company, status=S.IN_PROGRESS)


def issue(assignment, staff, grade=NoticeGrade.BLUE, days=3):
    return notice_issue(
        assignment_id=assignment.pk,
        user=staff,
        grade=grade,
        text="请于期限内报送整改进展",
        respond_by=TODAY + datetime.timedelta(days=days),
    )


def test_notices_are_numbered_from_one_each_year(behind, staff):
    first, second = issue(behind, staff), issue(behind, staff)

    assert (first.number, second.number) == (f"督办〔{TODAY.year}〕1号", f"督办〔{TODAY.year}〕2号")


def test_an_unanswered_notice_past_its_date_moves_up_one_grade_once(behind, staff, settings):
    settings.NOTICE_RESPONSE_DAYS = 5
    notice = issue(behind, staff)
    later = notice.respond_by + datetime.timedelta(days=1)

    assert notices_escalate(today=later) == 1
    assert notices_escalate(today=later) == 0  # run twice: nothing more

    notice.refresh_from_db()
    assert notice.grade == NoticeGrade.YELLOW
    assert notice.respond_by == later + datetime.timedelta(days=5)
    assert notices_escalate(today=notice.respond_by + datetime.timedelta(days=1)) == 1
    notice.refresh_from_db()
    assert notice.grade == NoticeGrade.RED
    assert notices_escalate(today=notice.respond_by + datetime.timedelta(days=30)) == 0  # red is the last


def test_answered_or_closed_notices_are_not_escalated(behind, staff, chengtou_reporter):
    answered, closed = issue(behind, staff), issue(behind, staff)
    notice_respond(notice_id=answered.pk, user=chengtou_reporter, text="已召开专题会，本月底前完成")
    notice_close(notice_id=closed.pk, user=staff, reason="已按期完成")

    assert notices_escalate(today=TODAY + datetime.timedelta(days=10)) == 0


def test_the_beat_job_runs_the_sweep_for_today(behind, staff):
    notice = issue(behind, staff)
    SupervisionNotice.objects.filter(pk=notice.pk).update(respond_by=TODAY - datetime.timedelta(days=1))

    assert escalate_notices() == 1


def test_who_may_issue_respond_and_close(behind, staff, chengtou_reporter, gongre_reporter, leader):
    with pytest.raises(PermissionDenied):
        issue(behind, leader)
    notice = issue(behind, staff)
    with pytest.raises(SupervisionNotice.DoesNotExist):
        notice_respond(notice_id=notice.pk, user=gongre_reporter, text="x")
    with pytest.raises(PermissionDenied):
        notice_close(notice_id=notice.pk, user=chengtou_reporter, reason="x")
    notice_close(notice_id=notice.pk, user=staff, reason="已整改到位")
    with pytest.raises(ValidationError, match="已关闭"):
        notice_respond(notice_id=notice.pk, user=chengtou_reporter, text="迟到的答复")


@pytest.mark.parametrize(
    ("grade", "days", "text", "message"),
    [
        ("purple", 3, "x", "未知的督办等级"),
        (NoticeGrade.RED, -1, "x", "不能是过去"),
        (NoticeGrade.RED, 3, " ", "督办要求"),
    ],
)
def test_bad_notices_are_refused(behind, staff, grade, days, text, message):
    with pytest.raises(ValidationError, match=message):
        notice_issue(
            assignment_id=behind.pk,
            user=staff,
            grade=grade,
            text=text,
            respond_by=TODAY + datetime.timedelta(days=days),
        )
    assert not SupervisionNotice.objects.exists()


def test_a_notice_on_the_task_page_its_answer_and_its_printable_sheet(client, behind, staff, chengtou_reporter):
    client.force_login(staff)
    client.post(
        reverse("tasks:notice_issue", args=[behind.pk]),
        {
            "grade": "yellow",
            "text": "进度滞后，请说明原因",
            "respond_by": (TODAY + datetime.timedelta(days=5)).isoformat(),
        },
    )
    notice = SupervisionNotice.objects.get()
    client.force_login(chengtou_reporter)
    client.post(reverse("tasks:notice_respond", args=[notice.pk]), {"text": "已制定赶工计划"})

    page = client.get(reverse("tasks:task_detail", args=[behind.task_id])).content.decode()
    sheet = client.get(reverse("tasks:notice_print", args=[notice.pk])).content.decode()

    assert notice.number in page and "进度滞后，请说明原因" in page and "已制定赶工计划" in page
    assert "督办通知" in sheet and behind.unit.name in sheet and "已制定赶工计划" in sheet


def test_another_unit_cannot_read_the_notice(client, behind, staff, gongre_reporter):
    notice = issue(behind, staff)
    client.force_login(gongre_reporter)

    assert client.get(reverse("tasks:notice_print", args=[notice.pk])).status_code == 404


def test_each_escalation_is_an_event_of_its_own_in_the_timeline_and_the_history(client, behind, staff, settings):
    settings.NOTICE_RESPONSE_DAYS = 5
    notice = issue(behind, staff)
    first_raise = notice.respond_by + datetime.timedelta(days=1)
    notices_escalate(today=first_raise)
    notices_escalate(today=first_raise + datetime.timedelta(days=6))

    raises = list(notice.escalations.values_list("from_grade", "to_grade"))
    assert raises == [(NoticeGrade.BLUE, NoticeGrade.YELLOW), (NoticeGrade.YELLOW, NoticeGrade.RED)]
    notice.refresh_from_db()
    assert (notice.issued_grade, notice.grade) == (NoticeGrade.BLUE, NoticeGrade.RED)

    client.force_login(staff)
    page = client.get(reverse("tasks:task_detail", args=[behind.task_id])).content.decode()
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    issued = timeline.split('class="event-notice"')[1].split("</li>")[0]
    assert "蓝色" in issued and "红色" not in issued  # the issuing entry reads the grade it was issued at
    assert timeline.count('class="event-escalation"') == 2
    assert "由蓝色" in timeline and "升级为红色" in timeline

    assert page.count("逾期未回复，自动升级") == 2  # the history panel's two versions, by the platform


@pytest.mark.django_db(transaction=True)
def test_notices_escalated_before_get_their_grade_at_issue_and_their_last_raise(staff, chengtou_company):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    behind = AssignmentFactory(unit=chengtou_company, status=S.IN_PROGRESS)
    raised, plain = issue(behind, staff, grade=NoticeGrade.BLUE), issue(behind, staff, grade=NoticeGrade.YELLOW)
    executor = MigrationExecutor(connection)
    executor.migrate([("tasks", "0017_history_reasons_as_codes")])
    # As the old sweep left it: the grade overwritten in place, no history of the raise.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tasks_supervisionnotice SET grade = 'yellow', escalated_at = %s WHERE id = %s",
            [timezone.now(), raised.pk],
        )
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    raised.refresh_from_db()
    plain.refresh_from_db()
    assert (raised.issued_grade, raised.grade) == (NoticeGrade.BLUE, NoticeGrade.YELLOW)
    assert list(raised.escalations.values_list("from_grade", "to_grade")) == [("blue", "yellow")]
    assert (plain.issued_grade, plain.escalations.count()) == (NoticeGrade.YELLOW, 0)
