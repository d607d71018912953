"""Staff's queue of what waits for them, with its count in the menu, and reviews taken several at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, ExtensionRequest, StatusChange, SupervisionNotice
from tasks.reminders.choices import Kind
from tasks.reminders.models import Notification
from tasks.services import assignments_review
from tests.factories import AssignmentFactory, ExtensionRequestFactory, QuestionFactory, TaskFactory
from tests.tasks.test_pages import queries

TODAY = timezone.localdate()


@pytest.fixture
def submitted(chengtou_company, gongre_company):
    return [
        AssignmentFactory(
            task=TaskFactory(number=str(number), title=f"第{number}项任务"),
            unit=unit,
            status=S.SUBMITTED,
            status_changed_at=timezone.now() - datetime.timedelta(days=10 - number),
        )
        for number, unit in ((1, chengtou_company), (2, gongre_company), (3, chengtou_company))
    ]


def ticked(assignments, **extra):
    data = {"assignment": [a.pk for a in assignments], **extra}
    data.update({f"version-{a.pk}": a.version for a in assignments})
    return data


def test_several_submissions_are_accepted_each_as_its_own_review(client, staff, submitted, chengtou_reporter):
    stale = submitted[2]
    Assignment.objects.filter(pk=stale.pk).update(version=stale.version + 1)  # moved meanwhile by someone else
    client.force_login(staff)
    data = ticked(submitted, action="accept", comment="材料齐全")

    answer = client.post(reverse("tasks:review_bulk"), data, follow=True)

    page = answer.content.decode()
    assert "已验收2项。" in page
    assert "未办理：鞍山市立山区城市建设投资有限公司 · 3. 第3项任务：" in page and "已被他人处理" in page
    statuses = dict(Assignment.objects.filter(pk__in=[a.pk for a in submitted]).values_list("pk", "status"))
    assert [statuses[a.pk] for a in submitted] == [S.ACCEPTED, S.ACCEPTED, S.SUBMITTED]
    changes = StatusChange.objects.filter(to_status=S.ACCEPTED)
    assert sorted(changes.values_list("assignment_id", "comment")) == [
        (submitted[0].pk, "材料齐全"),
        (submitted[1].pk, "材料齐全"),
    ]
    assert Notification.objects.filter(kind=Kind.ACCEPTED, recipient=chengtou_reporter).count() == 1


def test_returning_several_needs_one_reason_and_without_it_nothing_moves(client, staff, submitted):
    client.force_login(staff)

    refused = client.post(reverse("tasks:review_bulk"), ticked(submitted, action="return"), follow=True)
    assert "请填写办理理由。" in refused.content.decode()
    assert not Assignment.objects.exclude(status=S.SUBMITTED).exists()

    client.post(reverse("tasks:review_bulk"), ticked(submitted[:2], action="return", comment="请补充董事会决议"))
    assert list(Assignment.objects.filter(status=S.RETURNED).order_by("pk").values_list("pk", flat=True)) == [
        submitted[0].pk,
        submitted[1].pk,
    ]
    assert set(StatusChange.objects.filter(to_status=S.RETURNED).values_list("comment", flat=True)) == {
        "请补充董事会决议"
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "accept"}, "请先勾选要办理的报送。"),
        ({"action": "accept", "assignment": ["abc"]}, "不是有效的编号。"),
        ({"action": "delete", "assignment": ["1"]}, "未知的操作：delete。"),
    ],
)
def test_a_bad_bulk_request_says_so_and_changes_nothing(client, staff, submitted, data, message):
    client.force_login(staff)

    answer = client.post(reverse("tasks:review_bulk"), data, follow=True)

    assert message in answer.content.decode()
    assert not Assignment.objects.exclude(status=S.SUBMITTED).exists()


def test_only_staff_review_in_bulk_and_work_they_may_not_see_is_named_as_such(
    client, staff, leader, chengtou_reporter, submitted
):
    for who in (leader, chengtou_reporter):
        client.force_login(who)
        assert client.post(reverse("tasks:review_bulk"), ticked(submitted, action="accept")).status_code == 403

    outcome = assignments_review(user=staff, action="accept", items=[(999_999, None)])
    assert outcome.done == [] and outcome.refused[0][0] == "（无权查看）"


def notice(assignment, staff, sequence, *, grade="blue", **fields):
    return SupervisionNotice.objects.create(
        year=TODAY.year,
        sequence=sequence,
        assignment=assignment,
        grade=grade,
        issued_grade="blue",
        text="请报送进展",
        issued_by=staff,
        **fields,
    )


def test_the_queue_shows_what_waits_and_the_menu_counts_it(client, staff, submitted, chengtou_reporter):
    asked = ExtensionRequestFactory(assignment=AssignmentFactory(unit=chengtou_reporter.unit, status=S.IN_PROGRESS))
    work = AssignmentFactory(unit=chengtou_reporter.unit, status=S.IN_PROGRESS)
    answered = notice(work, staff, 1, respond_by=TODAY, response="已召开专题会", responded_at=timezone.now())
    unanswered = notice(work, staff, 2, grade="yellow", respond_by=TODAY - datetime.timedelta(days=2))
    notice(work, staff, 3, respond_by=TODAY + datetime.timedelta(days=2))  # not yet due: nothing to do
    client.force_login(staff)

    _, page = queries(client, reverse("tasks:review_queue"))

    assert '待办事项 <span class="count" aria-label="待办">6</span>' in page  # 3 + 1 + 1 + 1
    assert page.index("第1项任务") < page.index("第2项任务") < page.index("第3项任务")  # oldest first
    assert asked.reason in page and "已召开专题会" in page
    assert answered.number in page and unanswered.number in page and f"督办〔{TODAY.year}〕3号" not in page


def test_a_unit_has_no_queue_and_its_menu_no_count(client, chengtou_reporter, submitted):
    client.force_login(chengtou_reporter)

    assert client.get(reverse("tasks:review_queue")).status_code == 403
    assert "待办事项" not in client.get(reverse("tasks:my_tasks")).content.decode()


def test_the_queue_costs_the_same_queries_for_few_items_as_for_many(client, staff, chengtou_company):
    client.force_login(staff)
    AssignmentFactory(status=S.SUBMITTED)
    ExtensionRequestFactory()
    QuestionFactory()
    few, _ = queries(client, reverse("tasks:review_queue"))
    for _ in range(6):
        AssignmentFactory(status=S.SUBMITTED)
        ExtensionRequestFactory()
        QuestionFactory()

    many, _ = queries(client, reverse("tasks:review_queue"))

    assert many == few
    assert ExtensionRequest.objects.count() == 7


def test_the_queue_shows_the_first_of_a_kind_and_says_how_many(client, staff, monkeypatch):
    from tasks import views

    monkeypatch.setattr(views, "QUEUE_SHOWN", 2)
    for _ in range(3):
        ExtensionRequestFactory()
    client.force_login(staff)

    page = client.get(reverse("tasks:review_queue")).content.decode()

    assert "共3项，按时间先后显示前2项。" in page
    assert page.count("等待审计结果") == 2
