"""The lead unit's right (policy.restrict): on a task it leads, a unit sees the other units' work —
its status, reports, evidence, completions, notices — read-only; of any other task, only its own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from orgs import policy
from tasks.choices import AssignmentRole, NoticeGrade
from tasks.choices import AssignmentStatus as S
from tasks.models import (
    Assignment,
    Evidence,
    MilestoneCompletion,
    ProgressReport,
    StatusChange,
    SupervisionNotice,
    Task,
)
from tasks.services import allowed_actions, assignment_transition, notice_issue, progress_report_submit
from tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    MilestoneFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
)

LEAD, RESPONSIBLE = AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE


@pytest.fixture
def tasks(chengtou_company, gongre_company, chengtou_reporter, gongre_reporter, staff):
    """X: 城投 leads, 供热 and 水务 are responsible. Y: 供热 alone. Z: 供热 leads, 城投 is responsible."""
    water = UnitFactory(name="鞍山市立山区水务集团有限公司")
    x = TaskFactory(number="1", title="任务X")
    y = TaskFactory(number="2", title="任务Y", plan=x.plan, section=x.section)
    z = TaskFactory(number="3", title="任务Z", plan=x.plan, section=x.section)
    work = {
        "x_lead": AssignmentFactory(task=x, unit=chengtou_company, role=LEAD),
        "x_co": AssignmentFactory(task=x, unit=gongre_company, role=RESPONSIBLE),
        "x_water": AssignmentFactory(task=x, unit=water, role=RESPONSIBLE, status=S.SUBMITTED),
        "y": AssignmentFactory(task=y, unit=gongre_company, role=LEAD),
        "z_lead": AssignmentFactory(task=z, unit=gongre_company, role=LEAD),
        "z_co": AssignmentFactory(task=z, unit=chengtou_company, role=RESPONSIBLE),
    }
    for key in ("x_co", "y", "z_lead"):
        report = ProgressReportFactory(assignment=work[key], author=gongre_reporter)
        EvidenceFactory(report=report, original_name=f"{key}.pdf")
        notice_issue(
            assignment_id=work[key].pk,
            user=staff,
            grade=NoticeGrade.YELLOW,
            text="请加快推进",
            respond_by=timezone.localdate() + datetime.timedelta(days=7),
        )
        MilestoneCompletion.objects.create(
            assignment=work[key], milestone=MilestoneFactory(task=work[key].task), done_by=gongre_reporter
        )
    return x, y, z, work


def seen(model, user, path="assignment"):
    return set(model.objects.visible_to(user).values_list(path, flat=True))


def test_the_lead_sees_every_units_work_of_the_task_it_leads_and_only_its_own_elsewhere(chengtou_reporter, tasks):
    x, _y, z, work = tasks
    on_x = {work["x_lead"].pk, work["x_co"].pk, work["x_water"].pk}

    assert seen(Assignment, chengtou_reporter, "pk") == on_x | {work["z_co"].pk}
    for model in (ProgressReport, MilestoneCompletion, SupervisionNotice):
        assert seen(model, chengtou_reporter) == {work["x_co"].pk}, model  # nothing of Y, nor of Z's lead
    assert seen(Evidence, chengtou_reporter, "report__assignment") == {work["x_co"].pk}
    assert seen(StatusChange, chengtou_reporter) <= on_x | {work["z_co"].pk}
    assert list(Task.objects.visible_to(chengtou_reporter).order_by("number")) == [x, z]  # each once


def test_a_responsible_unit_sees_only_its_own_work_even_where_another_leads(gongre_reporter, chengtou_reporter, tasks):
    *_, work = tasks

    assert work["x_lead"].pk not in seen(Assignment, gongre_reporter, "pk")
    assert work["x_water"].pk not in seen(Assignment, gongre_reporter, "pk")
    # 供热 leads Z: it sees 城投's work there, and 城投 (responsible on Z) does not see 供热's.
    assert work["z_co"].pk in seen(Assignment, gongre_reporter, "pk")
    assert work["z_lead"].pk not in seen(Assignment, chengtou_reporter, "pk")


def test_the_lead_sees_its_co_units_work_as_it_stood_too(chengtou_reporter, tasks):
    *_, work = tasks
    history = policy.restrict(Assignment.history.all(), chengtou_reporter, "unit")

    assert set(history.values_list("id", flat=True)) == {work[k].pk for k in ("x_lead", "x_co", "x_water", "z_co")}


def test_a_cancelled_lead_sees_no_more_than_its_own(chengtou_reporter, tasks):
    *_, work = tasks
    Assignment.objects.filter(pk=work["x_lead"].pk).update(status=S.CANCELLED)

    assert work["x_co"].pk not in seen(Assignment, chengtou_reporter, "pk")


def test_the_lead_only_reads_the_other_units_work(chengtou_reporter, staff, tasks):
    *_, work = tasks
    co = Assignment.objects.get(pk=work["x_co"].pk)
    submitted = Assignment.objects.get(pk=work["x_water"].pk)

    assert allowed_actions(chengtou_reporter, co) == [] and allowed_actions(chengtou_reporter, submitted) == []
    with pytest.raises(PermissionDenied):
        progress_report_submit(assignment_id=co.pk, user=chengtou_reporter, period="2021-03", text="代报", percent=50)
    with pytest.raises(PermissionDenied):
        assignment_transition(assignment_id=co.pk, user=chengtou_reporter, action="start")
    assert not ProgressReport.objects.filter(assignment=co, text="代报").exists()
    assert Assignment.objects.get(pk=co.pk).status == S.NOT_STARTED


def test_the_task_page_shows_the_lead_each_units_work_without_a_way_to_act(client, chengtou_reporter, tasks):
    x, *_, work = tasks
    client.force_login(chengtou_reporter)

    page = client.get(reverse("tasks:task_detail", args=[x.pk])).content.decode()
    mine = client.get(reverse("tasks:my_tasks")).content.decode()

    assert "鞍山市立山区供热有限公司" in page and "鞍山市立山区水务集团有限公司" in page
    assert "x_co.pdf" in page  # the co-unit's evidence, on the timeline
    for key in ("x_co", "x_water"):
        assert reverse("tasks:assignment_panel", args=[work[key].pk]) not in page  # no card to act on
    assert f'id="act-{work["x_lead"].pk}"' in page  # its own, as ever
    assert "任务Y" not in page and "x_co.pdf" not in mine
    # 我的任务 lists its own work only, the led task with the others' work counted.
    assert "任务X" in mine and "任务Z" in mine and "其他单位：未启动 1、已提交待验收 1" in mine
