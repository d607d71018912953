"""The unit report, the overdue bulletin and the task dossier: read back, for whom, and the past."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tasks.choices import AssignmentRole, NoticeGrade
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, ExtensionRequest, Question, SupervisionNotice, Task
from tasks.services import (
    extension_decide,
    extension_request,
    instruction_add,
    notice_issue,
    notice_respond,
    notices_escalate,
    progress_report_submit,
    question_answer,
    question_ask,
)
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory
from tests.reports.issued import issue

TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=60)


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office, staff, chengtou_reporter):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案", doc_number="鞍立政发〔2021〕2号")
    section = SectionFactory(plan=plan, title="完善中国特色现代企业制度")
    late = TaskFactory(
        plan=plan, section=section, number="3", title="厘清各治理主体权责边界", due=TODAY - datetime.timedelta(days=12)
    )
    TaskFactory(plan=plan, section=section, number="4", title="规范董事会建设", due=TODAY + datetime.timedelta(days=40))
    AssignmentFactory(task=late, unit=sasac_office, role=AssignmentRole.LEAD, status=S.ACCEPTED)
    mine = AssignmentFactory(task=late, unit=chengtou_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=late, unit=gongre_company, status=S.IN_PROGRESS)
    progress_report_submit(
        assignment_id=mine.pk, user=chengtou_reporter, period=f"{TODAY:%Y-%m}", percent=40, text="已形成权责清单初稿"
    )
    notice_issue(
        assignment_id=mine.pk,
        user=staff,
        grade=NoticeGrade.RED,
        text="限期完成",
        respond_by=TODAY + datetime.timedelta(days=5),
    )
    return plan


def text_of(report) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.content)).pages).replace("\n", "")


def test_the_overdue_bulletin_ranks_units_and_names_the_notices(plan, staff):
    report = issue("overdue", staff, plan=plan.pk)
    name = report.filename

    text = text_of(report)
    assert "逾期情况通报" in text and name.endswith(".pdf")
    # The office finished its share: first; the two companies behind, each 12 days late.
    assert text.index("立山区国有资产监督管理局") < text.index("鞍山市立山区城市建设投资有限公司")
    assert f"督办〔{TODAY.year}〕1号（红色" in text and "12" in text


def test_a_units_report_is_for_the_unit_and_for_staff(
    plan, staff, chengtou_reporter, gongre_reporter, chengtou_company
):
    report = issue("unit", chengtou_reporter, unit=chengtou_company.pk)

    text = text_of(report)
    assert "鞍山市立山区城市建设投资有限公司" in text and "已形成权责清单初稿" in text
    assert "鞍山市立山区供热有限公司" not in text
    assert issue("unit", staff, unit=chengtou_company.pk).pages >= 1
    with pytest.raises(PermissionDenied):
        issue("unit", gongre_reporter, unit=chengtou_company.pk)


def test_a_unit_with_no_assignment_gets_a_message(plan, staff):
    from tests.factories import UnitFactory

    with pytest.raises(ValidationError, match="没有可报告的任务分工"):
        issue("unit", staff, unit=UnitFactory(name="立山区档案馆").pk)


def test_the_dossier_has_the_text_reports_reviews_notices_and_history(plan, staff):
    task = plan.tasks.get(number="3")

    text = text_of(issue("dossier", staff, task=task.pk))

    for words in ("任务档案", "厘清各治理主体权责边界", "已形成权责清单初稿", "限期完成", "变更记录"):
        assert words in text, words


def test_a_reporter_sees_only_their_part_of_a_dossier_and_nothing_of_a_task_not_theirs(plan, chengtou_reporter):
    text = text_of(issue("dossier", chengtou_reporter, task=plan.tasks.get(number="3").pk))
    assert "鞍山市立山区城市建设投资有限公司" in text and "鞍山市立山区供热有限公司" not in text
    with pytest.raises(ValidationError):
        issue("dossier", chengtou_reporter, task=plan.tasks.get(number="4").pk)


def test_a_dossier_as_of_a_past_day_leaves_out_what_came_later(plan, staff):
    task = plan.tasks.get(number="3")
    long_ago = timezone.now() - datetime.timedelta(days=20)
    for model in (Task, Assignment):
        model.history.update(history_date=long_ago)
    Task.objects.filter(pk=task.pk).update(created_at=long_ago)
    plan.history.update(history_date=long_ago)

    text = text_of(issue("dossier", staff, task=task.pk, as_of=TODAY - datetime.timedelta(days=1)))

    assert "厘清各治理主体权责边界" in text and "已形成权责清单初稿" not in text and "限期完成" not in text


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("overdue", {}, "请选择方案"),
        ("unit", {"unit": "abc"}, "请选择单位"),
        ("dossier", {"task": "0"}, "请选择任务"),
        ("progress", {"as_of": "明天"}, "YYYY-MM-DD"),
        ("minutes", {}, "未知的报告类型"),
    ],
)
def test_bad_requests_get_a_message_and_no_file(client, staff, plan, kind, params, message):
    client.force_login(staff)

    answer = client.get(reverse("reports:report_pdf", kwargs={"kind": kind}), params)

    assert answer.status_code == 400 and message in answer.content.decode()


def test_the_overdue_bulletin_is_not_for_reporters(client, chengtou_reporter, plan):
    client.force_login(chengtou_reporter)
    answer = client.get(reverse("reports:report_pdf", kwargs={"kind": "overdue"}), {"plan": plan.pk})
    assert answer.status_code == 400


def test_the_command_renders_each_kind(plan, staff, chengtou_company, tmp_path):
    targets = {
        "overdue": ["--plan", plan.pk],
        "unit": ["--unit", chengtou_company.pk],
        "dossier": ["--task", plan.tasks.first().pk],
    }
    for kind, args in targets.items():
        out = tmp_path / f"{kind}.pdf"
        call_command("render_report", kind, *map(str, args), "--out", str(out))
        assert out.read_bytes().startswith(b"%PDF")


def test_the_bulletin_names_a_units_longest_overdue_work_and_counts_the_rest(
    plan, staff, chengtou_company, monkeypatch
):
    from reports import documents

    other = TaskFactory(plan=plan, number="9", title="清理退出低效无效资产", due=TODAY - datetime.timedelta(days=3))
    AssignmentFactory(task=other, unit=chengtou_company, status=S.IN_PROGRESS)
    monkeypatch.setattr(documents, "NAMED_PER_UNIT", 1)

    text = text_of(issue("overdue", staff, plan=plan.pk))

    assert "厘清各治理主体权责边界" in text  # 12 days late: named
    assert "清理退出低效无效资产" not in text and "另有1项逾期任务分工" in text


def test_the_dossier_has_instructions_extensions_and_each_notices_raises_and_answer(
    plan, staff, leader, chengtou_reporter, settings
):
    task = plan.tasks.get(number="3")
    mine = task.assignments.get(unit__name="鞍山市立山区城市建设投资有限公司")
    instruction_add(task_id=task.pk, user=leader, text="要加快进度，月底前见成效")
    asked = extension_request(assignment_id=mine.pk, user=chengtou_reporter, reason="等待审计结果", proposed_due=LATER)
    extension_decide(request_id=asked.pk, user=staff, approve=False, comment="请按原时限完成")
    blue = notice_issue(assignment_id=mine.pk, user=staff, grade=NoticeGrade.BLUE, text="请报送进展", respond_by=TODAY)
    settings.NOTICE_RESPONSE_DAYS = 3
    notices_escalate(today=TODAY + datetime.timedelta(days=1))
    notice_respond(notice_id=blue.pk, user=chengtou_reporter, text="已召开专题会")
    question = question_ask(assignment_id=mine.pk, user=chengtou_reporter, text="混改方案报哪一级审批")
    question_answer(question_id=question.pk, user=staff, text="报区国资局审批")

    text = text_of(issue("dossier", staff, task=task.pk))

    for words in ("领导批示", "要加快进度，月底前见成效", "等待审计结果", "未批准", "请按原时限完成"):
        assert words in text, words
    assert "升级为黄色" in text and "已召开专题会" in text
    assert text.index("请报送进展") < text.index("升级为黄色") < text.index("已召开专题会")
    assert text.index("单位提问") < text.index("混改方案报哪一级审批") < text.index("报区国资局审批")


def test_a_past_dossier_leaves_out_decisions_and_answers_that_came_later(plan, staff, chengtou_reporter):
    task = plan.tasks.get(number="3")
    mine = task.assignments.get(unit__name="鞍山市立山区城市建设投资有限公司")
    asked = extension_request(assignment_id=mine.pk, user=chengtou_reporter, reason="等待审计结果", proposed_due=LATER)
    extension_decide(request_id=asked.pk, user=staff, approve=True)
    notice = SupervisionNotice.objects.get(assignment=mine)
    notice_respond(notice_id=notice.pk, user=chengtou_reporter, text="已召开专题会")
    question = question_ask(assignment_id=mine.pk, user=chengtou_reporter, text="混改方案报哪一级审批")
    question_answer(question_id=question.pk, user=staff, text="报区国资局审批")
    long_ago = timezone.now() - datetime.timedelta(days=20)
    Question.objects.filter(pk=question.pk).update(asked_at=long_ago)
    for model in (Task, Assignment):
        model.history.update(history_date=long_ago)
    plan.history.update(history_date=long_ago)
    Task.objects.filter(pk=task.pk).update(created_at=long_ago)
    ExtensionRequest.objects.filter(pk=asked.pk).update(created_at=long_ago)
    SupervisionNotice.objects.filter(pk=notice.pk).update(issued_at=long_ago)

    text = text_of(issue("dossier", staff, task=task.pk, as_of=TODAY - datetime.timedelta(days=1)))

    asked_line = text[text.index("等待审计结果") :][:20]
    assert "待审批" in asked_line and "已批准" not in asked_line
    assert "限期完成" in text and "已召开专题会" not in text
    assert "混改方案报哪一级审批" in text and "报区国资局审批" not in text  # answered today
