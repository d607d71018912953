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


MISSED = """二、重点任务
1.推进重组。2026年底前完成。（市国资委负责）
这一段是一项漏掉的任务。2027年6月底前出台《整合方案》。（市国资委负责）
2.清理资产
第一步摸清底数。
完善治理。2027年底前修订《章程》。
3.建设董事会。（市国资委负责）
"""


def test_staff_bring_a_plan_to_right_against_its_source_text(page, staff, tmp_path):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    document = tmp_path / "漏项方案.txt"
    document.write_text(MISSED, encoding="utf-8")
    sign_in(page, staff.username)
    page.goto("/tasks/import/")
    page.set_input_files("#id_file", str(document))
    page.click("text=上传并读取")
    assert page.locator("#line-3").get_attribute("class") is None  # the paragraph the parser left out

    page.fill("input[name=first]", "3")
    page.fill("input[name=last]", "3")
    page.click("button[value=make]")
    assert "已用所选的行建成任务" in page.locator(".messages").inner_text()
    assert page.locator("#line-3").get_attribute("class") == "in-task"

    page.fill("input[name=at-2]", "6")
    page.click("button[value='split:2:4']")
    page.click("button[value='drop:4:7']")
    page.fill("input[name=title-3]", "完善公司治理")
    page.click("text=确认导入")

    assert "已导入" in page.locator(".messages").inner_text()
    plan = Plan.objects.get()
    assert plan.title == "漏项方案"  # the document states none: the file's name, shown and kept
    assert list(plan.tasks.order_by("position").values_list("title", flat=True)) == [
        "推进重组",
        "这一段是一项漏掉的任务",
        "清理资产",
        "完善公司治理",
    ]
    page.screenshot(path=str(tmp_path / "mended.png"), full_page=True)
