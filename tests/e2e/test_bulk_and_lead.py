"""In a real browser: staff accept several submissions at once from 待验收, one refused and named
with its reason; a lead unit reads the other units' work on its task, and may act only on its own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, StatusChange
from tests.e2e.conftest import sign_in
from tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    MilestoneFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
)

pytestmark = pytest.mark.e2e


def test_staff_accept_the_ticked_and_read_which_were_refused(page, staff, chengtou_company, gongre_company):
    plain = TaskFactory(number="1", title="压减管理层级", due=timezone.localdate())
    owed = TaskFactory(number="2", title="制定投资负面清单", plan=plain.plan, section=plain.section)
    MilestoneFactory(task=owed, deliverables=["投资负面清单"])  # not delivered: 销号 asks for a reason
    ready = AssignmentFactory(task=plain, unit=chengtou_company, status=S.SUBMITTED)
    waiting = AssignmentFactory(task=owed, unit=gongre_company, status=S.SUBMITTED)

    sign_in(page, staff.username)
    page.goto("/tasks/review/")
    for box in page.locator("input[name=assignment]").all():
        box.check()
    page.click("button:has-text('验收所选')")

    assert Assignment.objects.get(pk=ready.pk).status == S.ACCEPTED
    assert Assignment.objects.get(pk=waiting.pk).status == S.SUBMITTED
    told = page.locator("#messages").inner_text()
    assert "制定投资负面清单" in told and "尚未交付：《投资负面清单》" in told
    assert StatusChange.objects.filter(assignment=ready, to_status=S.ACCEPTED).count() == 1
    assert page.locator("input[name=assignment]").count() == 1  # what is left waits on the page


def test_a_lead_unit_reads_its_co_units_work_and_acts_only_on_its_own(
    page, chengtou_reporter, chengtou_company, gongre_company
):
    task = TaskFactory(number="3", title="深化混合所有制改革")
    other = TaskFactory(number="4", title="别的任务", plan=task.plan, section=task.section)
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    theirs = AssignmentFactory(task=task, unit=gongre_company, role=AssignmentRole.RESPONSIBLE, status=S.IN_PROGRESS)
    AssignmentFactory(task=other, unit=UnitFactory(name="鞍山市立山区水务集团有限公司"))
    EvidenceFactory(
        report=ProgressReportFactory(assignment=theirs, text="供热混改方案已报批"), original_name="混改方案.pdf"
    )

    sign_in(page, chengtou_reporter.username)
    page.goto(reverse("tasks:task_detail", args=[task.pk]))
    units = page.locator("section:has(h2:text-is('单位')) table").inner_text()

    assert "鞍山市立山区供热有限公司" in units and "推进中" in units
    assert page.locator("a.evidence:has-text('混改方案.pdf')").count() >= 1
    assert "供热混改方案已报批" in page.content()
    assert page.locator(f"a[href='{reverse('tasks:assignment_panel', args=[theirs.pk])}']").count() == 0
    assert page.locator("form.report-form").count() == 1  # its own card only
    assert page.locator("input[name=combined]").count() == 1  # and, as the lead, the combined report
    assert page.goto(reverse("tasks:task_detail", args=[other.pk])).status == 404  # no part in it: not found
    page.goto(reverse("tasks:my_tasks"))
    assert "其他单位：推进中 1" in page.locator("main").inner_text()
