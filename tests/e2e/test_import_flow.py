"""Staff import a plan in a real browser: upload, check, decide units, confirm."""

import pytest

from orgs.choices import UnitKind
from orgs.services import unit_create, unit_group_set_members
from tasks.models import Plan
from tests.e2e.conftest import sign_in
from tests.factories import UnitFactory, UnitGroupFactory
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = pytest.mark.e2e


def test_staff_upload_check_decide_and_confirm_a_plan(page, staff, tmp_path):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    unit_group_set_members(group=UnitGroupFactory(name="各市属企业"), units=UnitFactory.create_batch(2))
    document = tmp_path / "市国企改革方案.txt"
    document.write_text(CITY_PLAN, encoding="utf-8")

    sign_in(page, staff.username)
    page.click("text=导入方案")
    page.set_input_files("#id_file", str(document))
    page.click("text=上传并读取")

    assert page.locator("h1").inner_text() == "市国企改革方案.txt"
    assert page.locator("tr#task-0 input[name=title-0]").input_value() == "推进战略性重组"
    assert page.locator("span.unknown", has_text="市财政局").count() >= 1
    page.fill("input[name=title-0]", "推进国有企业战略性重组")
    page.select_option("select[aria-label=市财政局]", "create")
    page.click("text=确认导入")

    assert "已导入" in page.locator(".messages").inner_text()
    plan = Plan.objects.get()
    assert plan.tasks.get(position=0).title == "推进国有企业战略性重组"
    assert plan.tasks.get(position=0).assignments.filter(unit__name="市财政局").exists()
    page.screenshot(path=str(tmp_path / "imported.png"), full_page=True)


def test_a_reporter_finds_no_way_to_import(page, chengtou_reporter):
    sign_in(page, chengtou_reporter.username)

    assert page.locator("text=导入方案").count() == 0
    response = page.goto("/tasks/import/")
    assert response.status == 403
