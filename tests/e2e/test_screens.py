"""Every page read on a phone (390 px) and on a wide screen (1440 px), measured in the browser: the
menu folds into one button on the phone and fits one line on the wide screen (in English too), lists
become one card per row, and no page scrolls sideways."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import ReportingRound
from tests.e2e.conftest import sign_in
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def plan(chengtou_company, gongre_company):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案（2021—2023年）")
    section = SectionFactory(plan=plan, title="完善中国特色现代企业制度，加快建立健全现代企业制度")
    for n in range(1, 6):
        task = TaskFactory(plan=plan, section=section, number=str(n), title=f"第{n}项：" + "厘清各治理主体权责边界" * 3)
        AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
        AssignmentFactory(task=task, unit=gongre_company, status=S.SUBMITTED)
    ReportingRound.objects.create(period=f"{timezone.localdate():%Y-%m}", deadline=timezone.localdate())
    return plan


def pages_of(plan) -> list[str]:
    task = plan.tasks.first()
    return [
        reverse("reports:dashboard"),
        reverse("tasks:plan_list"),
        reverse("tasks:plan_detail", args=[plan.pk]),
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("tasks:work_list"),
        reverse("tasks:review_queue"),
        reverse("tasks:round_list"),
        reverse("tasks:round_detail", args=[ReportingRound.objects.get().pk]),
        reverse("orgs:unit_list"),
        reverse("reminders:delivery_log"),
        reverse("reminders:notification_list"),
        reverse("reports:index"),
    ]


def opened(browser, live_server, user, width, locale="zh-CN"):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    sign_in(page, user.username)
    return context, page


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_on_a_phone_no_page_scrolls_sideways_and_lists_are_cards(browser, live_server, staff, plan):
    context, phone = opened(browser, live_server, staff, 390)
    for url in pages_of(plan):
        phone.goto(url)
        phone.wait_for_load_state("load")
        assert sideways(phone) <= 0, url
    phone.goto(reverse("tasks:task_list"))
    phone.wait_for_load_state("load")
    row = phone.locator("table.list tbody tr").first
    assert phone.locator("table.list thead").first.is_hidden()
    assert row.locator("td").first.get_attribute("data-label")  # each cell says its column
    cells = [box["x"] for box in (cell.bounding_box() for cell in row.locator("td").all()) if box and box["height"]]
    assert max(cells) - min(cells) < 2  # one under another, not side by side
    context.close()


def test_on_a_phone_the_menu_is_one_button_that_opens_it(browser, live_server, staff, plan):
    context, phone = opened(browser, live_server, staff, 390)
    phone.goto(reverse("tasks:plan_list"))

    assert phone.locator(".menu-button").is_visible() and phone.locator("nav.nav").is_hidden()
    phone.click(".menu-button")
    assert phone.locator("nav.nav").is_visible()
    phone.click("nav.nav >> text=任务")
    assert phone.url.endswith(reverse("tasks:task_list"))
    context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_on_a_wide_screen_the_menu_fits_one_line(browser, live_server, staff, plan, locale):
    context, screen = opened(browser, live_server, staff, 1440)
    if locale == "en":
        screen.select_option("#language", "en")
        with screen.expect_navigation():
            screen.click(".language button")
    screen.goto(reverse("tasks:plan_list"))

    assert screen.locator(".menu-button").is_hidden()
    tops = screen.evaluate(
        "[...document.querySelectorAll('nav.nav > a')].map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert max(tops) - min(tops) <= 4, (locale, tops)  # one line (a count's badge sits a pixel higher)
    assert sideways(screen) <= 0
    context.close()


CHECKBOXES = """() => [...document.querySelectorAll("main input[type=checkbox]")]
  .filter(box => box.offsetParent).map(box => {
    const label = box.closest("label") || document.querySelector(`label[for="${box.id}"]`);
    const b = box.getBoundingClientRect(), l = label.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(label);
    const words = [...range.getClientRects()].filter(r => r.width > 0 && r.left >= b.right - 1);
    const first = words.length ? words[0] : l;
    return {name: box.name, boxMiddle: (b.top + b.bottom) / 2, wordsTop: first.top, wordsBottom: first.bottom,
            gap: first.left - b.right};
})"""


@pytest.mark.parametrize("width", [390, 1440])
def test_a_checkbox_sits_beside_its_label(browser, live_server, staff, chengtou_reporter, plan, width):
    context, screen = opened(browser, live_server, staff, width)
    screen.goto(reverse("reminders:rules"))
    boxes = screen.evaluate(CHECKBOXES)
    screen.goto(reverse("reminders:channel_settings"))
    boxes += screen.evaluate(CHECKBOXES)
    context.close()
    context, unit = opened(browser, live_server, chengtou_reporter, width)
    unit.goto(reverse("tasks:task_detail", args=[plan.tasks.first().pk]))
    boxes += unit.evaluate(CHECKBOXES)
    context.close()

    assert {"workdays_only", "in_app", "email", "done"} <= {box["name"] for box in boxes}
    for box in boxes:
        # On the line of its label's first words, just before them.
        assert box["wordsTop"] - 2 <= box["boxMiddle"] <= box["wordsBottom"] + 2, (width, box)
        assert 0 <= box["gap"] <= 16, (width, box)
