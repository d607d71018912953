"""A leader reads the dashboard in a real browser, follows a figure and a chart bar to the work they
count, and reads it on a phone."""

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.reports.dashboard_data import hand_built_plan

pytestmark = pytest.mark.e2e


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    return hand_built_plan(chengtou_company, gongre_company, sasac_office)


def listed(page) -> int:
    """The number of units' assignments the work list says it shows."""
    return int(re.search(r"共 (\d+) 项任务分工", page.locator("p.muted").first.inner_text()).group(1))


def test_a_leader_follows_figures_and_bars_to_the_work_they_count(page, leader, plan):
    sign_in(page, leader.username)  # home: the dashboard
    page.wait_for_selector(".cards a")

    assert page.locator("h1").inner_text() == "改革推进总体情况"
    overdue = page.locator(".cards a", has_text="已逾期")
    count = int(overdue.locator("b").inner_text())
    assert count == 2
    overdue.click()
    assert page.url.endswith("measure=overdue") and listed(page) == count
    assert page.locator("table.list tbody tr").count() == count

    page.go_back()
    # The red part of the first reform area's bar: its overdue work.
    page.locator("svg.chart").first.locator("a").nth(2).click()
    assert "section=" in page.url and "measure=overdue" in page.url
    assert listed(page) == 2


def test_the_dashboard_fits_a_phone(browser, live_server, leader, plan):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = context.new_page()
    sign_in(phone, leader.username)
    phone.wait_for_selector("svg.chart")
    phone.wait_for_load_state("load")

    assert phone.locator(".cards a").count() == 7
    # Nothing wider than the screen but the tables, which scroll inside their own box.
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    chart = phone.locator("svg.chart").first.bounding_box()
    assert chart["width"] <= 390
    context.close()
