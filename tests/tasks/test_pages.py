"""Plan, task and work-list pages: what each role sees, the lights and counts, the queries they cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, MilestoneCompletion
from tasks.services import assignment_transition, notice_issue, progress_report_submit, question_answer
from tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    ExtensionRequestFactory,
    MilestoneFactory,
    PlanFactory,
    ProgressReportFactory,
    QuestionFactory,
    SectionFactory,
    TaskFactory,
    UnitFactory,
)

TODAY = timezone.localdate()


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(captured), answer.content.decode()


@pytest.fixture
def plan(chengtou_company, gongre_company):
    """A plan whose tasks are overdue, due soon, on track and not started."""
    plan = PlanFactory(
        title="立山区国企改革三年行动实施方案",
        doc_number="鞍立政发〔2021〕2号",
        period_start=TODAY - datetime.timedelta(days=365),
        period_end=TODAY + datetime.timedelta(days=365),
    )
    section = SectionFactory(plan=plan, number="(二)", title="完善中国特色现代企业制度")
    overdue = TaskFactory(
        plan=plan,
        section=section,
        number="3",
        title="厘清权责边界",
        due=TODAY - datetime.timedelta(days=1),
        source_line=62,
    )
    soon = TaskFactory(
        plan=plan, section=section, number="4", title="党的领导融入治理", due=TODAY + datetime.timedelta(days=10)
    )
    later = TaskFactory(
        plan=plan, section=section, number="5", title="规范董事会建设", due=TODAY + datetime.timedelta(days=300)
    )
    AssignmentFactory(task=overdue, unit=chengtou_company, status=S.IN_PROGRESS, role=AssignmentRole.LEAD)
    AssignmentFactory(task=overdue, unit=gongre_company, status=S.ACCEPTED)
    AssignmentFactory(task=soon, unit=gongre_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=later, unit=chengtou_company, status=S.NOT_STARTED)
    return plan


def test_the_plan_page_shows_each_tasks_light_and_the_plans_counts(client, staff, plan):
    client.force_login(staff)

    _, html = queries(client, reverse("tasks:plan_detail", args=[plan.pk]))

    rows = html.split('<tr class="section-row">')[1]
    assert (
        rows.index("light-red")
        < rows.index("厘清权责边界")
        < rows.index("light-yellow")
        < rows.index("党的领导融入治理")
    )
    assert rows.index("light-gray") < rows.index("规范董事会建设")
    assert "已验收销号 1" in html and "推进中 2" in html and "未启动 1" in html
    assert f"{reverse('tasks:plan_source', args=[plan.pk])}#L62" in html


def test_the_plan_page_lists_its_tasks_a_page_at_a_time_and_counts_them_all(client, staff, plan, monkeypatch):
    monkeypatch.setattr("tasks.views.PLAN_PAGE", 2)
    client.force_login(staff)
    url = reverse("tasks:plan_detail", args=[plan.pk])

    _, first = queries(client, url)
    _, second = queries(client, url + "?page=2")
    _, beyond = queries(client, url + "?page=99")

    assert "厘清权责边界" in first and "党的领导融入治理" in first and "规范董事会建设" not in first
    assert "规范董事会建设" in second and "厘清权责边界" not in second
    for html in (first, second):
        assert "已验收销号 1" in html and "推进中 2" in html and "未启动 1" in html  # the whole plan's
    assert "第 2 页，共 2 页" in second
    assert "规范董事会建设" in beyond  # past the end: the last page


def test_a_reporter_sees_only_the_tasks_of_their_unit(client, chengtou_reporter, plan):
    client.force_login(chengtou_reporter)

    _, html = queries(client, reverse("tasks:plan_detail", args=[plan.pk]))

    assert "厘清权责边界" in html and "规范董事会建设" in html
    assert "党的领导融入治理" not in html


def test_a_reporter_of_another_unit_gets_404_for_plan_task_and_source(client, plan):
    outsider_unit = UnitFactory()
    from tests.factories import UserFactory

    client.force_login(UserFactory(unit=outsider_unit))
    task = plan.tasks.first()
    for url in (
        reverse("tasks:plan_detail", args=[plan.pk]),
        reverse("tasks:plan_source", args=[plan.pk]),
        reverse("tasks:task_detail", args=[task.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_plan_page_costs_the_same_queries_for_three_tasks_as_for_thirty(client, staff, plan, chengtou_company):
    client.force_login(staff)
    few, _ = queries(client, reverse("tasks:plan_detail", args=[plan.pk]))
    for n in range(27):
        task = TaskFactory(plan=plan, section=plan.sections.first(), number=str(10 + n))
        AssignmentFactory(task=task, unit=chengtou_company)
        ProgressReportFactory(assignment=task.assignments.first())

    many, _ = queries(client, reverse("tasks:plan_detail", args=[plan.pk]))

    assert many == few <= 13


def test_the_plan_list_shows_counts_and_searches(client, staff, plan):
    PlanFactory(title="连云港市整改任务清单")
    client.force_login(staff)

    _, html = queries(client, reverse("tasks:plan_list"))
    assert "立山区国企改革三年行动实施方案" in html and "连云港市整改任务清单" in html
    assert "1 / 4" in html  # accepted of all assignments
    _, found = queries(client, reverse("tasks:plan_list") + "?q=鞍立政发")
    assert "立山区国企改革" in found and "连云港" not in found


def test_the_plan_list_costs_the_same_queries_for_few_plans_as_for_many(client, staff, plan):
    client.force_login(staff)
    few, _ = queries(client, reverse("tasks:plan_list"))
    for _ in range(6):
        AssignmentFactory(task=TaskFactory())

    many, _ = queries(client, reverse("tasks:plan_list"))

    assert many == few


def test_the_task_page_shows_text_milestones_units_timeline_and_history(client, staff, chengtou_reporter, plan):
    task = plan.tasks.get(number="3")
    MilestoneFactory(task=task, text="2021年出台《投资项目负面清单》", deliverables=["投资项目负面清单"])
    mine = task.assignments.get(unit=chengtou_reporter.unit)
    progress_report_submit(
        assignment_id=mine.pk, user=chengtou_reporter, period="2022-03", percent=60, text="已完成初稿", done=True
    )
    task.title = "进一步厘清各治理主体权责边界"
    task._history_user = staff
    task.save()
    client.force_login(staff)

    _, html = queries(client, reverse("tasks:task_detail", args=[task.pk]))

    assert "《投资项目负面清单》" in html
    assert "2022-03 · 60%" in html
    assert "推进中 → 已提交待验收" in html
    assert "标题：“厘清权责边界” → “进一步厘清各治理主体权责边界”" in html


def test_the_task_page_shows_a_responsible_unit_only_its_own_row(client, gongre_reporter, chengtou_company, plan):
    task = plan.tasks.get(number="3")  # 城投 leads it: it would see every unit's (tests/orgs/test_lead_unit_access.py)
    client.force_login(gongre_reporter)

    _, html = queries(client, reverse("tasks:task_detail", args=[task.pk]))

    assert gongre_reporter.unit.name in html
    assert chengtou_company.name not in html


def _events_on(assignment, staff):
    """One of every kind of event the task page's timeline and history show, on ``assignment``."""
    report = ProgressReportFactory(assignment=assignment)
    EvidenceFactory(report=report)
    ExtensionRequestFactory(assignment=assignment)
    question = QuestionFactory(assignment=assignment)
    question_answer(question_id=question.pk, user=staff, text="报区国资局审批")
    notice_issue(assignment_id=assignment.pk, user=staff, grade="yellow", text="请加快进度", respond_by=TODAY)
    milestone = MilestoneFactory(task=assignment.task)
    MilestoneCompletion.objects.create(assignment=assignment, milestone=milestone, done_by=staff)
    assignment_transition(assignment_id=assignment.pk, user=staff, action="cancel", comment="重复分工")


@pytest.mark.parametrize("viewer", ["staff", "chengtou_reporter"])
def test_the_task_page_costs_the_same_queries_whatever_its_units_reports_and_events(
    client, request, staff, plan, chengtou_company, viewer
):
    task = plan.tasks.get(number="3")
    ProgressReportFactory(assignment=task.assignments.first())
    client.force_login(request.getfixturevalue(viewer))
    _events_on(AssignmentFactory(task=task, status=S.IN_PROGRESS), staff)  # one of each kind
    few, _ = queries(client, reverse("tasks:task_detail", args=[task.pk]))
    for _ in range(6):
        ProgressReportFactory(assignment=AssignmentFactory(task=task))
    for unit in (chengtou_company, UnitFactory()):
        _events_on(AssignmentFactory(task=task, unit=unit, status=S.IN_PROGRESS), staff)

    many, html = queries(client, reverse("tasks:task_detail", args=[task.pk]))

    assert many == few
    assert "请加快进度" in html or viewer != "staff"


def test_my_tasks_groups_my_units_open_work_by_urgency(client, chengtou_reporter, plan):
    client.force_login(chengtou_reporter)

    _, html = queries(client, reverse("tasks:my_tasks"))

    assert html.index("已逾期") < html.index("厘清权责边界") < html.index("未启动") < html.index("规范董事会建设")
    assert "党的领导融入治理" not in html  # another unit's


def test_my_tasks_costs_the_same_queries_for_few_assignments_as_for_many(client, chengtou_reporter, chengtou_company):
    client.force_login(chengtou_reporter)
    AssignmentFactory(unit=chengtou_company, role=AssignmentRole.LEAD)
    few, _ = queries(client, reverse("tasks:my_tasks"))
    for n in range(8):
        task = TaskFactory()
        MilestoneFactory(task=task, due=TODAY + datetime.timedelta(days=5))
        AssignmentFactory(
            task=task, unit=chengtou_company, role=AssignmentRole.LEAD if n % 2 else AssignmentRole.RESPONSIBLE
        )
        AssignmentFactory(task=task)

    many, _ = queries(client, reverse("tasks:my_tasks"))

    assert many == few


def test_my_tasks_shows_the_first_of_each_group_and_a_group_alone_a_page_at_a_time(
    client, chengtou_reporter, chengtou_company, monkeypatch
):
    monkeypatch.setattr("tasks.views.MY_TASKS_SHOWN", 2)
    for n in range(5):
        AssignmentFactory(
            task=TaskFactory(number=str(n), title=f"逾期任务{n}", due=TODAY - datetime.timedelta(days=10 - n)),
            unit=chengtou_company,
        )
    client.force_login(chengtou_reporter)

    _, html = queries(client, reverse("tasks:my_tasks"))
    _, alone = queries(client, reverse("tasks:my_tasks") + "?light=red&page=3")
    _, mangled = queries(client, reverse("tasks:my_tasks") + "?light=purple")

    assert "已逾期 (5)" in html and "逾期任务0" in html and "逾期任务1" in html and "逾期任务2" not in html
    assert 'href="?light=red"' in html and "全部 5 项" in html
    assert "逾期任务4" in alone and "逾期任务3" not in alone and "第 3 页，共 3 页" in alone
    assert "全部 5 项" in mangled  # an unknown group: every group, each its first few


def test_the_review_queue_lists_submitted_work_oldest_first(client, staff, chengtou_reporter, gongre_reporter, plan):
    first = plan.tasks.get(number="3").assignments.get(unit=chengtou_reporter.unit)
    second = plan.tasks.get(number="4").assignments.get()
    assignment_transition(assignment_id=first.pk, user=chengtou_reporter, action="submit")
    assignment_transition(assignment_id=second.pk, user=gongre_reporter, action="submit")
    client.force_login(staff)

    _, html = queries(client, reverse("tasks:review_queue"))

    assert html.index("厘清权责边界") < html.index("党的领导融入治理")
    assert "规范董事会建设" not in html


def test_the_review_queue_costs_the_same_queries_for_few_submissions_as_for_many(client, staff):
    client.force_login(staff)
    AssignmentFactory(status=S.SUBMITTED)
    few, _ = queries(client, reverse("tasks:review_queue"))
    for _ in range(8):
        ProgressReportFactory(assignment=AssignmentFactory(status=S.SUBMITTED))

    many, _ = queries(client, reverse("tasks:review_queue"))

    assert many == few


@pytest.mark.parametrize(
    ("who", "page"), [("leader", "tasks:review_queue"), ("staff", "tasks:my_tasks"), ("auditor", "tasks:my_tasks")]
)
def test_work_lists_belong_to_their_roles(client, request, who, page):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse(page)).status_code == 403


def task_list(client, **params):
    from urllib.parse import urlencode

    _, html = queries(client, reverse("tasks:task_list") + "?" + urlencode(params))
    return html


def test_the_task_list_filters_by_unit_role_status_light_due_and_text(client, staff, plan, chengtou_company):
    client.force_login(staff)

    assert "厘清权责边界" in task_list(client, q="权责")
    assert "规范董事会建设" not in task_list(client, q="权责")
    by_unit = task_list(client, unit=chengtou_company.pk, role="lead")
    assert "厘清权责边界" in by_unit and "规范董事会建设" not in by_unit  # 城投 is responsible there, not lead
    assert "党的领导融入治理" in task_list(client, light="yellow")
    assert "厘清权责边界" not in task_list(client, light="yellow")
    assert "规范董事会建设" in task_list(client, status="not_started")
    soon = (TODAY + datetime.timedelta(days=30)).isoformat()
    assert "规范董事会建设" not in task_list(client, due_before=soon)
    assert "没有符合条件的任务" in task_list(client, q="不存在的任务")


def test_the_task_list_sorts_by_light(client, staff, plan):
    client.force_login(staff)

    html = task_list(client, sort="light")

    assert html.index("厘清权责边界") < html.index("党的领导融入治理") < html.index("规范董事会建设")


def test_a_reporter_lists_only_their_units_tasks(client, chengtou_reporter, plan):
    client.force_login(chengtou_reporter)

    html = task_list(client)

    assert "厘清权责边界" in html and "党的领导融入治理" not in html


def test_a_bad_filter_value_says_so(client, staff, plan):
    client.force_login(staff)

    assert "请按 YYYY-MM-DD 格式填写日期" in task_list(client, due_before="2022-02-30")


def test_the_task_list_costs_the_same_queries_for_few_tasks_as_for_many(client, staff, plan, chengtou_company):
    client.force_login(staff)
    few, _ = queries(client, reverse("tasks:task_list") + "?sort=due")
    for n in range(12):
        AssignmentFactory(
            task=TaskFactory(plan=plan, section=plan.sections.first(), number=str(20 + n)), unit=chengtou_company
        )

    many, _ = queries(client, reverse("tasks:task_list") + "?sort=due")

    assert many == few


def test_the_task_page_shows_the_latest_events_and_the_timeline_page_all(client, staff, plan, chengtou_company):
    from tasks.views import TIMELINE_LENGTH, TIMELINE_PAGE

    assignment = plan.tasks.get(number="3").assignments.get(unit=chengtou_company)
    for n in range(TIMELINE_PAGE + 5):
        ProgressReportFactory(assignment=assignment, text=f"第{n}次报送")
    client.force_login(staff)

    _, html = queries(client, reverse("tasks:task_detail", args=[assignment.task_id]))
    assert html.count('class="event-report"') == TIMELINE_LENGTH
    assert f"第{TIMELINE_PAGE + 4}次报送" in html and "第0次报送" not in html

    timeline = reverse("tasks:task_timeline", args=[assignment.task_id])
    _, first = queries(client, timeline)
    _, second = queries(client, timeline + "?page=2")
    assert first.count('class="event-report"') == TIMELINE_PAGE and "?page=2" in first
    assert second.count('class="event-report"') == 5 and "第0次报送" in second and "?page=3" not in second
    _, nonsense = queries(client, timeline + "?page=abc")
    assert nonsense.count('class="event-report"') == TIMELINE_PAGE


def test_the_timeline_and_history_pages_follow_the_access_policy(client, gongre_reporter, plan):
    task = plan.tasks.get(number="5")  # the city investment company's alone
    client.force_login(gongre_reporter)
    for name in ("tasks:task_timeline", "tasks:task_history"):
        assert client.get(reverse(name, args=[task.pk])).status_code == 404


def test_paging_keeps_the_search(client, staff, db):
    for n in range(21):
        PlanFactory(title=f"整改清单{n}")
    client.force_login(staff)

    _, html = queries(client, reverse("tasks:plan_list") + "?q=整改")

    assert "?q=%E6%95%B4%E6%94%B9&amp;page=2" in html


def test_staff_open_a_units_card_from_the_units_table(client, staff, plan, chengtou_company):
    assignment = plan.tasks.get(number="3").assignments.get(unit=chengtou_company)  # in progress
    panel = reverse("tasks:assignment_panel", args=[assignment.pk])
    client.force_login(staff)

    _, page = queries(client, reverse("tasks:task_detail", args=[assignment.task_id]))
    assert f'hx-get="{panel}"' in page and f'id="act-{assignment.pk}"' not in page

    fragment = client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<section class="card act"') and "<html" not in fragment
    assert reverse("tasks:notice_issue", args=[assignment.pk]) in fragment
    assert reverse("tasks:assignment_action", args=[assignment.pk, "cancel"]) in fragment
    whole = client.get(panel).content.decode()
    assert "<html" in whole and "hx-disable" in whole


def test_submitted_work_waits_on_the_task_page_itself(client, staff, plan, chengtou_company):
    assignment = plan.tasks.get(number="3").assignments.get(unit=chengtou_company)
    Assignment.objects.filter(pk=assignment.pk).update(status=S.SUBMITTED)
    client.force_login(staff)

    _, page = queries(client, reverse("tasks:task_detail", args=[assignment.task_id]))

    assert f'id="act-{assignment.pk}"' in page
    assert reverse("tasks:assignment_action", args=[assignment.pk, "accept"]) in page


@pytest.mark.parametrize("who", ["leader", "auditor", "gongre_reporter"])
def test_the_card_is_for_those_who_may_act(client, request, who, plan, chengtou_company):
    assignment = plan.tasks.get(number="3").assignments.get(unit=chengtou_company)
    client.force_login(request.getfixturevalue(who))

    answer = client.get(reverse("tasks:assignment_panel", args=[assignment.pk]))

    assert answer.status_code == (404 if who == "gongre_reporter" else 403)


def test_the_card_costs_a_fixed_number_of_queries(client, staff, plan, chengtou_company):
    assignment = plan.tasks.get(number="3").assignments.get(unit=chengtou_company)
    client.force_login(staff)
    count, _ = queries(client, reverse("tasks:assignment_panel", args=[assignment.pk]))
    for _ in range(5):
        ProgressReportFactory(assignment=assignment)

    assert queries(client, reverse("tasks:assignment_panel", args=[assignment.pk]))[0] == count


def test_the_unit_reads_why_its_work_was_returned_on_its_card_while_it_is_back_with_it(
    client, staff, chengtou_reporter, plan, chengtou_company
):
    assignment = plan.tasks.get(number="3").assignments.get(unit=chengtou_company)
    Assignment.objects.filter(pk=assignment.pk).update(status=S.SUBMITTED)
    for reason in ("旧的理由", "请补充董事会决议"):  # the latest return's reason is the one that stands
        assignment_transition(assignment_id=assignment.pk, user=staff, action="return", comment=reason)
        if reason == "旧的理由":
            assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="resume")
            assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="submit")
    client.force_login(chengtou_reporter)
    page_url = reverse("tasks:task_detail", args=[assignment.task_id])

    card = queries(client, page_url)[1].split(f'id="act-{assignment.pk}"')[1].split("</section>")[0]
    panel = client.get(reverse("tasks:assignment_panel", args=[assignment.pk])).content.decode()

    assert "退回原因：</strong> 请补充董事会决议" in card and "旧的理由" not in card
    assert "请补充董事会决议" in panel
    assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="resume")
    assert "退回原因" not in queries(client, page_url)[1]


def test_each_light_says_what_decided_it_on_the_task_page_and_in_my_tasks(client, chengtou_reporter, plan):
    later = plan.tasks.get(number="5").assignments.get(unit=chengtou_reporter.unit)  # not started, 300 days left
    Assignment.objects.filter(task__number="3", unit=chengtou_reporter.unit).update(latest_percent=40)
    client.force_login(chengtou_reporter)

    overdue_page = queries(client, reverse("tasks:task_detail", args=[plan.tasks.get(number="3").pk]))[1]
    mine = queries(client, reverse("tasks:my_tasks"))[1]

    assert "逾期1天 · 序时进度100%，已报40%" in overdue_page
    expected = round(100 * 365 / 665)  # a year gone of the 665 days from the plan's start to the deadline
    assert f"剩300天 · 序时进度{expected}%，已报0%" in mine
    assert later.latest_percent is None
