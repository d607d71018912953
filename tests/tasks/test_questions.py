"""Units' questions to the office (咨询): asked by the unit about its own work, in staff's queue with
its count in the menu until answered once, each step told to whoever acts next."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Question
from tasks.reminders.choices import Channel, Kind
from tasks.reminders.models import Notification
from tasks.services import question_answer, question_ask
from tests.factories import AssignmentFactory, TaskFactory


@pytest.fixture
def work(chengtou_company, gongre_company):
    """城投 leads the task, 供热 is responsible for it."""
    task = TaskFactory(number="3", title="深化混合所有制改革")
    lead = AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    theirs = AssignmentFactory(task=task, unit=gongre_company, status=S.NOT_STARTED)
    return {"lead": lead, "theirs": theirs}


def told(kind):
    return set(Notification.objects.filter(kind=kind, channel=Channel.IN_APP).values_list("recipient", flat=True))


def test_a_question_reaches_staff_and_its_answer_the_unit(work, staff, chengtou_reporter, gongre_reporter):
    question = question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text="  混改方案需报哪一级审批？ ")

    assert question.text == "混改方案需报哪一级审批？" and told(Kind.QUESTION_ASKED) == {staff.pk}
    answered = question_answer(question_id=question.pk, user=staff, text="报区国资局审批。")

    assert (answered.answer, answered.answered_by) == ("报区国资局审批。", staff)
    assert told(Kind.QUESTION_ANSWERED) == {gongre_reporter.pk}  # the unit that asked, not the lead
    message = Notification.objects.get(kind=Kind.QUESTION_ANSWERED, channel=Channel.IN_APP)
    assert "报区国资局审批。" in message.body
    assert message.link == reverse("tasks:task_detail", args=[work["theirs"].task_id])


def test_a_question_is_answered_once(work, staff, gongre_reporter):
    question = question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text="何时报送？")
    question_answer(question_id=question.pk, user=staff, text="本月底前。")

    with pytest.raises(ValidationError, match="已经答复过"):
        question_answer(question_id=question.pk, user=staff, text="下月初。")
    question.refresh_from_db()
    assert question.answer == "本月底前。"


@pytest.mark.parametrize(("text", "message"), [("", "请填写问题"), ("   ", "请填写问题"), ("问" * 2001, "2000")])
def test_an_empty_or_overlong_question_is_refused(work, gongre_reporter, text, message):
    with pytest.raises(ValidationError, match=message):
        question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text=text)
    assert not Question.objects.exists()


def test_only_the_unit_asks_about_its_work_and_only_staff_answer(
    work, staff, leader, chengtou_reporter, gongre_reporter
):
    # The lead sees 供热's work on the task it leads, but does not speak for it.
    with pytest.raises(PermissionDenied):
        question_ask(assignment_id=work["theirs"].pk, user=chengtou_reporter, text="代为提问")
    with pytest.raises(PermissionDenied):
        question_ask(assignment_id=work["theirs"].pk, user=staff, text="工作人员提问")
    outside = AssignmentFactory(status=S.IN_PROGRESS)
    with pytest.raises(outside.DoesNotExist):
        question_ask(assignment_id=outside.pk, user=gongre_reporter, text="别人的任务")
    question = question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text="何时报送？")
    for user in (leader, chengtou_reporter, gongre_reporter):
        with pytest.raises(PermissionDenied):
            question_answer(question_id=question.pk, user=user, text="答复")
    assert Question.objects.count() == 1 and Question.objects.get().answered_at is None


def test_cancelled_work_takes_no_question(work, gongre_reporter):
    work["theirs"].status = S.CANCELLED
    work["theirs"].save()
    with pytest.raises(ValidationError, match="已取消"):
        question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text="还要做吗？")


def test_asked_on_the_task_page_answered_in_the_queue(client, work, staff, gongre_reporter, chengtou_reporter):
    page = reverse("tasks:task_detail", args=[work["theirs"].task_id])
    client.force_login(gongre_reporter)
    assert "向国资局提问" in client.get(page).content.decode()
    asked = client.post(reverse("tasks:question_ask", args=[work["theirs"].pk]), {"text": "需要附哪些材料？"})
    assert asked["Location"] == f"{page}#questions"
    refused = client.post(reverse("tasks:question_ask", args=[work["theirs"].pk]), {"text": " "}, follow=True)
    assert "请填写问题" in refused.content.decode()

    client.force_login(staff)
    queue = client.get(reverse("tasks:review_queue")).content.decode()
    assert "需要附哪些材料？" in queue and '待办事项 <span class="count" aria-label="待办">1</span>' in queue
    question = Question.objects.get()
    answer = {"text": "附会议纪要。", "back": "queue"}
    answered = client.post(reverse("tasks:question_answer", args=[question.pk]), answer)
    assert answered["Location"] == f"{reverse('tasks:review_queue')}#questions"
    queue = client.get(reverse("tasks:review_queue")).content.decode()
    assert "需要附哪些材料？" not in queue and "待办事项 <span" not in queue

    client.force_login(chengtou_reporter)  # the lead reads the exchange on the task it leads, asks nothing for 供热
    shown = client.get(page).content.decode()
    assert "需要附哪些材料？" in shown and "附会议纪要。" in shown
    assert client.post(reverse("tasks:question_ask", args=[work["theirs"].pk]), {"text": "代问"}).status_code == 403
    again = client.post(reverse("tasks:question_answer", args=[question.pk]), {"text": "再答"})
    assert again.status_code == 403


def test_the_timeline_tells_the_question_and_its_answer(client, work, staff, gongre_reporter):
    question = question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text="需要附哪些材料？")
    question_answer(question_id=question.pk, user=staff, text="附会议纪要。")
    client.force_login(staff)
    page = client.get(reverse("tasks:task_timeline", args=[work["theirs"].task_id])).content.decode()
    assert page.index("附会议纪要。") < page.index("需要附哪些材料？")  # newest first
    assert "王晓东答复了鞍山市立山区供热有限公司" in page


def test_the_api_asks_lists_and_answers(api, work, staff, gongre_reporter, chengtou_reporter):
    unit = api(gongre_reporter)
    asks = reverse("api:question-list")
    made = unit.post(asks, {"assignment": work["theirs"].pk, "text": "何时报送？"}, format="json")
    empty = unit.post(asks, {"assignment": work["theirs"].pk, "text": " "}, format="json")
    question_id = made.json()["id"]

    waiting = api(staff).get(reverse("api:question-list"), {"unanswered": "true"}).json()
    answers = reverse("api:question-answer", args=[question_id])
    answered = api(staff).post(answers, {"text": "本月底前。"}, format="json")
    twice = api(staff).post(answers, {"text": "下月。"}, format="json")

    assert made.status_code == 201 and empty.status_code == 400
    assert [q["id"] for q in waiting["results"]] == [question_id]
    assert answered.status_code == 200 and answered.json()["answer"] == "本月底前。"
    assert twice.status_code == 400
    lead_reads = api(chengtou_reporter).get(reverse("api:question-detail", args=[question_id]))
    assert lead_reads.status_code == 200
    assert api(staff).get(reverse("api:question-list"), {"unanswered": "true"}).json()["results"] == []


def test_a_browsers_line_breaks_are_kept_as_typed_and_counted_once(work, gongre_reporter):
    typed = "\r\n".join(["第一行"] * 500)  # 2,000 characters as the page counts them, 2,998 with CR LF

    question = question_ask(assignment_id=work["theirs"].pk, user=gongre_reporter, text=typed)

    assert question.text == "\n".join(["第一行"] * 500)
