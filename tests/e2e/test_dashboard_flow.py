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


MEASURE_CHARTS = """() => {
    const body = parseFloat(getComputedStyle(document.body).fontSize);
    const charts = [...document.querySelectorAll("svg.chart")].map(svg => {
        const boxes = [...svg.querySelectorAll("text")].filter(t => t.textContent.trim()).map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                    size: parseFloat(getComputedStyle(t).fontSize) * (svg.getScreenCTM().a || 1)};
        });
        return {width: svg.getBoundingClientRect().width, boxes};
    });
    return {body, charts, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


def overlapping(boxes) -> list[tuple[str, str]]:
    found = []
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            if (
                a["left"] < b["right"] - 1
                and b["left"] < a["right"] - 1
                and a["top"] < b["bottom"] - 1
                and b["top"] < a["bottom"] - 1
            ):
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("width", [390, 1440])
def test_chart_text_is_as_large_as_the_body_and_never_overlaps(browser, live_server, leader, plan, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="zh-CN")
    screen = context.new_page()
    sign_in(screen, leader.username)
    screen.wait_for_selector("svg.chart")
    screen.wait_for_load_state("load")

    measured = screen.evaluate(MEASURE_CHARTS)

    assert measured["overflow"] <= 0
    assert len(measured["charts"]) == 3
    for chart in measured["charts"]:
        assert chart["width"] <= width
        for box in chart["boxes"]:
            assert box["size"] >= measured["body"] - 0.5, (width, box["text"], box["size"])
        assert not overlapping(chart["boxes"]), (width, overlapping(chart["boxes"]))
    context.close()
