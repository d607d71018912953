"""A unit asks for more time and staff approve; staff issue a notice, the unit answers, staff close it."""

import datetime

import pytest
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.choices import ExtensionStatus
from tasks.models import ExtensionRequest, SupervisionNotice
from tests.e2e.conftest import sign_in, submit_in_place
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.e2e


def test_extension_and_notice(browser, live_server, staff, chengtou_reporter, chengtou_company):
    today = timezone.localdate()
    task = TaskFactory(title="压减管理层级", due=today - datetime.timedelta(days=3))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)

    def open_page(user):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in(page, user.username)
        page.goto(f"/tasks/{task.pk}/")
        return context, page

    unit_context, unit = open_page(chengtou_reporter)
    assert unit.locator("tr .light-red").count() == 1
    unit.click("text=申请延期")
    unit.fill("input[name=proposed_due]", (today + datetime.timedelta(days=60)).isoformat())
    unit.fill("textarea[name=reason]", "需待上级批复后实施")
    submit_in_place(unit, "text=提交申请")

    staff_context, office = open_page(staff)
    submit_in_place(office, "button:has-text('批准')")
    assert ExtensionRequest.objects.get().status == ExtensionStatus.APPROVED
    assert office.locator("tr .light-red").count() == 0

    office.click("a:has-text('办理')")  # the unit's card, opened in place
    office.click("text=下发督办单")
    office.select_option("select[name=grade]", "yellow")
    office.fill("input[name=respond_by]", (today + datetime.timedelta(days=5)).isoformat())
    office.fill(".notice-form textarea[name=text]", "请说明进度滞后原因")
    submit_in_place(office, ".notice-form button[type=submit]")
    notice = SupervisionNotice.objects.get()

    unit.reload()
    unit.fill("form[action$='/respond/'] textarea", "已制定赶工计划")
    submit_in_place(unit, "button:has-text('回复')")
    office.reload()
    office.fill("input[name=reason]", "已按计划推进")
    submit_in_place(office, "button:has-text('办结')")

    notice.refresh_from_db()
    assert (notice.response, notice.close_reason) == ("已制定赶工计划", "已按计划推进")
    sheet = office.goto(f"/notices/{notice.pk}/")
    assert sheet.status == 200 and notice.number in office.content()
    for context in (unit_context, staff_context):
        context.close()
