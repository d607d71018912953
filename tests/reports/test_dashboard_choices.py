"""The dashboard's and the work list's choices at their edges: stopped units, far deadline years, a
wrong filter among right ones, days out of range, a reporter's past, milestones in scope and as they
stood, pages that never repeat or skip a row, and a change made in another process."""

import datetime
import subprocess
import sys

import pytest
from django.db.models import F
from django.urls import reverse

from orgs.choices import UnitKind
from tasks.choices import AssignmentRole
from tasks.models import Assignment, Milestone, MilestoneCompletion, Task
from tasks.services.assignments import assignment_transition
from tasks.services.task_units import assignment_remove
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, TaskFactory, UnitFactory
from tests.processes import ROOT, database_url, process_env
from tests.reports.dashboard_data import TODAY, days, hand_built_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    return hand_built_plan(chengtou_company, gongre_company, sasac_office)


def _board(client, **params):
    return client.get(reverse("reports:dashboard"), params).context["board"]


def _listed(client, **params) -> int:
    return client.get(reverse("tasks:work_list"), params).context["counted"]["work"]


def test_a_stopped_units_ranking_leads_to_its_work(client, staff, plan, gongre_company):
    gongre_company.is_active = False
    gongre_company.save()
    client.force_login(staff)

    board = _board(client, plan=plan.pk)
    ranked = next(group for group in board.enterprises if group.key == gongre_company.pk)

    assert _listed(client, plan=plan.pk, unit=gongre_company.pk) == ranked.total == 1  # the other is cancelled
    assert _listed(client, plan=plan.pk, unit=gongre_company.pk, measure="overdue") == ranked.overdue == 1
    assert "（已停用）" in client.get(reverse("reports:dashboard")).content.decode()


def test_a_deadline_years_away_has_its_year_to_choose_and_list(client, staff, plan, chengtou_company):
    far = TODAY.year + 9
    AssignmentFactory(task=TaskFactory(plan=plan, due=datetime.date(far, 12, 31), position=9), unit=chengtou_company)
    client.force_login(staff)

    board = _board(client, plan=plan.pk)
    bar = next(group for group in board.by_year if group.key == far)

    assert _listed(client, plan=plan.pk, year=far) == bar.total == 1
    assert _board(client, plan=plan.pk, year=far).figures.counts["all"] == 1


def test_an_extended_deadline_beyond_every_tasks_year_can_be_chosen(client, staff, plan, chengtou_company):
    later = TODAY.year + 12
    Assignment.objects.filter(task__number="1", unit=chengtou_company).update(due=datetime.date(later, 3, 1))
    client.force_login(staff)

    assert _listed(client, plan=plan.pk, year=later) == 1


def test_a_wrong_filter_is_shown_and_the_right_ones_still_apply(client, staff, plan):
    other = PlanFactory(title="另一方案")
    AssignmentFactory(task=TaskFactory(plan=other, due=TODAY))
    client.force_login(staff)

    page = client.get(reverse("reports:dashboard"), {"plan": plan.pk, "year": "二〇二一", "unit_kind": "enterprise"})
    listed = client.get(
        reverse("tasks:work_list"), {"plan": plan.pk, "year": "abc", "unit_kind": "enterprise", "measure": "overdue"}
    )

    assert "完成时限年度：" in page.content.decode() and page.context["form"].errors["year"]
    board = page.context["board"]
    assert board.scope.plan == plan and board.scope.year is None and board.scope.unit_kind == UnitKind.ENTERPRISE
    assert board.figures.counts["all"] == 4  # the plan's enterprise work, not everything
    assert (
        listed.context["form"].errors["year"] and listed.context["counted"]["work"] == board.figures.counts["overdue"]
    )


@pytest.mark.parametrize("day", ["0001-01-15", "1999-12-31"])
def test_a_day_before_the_platform_is_refused_clearly(client, staff, plan, day):
    client.force_login(staff)

    for name in ("reports:dashboard", "tasks:work_list"):
        page = client.get(reverse(name), {"plan": plan.pk, "as_of": day})
        assert page.status_code == 200 and "不能早于 2000-01-01" in page.content.decode()
        assert page.context["scope"].as_of is None


def test_a_reporter_sees_a_past_day_of_work_since_removed(client, staff, chengtou_reporter, chengtou_company):
    plan = PlanFactory(title="旧方案")
    work = AssignmentFactory(task=TaskFactory(plan=plan, due=days(30)), unit=chengtou_company)
    Assignment.history.update(history_date=F("history_date") - datetime.timedelta(days=5))
    assignment_remove(assignment_id=work.pk, user=staff)
    client.force_login(chengtou_reporter)

    then = client.get(reverse("reports:dashboard"), {"plan": plan.pk, "as_of": days(-2)})

    assert not then.context["form"].errors
    assert then.context["board"].figures.counts["all"] == 1
    assert _listed(client, plan=plan.pk, as_of=days(-2)) == 1
    assert _board(client, plan=plan.pk).figures.counts["all"] == 0


def test_a_milestones_units_done_are_those_in_scope_by_the_day(
    client, staff, plan, gongre_company, django_capture_on_commit_callbacks
):
    task = Task.objects.get(number="1")
    milestone = MilestoneFactory(task=task, due=TODAY, position=0)
    for assignment in Assignment.objects.filter(task=task):
        MilestoneCompletion.objects.create(assignment=assignment, milestone=milestone, done_by=staff)
    client.force_login(staff)

    def done(**params):
        return [(m["id"], m["done"]) for m in _board(client, plan=plan.pk, **params).milestones]

    assert done() == [(milestone.pk, 2)]
    assert done(unit=gongre_company.pk) == [(milestone.pk, 1)]
    # Cancelled work's marks count nowhere.
    cancelled = Assignment.objects.get(task=task, unit=gongre_company)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_transition(assignment_id=cancelled.pk, user=staff, action="cancel", comment="误派")
    assert done() == [(milestone.pk, 1)]


def test_a_past_days_milestones_are_as_they_stood_then(client, staff, plan, gongre_company):
    task = Task.objects.get(number="1")
    milestone = MilestoneFactory(task=task, due=days(-1), position=0)
    early = MilestoneCompletion.objects.create(
        assignment=task.assignments.exclude(unit=gongre_company).get(), milestone=milestone, done_by=staff
    )
    for model in (Assignment, Task, Milestone):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=3))
    MilestoneCompletion.objects.filter(pk=early.pk).update(done_at=F("done_at") - datetime.timedelta(days=3))
    # Since yesterday: moved to next year, and done by a second unit.
    milestone.due = days(400)
    milestone.save()
    MilestoneCompletion.objects.create(
        assignment=task.assignments.get(unit=gongre_company), milestone=milestone, done_by=staff
    )
    client.force_login(staff)

    then = _board(client, plan=plan.pk, as_of=days(-1)).milestones

    assert [(m["id"], m["due"], m["done"]) for m in then] == [(milestone.pk, days(-1), 1)]
    assert milestone.pk not in [m["id"] for m in _board(client, plan=plan.pk).milestones]


def test_pages_of_the_work_list_hold_every_row_once(client, staff):
    plan = PlanFactory()
    task = TaskFactory(plan=plan, due=TODAY)
    for n in range(30):  # each unit twice on the task: rows alike in every key but the id
        unit = UnitFactory(name=f"单位{n:02}")
        AssignmentFactory(task=task, unit=unit, role=AssignmentRole.LEAD)
        AssignmentFactory(task=task, unit=unit, role=AssignmentRole.RESPONSIBLE)
    client.force_login(staff)

    pages = [client.get(reverse("tasks:work_list"), {"plan": plan.pk, "page": n}).context["page"] for n in (1, 2)]

    ids = [row.pk for page in pages for row in page.object_list]
    assert len(ids) == len(set(ids)) == 60


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_accept_in_another_process_retires_this_ones_cached_dashboard(client, staff, plan, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "own"}}
    client.force_login(staff)
    before = _board(client, plan=plan.pk).figures.counts["accepted"]
    work = Assignment.objects.get(task__number="3", unit__name="立山区财政局")
    accept = (
        "from django.contrib.auth import get_user_model; "
        "from tasks.services.assignments import assignment_transition; "
        f"assignment_transition(assignment_id={work.pk}, user=get_user_model().objects.get(pk={staff.pk}), "
        "action='accept')"
    )

    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", accept],
        cwd=ROOT,
        env=process_env(DATABASE_URL=database_url(), REDIS_URL=None),
        check=True,
        timeout=60,
    )

    assert _board(client, plan=plan.pk).figures.counts["accepted"] == before + 1
