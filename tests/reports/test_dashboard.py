"""The leaders' dashboard on a hand-built plan (tests/reports/dashboard_data.py): each figure, the
changes since last month, the past, filters, drill-downs that list exactly what a figure counts, the
cache, and query counts."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orgs.choices import UnitKind
from reports import dashboard
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, ProgressReport, Task
from tasks.services.assignments import assignment_transition
from tasks.work import Scope, measure_q, period_of, work_rows
from tests.factories import AssignmentFactory, PlanFactory, ProgressReportFactory, TaskFactory, UnitFactory
from tests.reports.dashboard_data import TODAY, days, hand_built_plan


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    return hand_built_plan(chengtou_company, gongre_company, sasac_office)


def test_each_headline_figure_counts_the_hand_built_work(plan, staff):
    figures = dashboard.figures_of(dashboard.task_cells(staff, Scope(plan=plan)))

    assert figures.tasks == 3
    assert figures.counts == {
        "all": 6,  # the cancelled one left out
        "accepted": 1,  # accepted late is accepted
        "in_progress": 3,  # returned work is in progress again
        "overdue": 2,  # 供热 one day late, 城投 ten; due today is not late, submitted work is not late
        "due_soon": 1,  # due today
        "report_missing": 3,  # all owing work but 城投's task 1, reported this month
    }
    assert figures.accepted_share == pytest.approx(1 / 6)


def test_areas_years_and_units_sum_the_same_work(plan, staff):
    board = dashboard.build(staff, Scope(plan=plan))

    areas = [(g.label, g.total, g.accepted, g.overdue) for g in board.by_section]
    assert areas == [("完善中国特色现代企业制度", 4, 1, 2), ("积极稳妥深化混合所有制改革", 2, 0, 0)]
    assert sum(g.total for g in board.by_year) == 6
    assert {g.label: g.kind for g in board.enterprises} == {
        "鞍山市立山区城市建设投资有限公司": UnitKind.ENTERPRISE,
        "鞍山市立山区供热有限公司": UnitKind.ENTERPRISE,
    }
    # Departments (the SASAC office among them) apart from enterprises, best completion first.
    assert [g.label for g in board.departments] == ["立山区国有资产监督管理局", "立山区财政局"]
    chengtou = next(g for g in board.enterprises if g.label.startswith("鞍山市立山区城市"))
    assert (chengtou.total, chengtou.overdue, chengtou.days_late) == (3, 1, 10)
    gongre = next(g for g in board.enterprises if g.label.startswith("鞍山市立山区供热"))
    assert (gongre.total, gongre.overdue, gongre.days_late) == (1, 1, 1)


def test_the_most_overdue_come_first_with_their_days_late(plan, staff):
    scope = Scope(plan=plan)
    late = dashboard.most_overdue(staff, scope, dashboard.task_cells(staff, scope))

    assert [(w["task__title"], w["days"]) for w in late] == [("规范董事会建设", 10), ("厘清权责边界", 1)]


def test_the_most_overdue_looked_up_among_few_tasks_are_those_of_all_the_work_sorted(plan, staff):
    # Deadlines shared by several tasks and units, own (extended) deadlines, more than are listed.
    for n in range(14):
        task = TaskFactory(plan=plan, number=f"{20 + n}", due=days(-3 - n % 4), position=20 + n)
        for m in range(n % 3 + 1):
            own = days(-30) if (n, m) == (5, 1) else None
            AssignmentFactory(task=task, unit=UnitFactory(name=f"单位{n}-{m}"), status=S.IN_PROGRESS, due=own)
    scope = Scope(plan=plan)

    found = dashboard.most_overdue(staff, scope, dashboard.task_cells(staff, scope))

    everything = (
        work_rows(staff, scope)
        .filter(measure_q("overdue", scope.day))
        .order_by("deadline", "task__plan", "task__position", "unit__name", "id")
        .values_list("id", flat=True)
    )
    assert [w["id"] for w in found] == list(everything[: dashboard.RANKED_OVERDUE])
    assert found[0]["days"] == 30


@pytest.mark.parametrize("as_of", [None, days(-1)])
def test_the_latest_activity_is_the_same_asked_work_by_work_or_newest_first(plan, staff, chengtou_company, as_of):
    base = timezone.now() - datetime.timedelta(days=2)
    for n, work in enumerate(Assignment.objects.filter(task__plan=plan).exclude(status=S.CANCELLED)):
        for month in range(3):  # the units' reports interleaved in time
            report = ProgressReportFactory(assignment=work, period=f"2025-{month + 1:02}")
            ProgressReport.objects.filter(pk=report.pk).update(
                created_at=base + datetime.timedelta(hours=10 * month + n)  # no two alike
            )
    quiet = AssignmentFactory(task=TaskFactory(plan=plan, position=9), unit=chengtou_company)
    ProgressReportFactory(assignment=quiet, period="2025-01")
    ProgressReport.objects.filter(assignment=quiet).update(created_at=base - datetime.timedelta(days=300))
    Assignment.history.update(history_date=F("history_date") - datetime.timedelta(days=3))
    scope = Scope(plan=plan, as_of=as_of)

    def key(items):
        return [(i["kind"], i["created_at"], i["assignment__unit__name"], i.get("period")) for i in items]

    narrow = dashboard.latest_activity(staff, scope, work_count=1)
    wide = dashboard.latest_activity(staff, scope, work_count=dashboard.NARROW_WORK + 1)

    assert len(narrow) == dashboard.LATEST_ACTIVITY
    assert sorted(key(narrow)) == sorted(key(wide))
    assert [i["created_at"] for i in narrow] == sorted((i["created_at"] for i in narrow), reverse=True)


def test_the_burn_up_counts_work_falling_due_and_accepted_month_by_month(plan, staff):
    months = dashboard.build(staff, Scope(plan=plan)).burn_up

    assert months[0].month == days(-20).replace(day=1)
    assert months[-1].month == days(40).replace(day=1) and months[-1].to_come
    assert months[-1].due == 6  # every deadline has come by the last month
    this_month = next(m for m in months if m.month == TODAY.replace(day=1))
    assert this_month.accepted == 1 and not this_month.to_come


def test_every_figure_links_to_a_list_of_exactly_what_it_counts(client, staff, plan):
    client.force_login(staff)
    page = client.get(reverse("reports:dashboard"), {"plan": plan.pk})

    links = []
    for card in page.context["cards"]:
        links.append((card.link, card.value, "tasks" if card.label == "任务" else "work"))
    board = page.context["board"]
    html = page.content.decode()
    from reports.dashboard_views import _bars, _unit_links

    for groups, narrow in ((board.by_section, "section"), (board.by_year, "year")):
        for bar in _bars(groups, page.context["scope"], narrow):
            assert bar.link.replace("&", "&amp;") in html
            links += [
                (bar.link, bar.total, "work"),
                (bar.done_link, bar.done, "work"),
                (bar.late_link, bar.late, "work"),
            ]
    for group in board.enterprises + board.departments:
        every, accepted, overdue = _unit_links(page.context["scope"], group)
        links += [(every, group.total, "work"), (accepted, group.accepted, "work"), (overdue, group.overdue, "work")]

    assert len(links) > 20
    for link, value, counted in links:
        listed = client.get(link)
        assert listed.status_code == 200, link
        assert listed.context["counted"][counted] == value, link
        assert len(listed.context["page"].object_list) == min(value, 50) or counted == "tasks", link


def test_the_burn_up_months_link_to_the_work_due_by_then(client, staff, plan):
    client.force_login(staff)
    page = client.get(reverse("reports:dashboard"), {"plan": plan.pk})

    hrefs = re.findall(r'<a href="([^"]*due_by=[^"]*)">', page.content.decode())
    months = page.context["board"].burn_up
    assert len(hrefs) == len(months)
    for href, month in zip(hrefs, months, strict=True):
        assert client.get(href.replace("&amp;", "&")).context["counted"]["work"] == month.due


def test_the_changes_are_since_the_end_of_last_month_from_history(client, staff, plan, chengtou_company):
    # Everything was brought in forty days ago; one accept today.
    for model in (Assignment, Task):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=40))
    work = Assignment.objects.get(task__number="3", unit__name="立山区财政局")
    assignment_transition(assignment_id=work.pk, user=staff, action="accept")
    client.force_login(staff)

    cards = {card.label: card for card in client.get(reverse("reports:dashboard"), {"plan": plan.pk}).context["cards"]}

    assert (cards["已验收销号"].value, cards["已验收销号"].change) == (2, 1)
    assert (cards["任务分工"].value, cards["任务分工"].change) == (6, 0)


def test_as_of_a_past_day_the_dashboard_shows_what_stood_then(client, staff, plan):
    for model in (Assignment, Task):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=3))
    work = Assignment.objects.get(task__number="3", unit__name="立山区财政局")
    assignment_transition(assignment_id=work.pk, user=staff, action="accept")
    client.force_login(staff)

    then = client.get(reverse("reports:dashboard"), {"plan": plan.pk, "as_of": days(-1)}).context["board"]
    now = client.get(reverse("reports:dashboard"), {"plan": plan.pk}).context["board"]

    assert (then.figures.counts["accepted"], now.figures.counts["accepted"]) == (1, 2)
    # Yesterday 供热's work was due that very day: not late yet. Today it is.
    assert then.figures.counts["overdue"] == 1 and now.figures.counts["overdue"] == 2
    listed = client.get(reverse("tasks:work_list"), {"plan": plan.pk, "as_of": days(-1), "measure": "accepted"})
    assert listed.context["counted"]["work"] == 1


def test_as_of_before_anything_was_recorded_counts_nothing_and_a_future_day_is_refused(client, staff, plan):
    client.force_login(staff)

    empty = client.get(reverse("reports:dashboard"), {"plan": plan.pk, "as_of": days(-400)})
    future = client.get(reverse("reports:dashboard"), {"plan": plan.pk, "as_of": days(1)})

    assert empty.context["board"].figures.counts["all"] == 0 and "暂无" in empty.content.decode()
    assert future.status_code == 200 and "不能晚于今天" in future.content.decode()
    assert future.context["board"].scope.as_of is None  # today's dashboard instead


@pytest.mark.parametrize(
    ("params", "work"),
    [
        ({"unit_kind": UnitKind.ENTERPRISE}, 4),
        ({"unit_kind": UnitKind.DEPARTMENT}, 1),
        ({"year": TODAY.year}, None),  # checked against the deadlines below
    ],
)
def test_filters_narrow_the_figures_and_their_lists_alike(client, staff, plan, params, work):
    client.force_login(staff)
    other = PlanFactory(title="立山区国有企业改革整改任务清单")
    AssignmentFactory(task=TaskFactory(plan=other, due=TODAY), status=S.IN_PROGRESS)

    board = client.get(reverse("reports:dashboard"), {"plan": plan.pk, **params}).context["board"]
    listed = client.get(reverse("tasks:work_list"), {"plan": plan.pk, **params}).context["counted"]["work"]

    expected = work
    if expected is None:
        deadlines = [days(0), days(-1), days(-10), days(-20), days(-5), days(40)]
        expected = sum(1 for d in deadlines if d.year == TODAY.year)
    assert board.figures.counts["all"] == listed == expected
    everything = client.get(reverse("reports:dashboard")).context["board"]
    assert everything.figures.counts["all"] == 7  # both plans


def test_a_reporters_home_is_their_own_units_dashboard(client, chengtou_reporter, plan, gongre_company):
    client.force_login(chengtou_reporter)

    home = client.get(reverse("home"), follow=True)

    board = home.context["board"]
    assert board.figures.counts["all"] == 3 and {g.label for g in board.enterprises} == {
        "鞍山市立山区城市建设投资有限公司"
    }
    assert "unit" not in home.context["form"].fields and "我的任务" in home.content.decode()
    # Another unit's id in the address changes nothing.
    other = client.get(reverse("reports:dashboard"), {"unit": gongre_company.pk}).context["board"]
    assert other.figures.counts["all"] == 3
    listed = client.get(reverse("tasks:work_list"), {"unit": gongre_company.pk})
    assert listed.context["counted"]["work"] == 3


def test_an_accept_drops_the_cached_dashboard(client, staff, plan, django_capture_on_commit_callbacks):
    client.force_login(staff)
    url = reverse("reports:dashboard")
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url, {"plan": plan.pk}).context["board"]
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url, {"plan": plan.pk}).context["board"]
    assert again.figures == first.figures and len(warm) < len(cold)

    work = Assignment.objects.get(task__number="3", unit__name="立山区财政局")
    with django_capture_on_commit_callbacks(execute=True):
        assignment_transition(assignment_id=work.pk, user=staff, action="accept")

    after = client.get(url, {"plan": plan.pk}).context["board"]
    assert after.figures.counts["accepted"] == first.figures.counts["accepted"] + 1


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_dashboard_and_the_work_list_cost_the_same_queries_for_little_and_much(client, staff, plan):
    client.force_login(staff)
    dashboard_url, list_url = reverse("reports:dashboard"), reverse("tasks:work_list")
    few = (_queries(client, dashboard_url, {"plan": plan.pk}), _queries(client, list_url, {"plan": plan.pk}))
    for n in range(12):
        unit = UnitFactory(name=f"立山区第{n}国有企业", kind=UnitKind.ENTERPRISE)
        task = TaskFactory(plan=plan, number=f"{10 + n}", title=f"任务{n}", due=days(-n), position=10 + n)
        AssignmentFactory(task=task, unit=unit, status=S.IN_PROGRESS)
        ProgressReportFactory(assignment=Assignment.objects.get(task=task), period=period_of(TODAY))
    cache.clear()  # cold again, last month's figures included

    many = (_queries(client, dashboard_url, {"plan": plan.pk}), _queries(client, list_url, {"plan": plan.pk}))

    assert many == few == (21, 12)  # the menu's count of what waits for staff among them


def _history_three_days_old_then_an_accept(staff) -> None:
    for model in (Assignment, Task):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=3))
    assignment_transition(
        assignment_id=Assignment.objects.get(task__number="3", unit__name="立山区财政局").pk,
        user=staff,
        action="accept",
    )


def test_a_past_day_counted_in_two_parts_equals_its_versions_counted_whole(plan, staff, chengtou_company):
    # Since then: an accept, a deadline moved, new work, work cancelled.
    _history_three_days_old_then_an_accept(staff)
    task = Task.objects.get(number="1")
    task.due = days(30)
    task.save()
    AssignmentFactory(task=task, unit=UnitFactory(name="立山区第九国有企业"), status=S.IN_PROGRESS)
    assignment_transition(
        assignment_id=Assignment.objects.get(task__number="2", unit=chengtou_company).pk,
        user=staff,
        action="cancel",
        comment="误派",
    )
    then = Scope(plan=plan, as_of=days(-1))

    split = dashboard.task_cells(staff, then, labelled=False)
    whole = (
        work_rows(staff, then)
        .values("task", "deadline")
        .annotate(**{m: Count("id", filter=measure_q(m, then.day)) for m in dashboard.HEADLINE})
    )

    def keyed(rows):
        return {(r["task"], r["deadline"]): {m: r[m] for m in dashboard.HEADLINE} for r in rows}

    assert keyed(split) == keyed(whole)
    assert dashboard.figures_of(split).counts["all"] == 6 and dashboard.figures_of(split).counts["accepted"] == 1


@pytest.mark.parametrize("as_of", [None, days(-1)])
def test_the_groupings_of_the_dashboards_counts_equal_each_counted_alone(plan, staff, chengtou_company, as_of):
    """``dashboard.counted`` (by task and by unit in one pass: GROUPING SETS on PostgreSQL, UNION ALL
    elsewhere; by month accepted apart) against the ORM's own grouped counts, and without the months."""
    _history_three_days_old_then_an_accept(staff)
    scope = Scope(plan=plan, as_of=as_of)
    rows = work_rows(staff, scope)
    measures = {m: Count("id", filter=measure_q(m, scope.day)) for m in dashboard.HEADLINE}

    found = dashboard.counted(staff, scope)

    for key, cells in (("task", found.tasks), ("unit", found.units)):
        alone = rows.values(key, "deadline").annotate(**measures).order_by()
        assert {(c[key], c["deadline"]): {m: c[m] for m in dashboard.HEADLINE} for c in cells} == {
            (r[key], r["deadline"]): {m: r[m] for m in dashboard.HEADLINE} for r in alone
        }
    accepted = [
        timezone.localtime(a.status_changed_at or a.created_at).date().replace(day=1)
        for a in rows.filter(status=S.ACCEPTED)
    ]
    assert found.accepted_by_month == {month: accepted.count(month) for month in set(accepted)}
    assert sum(found.accepted_by_month.values()) == (2 if as_of is None else 1)
    without_months = dashboard.counted(staff, scope, by_month=False)
    assert (without_months.tasks, without_months.units, without_months.accepted_by_month) == (
        found.tasks,
        found.units,
        {},
    )


@pytest.mark.redis
def test_with_redis_configured_the_cache_lives_there_and_an_accept_drops_it(
    client, staff, plan, settings, request, django_capture_on_commit_callbacks
):
    import redis

    from tests.services import redis_test_url

    prefix = f"test-dashboard-{request.node.name}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_test_url(),
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis.from_url(redis_test_url())
    client.force_login(staff)
    url = reverse("reports:dashboard")
    try:
        first = client.get(url, {"plan": plan.pk}).context["board"]
        assert server.keys(f"{prefix}:*dashboard:*")  # the figures went to Redis
        assert _queries(client, url, {"plan": plan.pk}) == 10  # and came back from it, the menu's count aside
        work = Assignment.objects.get(task__number="3", unit__name="立山区财政局")
        with django_capture_on_commit_callbacks(execute=True):
            assignment_transition(assignment_id=work.pk, user=staff, action="accept")
        after = client.get(url, {"plan": plan.pk}).context["board"]
        assert after.figures.counts["accepted"] == first.figures.counts["accepted"] + 1
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


@pytest.mark.parametrize(
    "params", [{"unit_kind": UnitKind.ENTERPRISE}, {"year": TODAY.year}, {"unit_kind": "", "year": ""}]
)
def test_filters_and_a_past_day_combine_and_their_lists_agree(client, staff, plan, params):
    for model in (Assignment, Task):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=3))
    assignment_transition(
        assignment_id=Assignment.objects.get(task__number="3", unit__name="立山区财政局").pk,
        user=staff,
        action="accept",
    )
    client.force_login(staff)
    query = {"plan": plan.pk, "as_of": days(-1), **params}

    board = client.get(reverse("reports:dashboard"), query).context["board"]

    assert board.scope.as_of == days(-1)
    for measure, value in board.figures.counts.items():
        listed = client.get(reverse("tasks:work_list"), {**query, "measure": measure}).context["counted"]["work"]
        assert listed == value, measure


def test_with_the_cache_server_down_the_dashboard_answers_and_an_accept_goes_through(
    client, staff, plan, settings, django_capture_on_commit_callbacks
):
    from tests.processes import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    client.force_login(staff)

    page = client.get(reverse("reports:dashboard"), {"plan": plan.pk})
    work = Assignment.objects.get(task__number="3", unit__name="立山区财政局")
    with django_capture_on_commit_callbacks(execute=True):
        assignment_transition(assignment_id=work.pk, user=staff, action="accept")
    again = client.get(reverse("reports:dashboard"), {"plan": plan.pk})

    assert page.status_code == again.status_code == 200
    assert again.context["board"].figures.counts["accepted"] == page.context["board"].figures.counts["accepted"] + 1
