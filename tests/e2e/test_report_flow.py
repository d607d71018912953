"""A unit reports with a file, staff return it, the unit resubmits, staff accept: in a real browser."""

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tests.e2e.conftest import sign_in, submit_in_place
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_report_return_resubmit_accept(browser, live_server, staff, chengtou_reporter, chengtou_company, tmp_path):
    today = timezone.localdate()
    plan = PlanFactory(
        title="立山区国企改革三年行动实施方案",
        period_start=today - datetime.timedelta(days=100),
        period_end=today + datetime.timedelta(days=100),
    )
    task = TaskFactory(plan=plan, title="制定权责清单", due=today + datetime.timedelta(days=5))
    MilestoneFactory(task=task, due=task.due, text="出台《区属企业权责清单》", deliverables=["区属企业权责清单"])
    assignment = AssignmentFactory(task=task, unit=chengtou_company)
    evidence = tmp_path / "立山区属企业权责清单（审定稿）.pdf"
    evidence.write_bytes(PDF)

    def open_page(user):
        context = browser.new_context(base_url=live_server.url, accept_downloads=True)
        page = context.new_page()
        sign_in(page, user.username)
        return context, page

    unit_context, unit = open_page(chengtou_reporter)
    unit.goto(f"/tasks/{task.pk}/")
    assert unit.locator("tr .light-yellow").count() == 1  # due in five days
    unit.fill("input[name=percent]", "80")
    unit.fill("textarea[name=text]", "权责清单已起草并经党委会审议")
    unit.set_input_files("input[name=files]", str(evidence))
    unit.check("label:has-text('《区属企业权责清单》') input")  # the file delivers the milestone's document
    unit.check("input[name=done]")
    submit_in_place(unit, "text=报送进展")
    assert "已提交验收" in unit.locator(".messages").inner_text()

    staff_context, office = open_page(staff)
    office.goto("/tasks/review/")
    with office.expect_navigation():
        office.click("text=制定权责清单")
    office.fill("form:has(button.danger) textarea[name=comment]", "请补充董事会决议")
    submit_in_place(office, "button.danger")
    assignment.refresh_from_db()
    assert assignment.status == S.RETURNED

    unit.goto(f"/tasks/{task.pk}/")
    unit.fill("input[name=percent]", "100")
    unit.fill("textarea[name=text]", "已补充董事会决议")
    unit.check("input[name=done]")
    submit_in_place(unit, "text=报送进展")

    office.goto(f"/tasks/{task.pk}/")
    assert "已交付" in office.locator("table.list").first.inner_text()  # accepted without a reason asked
    submit_in_place(office, "text=验收销号")
    assignment.refresh_from_db()
    assert assignment.status == S.ACCEPTED
    assert office.locator("tr .light-green").count() == 1
    office.goto(f"/plans/{plan.pk}/")
    assert "已验收销号 1" in office.locator(".counts").first.inner_text()

    with unit.expect_download() as download:
        unit.goto(f"/tasks/{task.pk}/")
        unit.click("a.evidence >> nth=0")
    assert download.value.suggested_filename == evidence.name
    assert download.value.path().read_bytes() == PDF
    response = unit.request.get(unit.locator("a.evidence").first.get_attribute("href"))
    assert quote(evidence.name) in response.headers["content-disposition"]

    outsider_context, outsider = open_page(UserFactory(username="outsider"))
    assert outsider.goto(f"/tasks/{task.pk}/").status == 404
    for context in (unit_context, staff_context, outsider_context):
        context.close()
