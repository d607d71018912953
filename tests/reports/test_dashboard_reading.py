"""The dashboard as a leader reads it: a change's colour says whether it is good news, and areas of
two plans that share a name each name their plan."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reports.dashboard import dashboard
from reports.dashboard_views import Card, charts
from tasks.choices import AssignmentStatus as S
from tasks.work import Scope
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("good_when", "change", "trend"),
    [
        (1, 3, "good"),  # more accepted
        (1, -1, "bad"),
        (-1, 2, "bad"),  # more overdue, more missing reports
        (-1, -2, "good"),
        (0, 5, "same"),  # more tasks: neither
        (-1, 0, "same"),
    ],
)
def test_a_change_is_coloured_by_what_it_means(good_when, change, trend):
    assert Card("x", 10, change, "/", good_when=good_when).trend == trend


def test_more_overdue_work_shows_red_and_more_accepted_green(client, staff, chengtou_company):
    task = TaskFactory(due=TODAY - datetime.timedelta(days=3))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    AssignmentFactory(
        task=TaskFactory(due=TODAY + datetime.timedelta(days=90)), unit=chengtou_company, status=S.ACCEPTED
    )
    cache.clear()
    client.force_login(staff)

    page = client.get(reverse("reports:dashboard")).content.decode()

    cards = dict(re.findall(r'<b>\d+</b>([^<（\s]+)(?:（\d+%）)?\s*<span class="(good|bad|same)"', page))
    shown = (cards.get("已逾期"), cards.get("已验收销号"), cards.get("任务"))
    assert shown == ("bad", "good", "same"), list(cards.items())


def test_areas_of_two_plans_of_the_same_name_each_name_their_plan(staff, chengtou_company):
    for title in ("立山区国企改革三年行动实施方案", "铁东区国企改革三年行动实施方案"):
        plan = PlanFactory(title=title)
        section = SectionFactory(plan=plan, title="完善中国特色现代企业制度")
        AssignmentFactory(task=TaskFactory(plan=plan, section=section), unit=chengtou_company)
    lone = PlanFactory(title="专项整改方案")
    AssignmentFactory(
        task=TaskFactory(plan=lone, section=SectionFactory(plan=lone, title="整改落实")), unit=chengtou_company
    )

    every = dashboard(staff, Scope())
    one = dashboard(staff, Scope(plan=lone))

    assert [(g.label, g.plan) for g in every.by_section] == [
        ("完善中国特色现代企业制度", "立山区国企改革三年行动实施方案"),
        ("完善中国特色现代企业制度", "铁东区国企改革三年行动实施方案"),
        ("整改落实", ""),  # its name is its own: no plan named
    ]
    drawn = charts(every)["sections"]
    assert "立山区国企改革" in drawn and "铁东区国企改革" in drawn
    assert [g.plan for g in one.by_section] == [""]
