"""What the filters offer, as a reader expects: 全部 for no choice (never "---------"), the chosen
plan's sections, the deadline years on record; and the small things a reader notices on every page:
a favicon, the evidence clip drawn rather than a character the fonts lack."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.templatetags.days import day
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory

TODAY = timezone.localdate()
FILTER_PAGES = [
    ("tasks:task_list", {}),
    ("tasks:work_list", {}),
    ("reports:dashboard", {}),
    ("reminders:delivery_log", {}),
    ("orgs:unit_list", {}),
]


@pytest.fixture
def plans(chengtou_company):
    first, second = PlanFactory(title="甲方案"), PlanFactory(title="乙方案")
    for plan, names, year in ((first, ("甲一", "甲二"), 2024), (second, ("乙一",), 2031)):
        for position, name in enumerate(names):
            section = SectionFactory(plan=plan, title=name, position=position)
            task = TaskFactory(plan=plan, section=section, due=datetime.date(year, 6, 30))
            AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    return first, second


@pytest.mark.parametrize(("name", "params"), FILTER_PAGES)
def test_no_filter_offers_dashes_for_no_choice(client, staff, plans, name, params):
    client.force_login(staff)
    page = client.get(reverse(name), params).content.decode()
    assert "---------" not in page and "全部" in page


def test_no_form_offers_dashes_for_no_choice(client, staff, plans):
    """The forms that ask for a choice (a report's plan, a unit to add, a task's section) say so."""
    client.force_login(staff)
    task = plans[0].tasks.first()
    for url in (reverse("reports:index"), reverse("tasks:task_edit", args=[task.pk])):
        page = client.get(url).content.decode()
        assert "---------" not in page, url


def options_of(page: str, select: str) -> list[str]:
    found = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', page, re.S)
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", found.group(1))]


def test_the_section_filter_offers_the_chosen_plans_sections(client, staff, plans):
    first, _second = plans
    client.force_login(staff)

    for name in ("tasks:task_list", "tasks:work_list"):
        every = options_of(client.get(reverse(name)).content.decode(), "section")
        chosen = options_of(client.get(reverse(name), {"plan": first.pk}).content.decode(), "section")
        nonsense = options_of(client.get(reverse(name), {"plan": "甲"}).content.decode(), "section")
        assert chosen == [chosen[0], "(一)甲一", "(一)甲二"], name
        assert "(一)乙一" in every and every == nonsense, name


def test_a_section_of_another_plan_is_refused_with_the_plan_chosen(client, staff, plans):
    first, second = plans
    client.force_login(staff)
    other_section = second.sections.get()
    page = client.get(reverse("tasks:task_list"), {"plan": first.pk, "section": other_section.pk}).content.decode()
    assert "选择一个有效的选项" in page


def test_the_deadline_years_are_those_on_record(client, staff, plans):
    client.force_login(staff)
    years = options_of(client.get(reverse("reports:dashboard")).content.decode(), "year")
    assert years[1:] == ["2024", "2031"]  # after 全部年份: no years between or after with nothing due


def test_with_nothing_due_this_year_is_the_one_to_choose(client, staff):
    client.force_login(staff)
    years = options_of(client.get(reverse("reports:dashboard")).content.decode(), "year")
    assert years[1:] == [str(TODAY.year)]


def test_the_site_has_an_icon(client, staff):
    client.force_login(staff)
    page = client.get(reverse("tasks:plan_list")).content.decode()
    answer = client.get("/favicon.ico")

    assert 'rel="icon"' in page and "favicon" in page
    assert answer.status_code == 301 and answer["Location"].endswith(".svg")


def test_the_stylesheet_draws_what_it_shows_with_no_character_outside_the_served_fonts():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    shown = "".join(re.findall(r'content:\s*"([^"]*)"', css))
    assert all(ord(char) < 0x2000 or 0x3000 <= ord(char) <= 0x9FFF for char in shown), shown
    assert (Path(settings.BASE_DIR) / "static/img/paperclip.svg").is_file()


def test_a_day_in_a_table_is_kept_on_one_line(client, staff, plans):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 23, 30), datetime.UTC)
    assert day(datetime.date(2021, 12, 31)) == '<time class="day" datetime="2021-12-31">2021-12-31</time>'
    assert ">2026-12-04 07:30<" in day(moment, "Y-m-d H:i")  # in the platform's time zone
    assert day(None) == ""
    client.force_login(staff)
    page = client.get(reverse("tasks:task_list")).content.decode()
    assert '<time class="day" datetime="2024-06-30">2024-06-30</time>' in page
    assert "time.day { white-space: nowrap; }" in (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
