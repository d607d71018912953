"""The one access policy: who sees which rows, who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from orgs import policy
from tasks.choices import AssignmentRole
from tasks.models import Assignment, Evidence, Milestone, Plan, ProgressReport, Section, StatusChange, Task
from tests.factories import AssignmentFactory, MilestoneFactory, ProgressReportFactory, TaskFactory, UserFactory


@pytest.fixture
def two_units_work(chengtou_company, gongre_company, chengtou_reporter, gongre_reporter):
    """Two tasks of one plan: 城投 has the first (as lead and as responsible), 供热 the second."""
    first = TaskFactory(title="推进公司制改革")
    second = TaskFactory(title="完善董事会建设", plan=first.plan, section=first.section)
    mine = AssignmentFactory(task=first, unit=chengtou_company, role=AssignmentRole.LEAD)
    AssignmentFactory(task=first, unit=chengtou_company, role=AssignmentRole.RESPONSIBLE)
    theirs = AssignmentFactory(task=second, unit=gongre_company)
    MilestoneFactory(task=first)
    MilestoneFactory(task=second)
    ProgressReportFactory(assignment=mine, author=chengtou_reporter)
    ProgressReportFactory(assignment=theirs, author=gongre_reporter)
    return first, second, mine, theirs


def test_reporter_sees_only_their_units_assignments(chengtou_reporter, chengtou_company, two_units_work):
    *_, mine, theirs = two_units_work
    visible = Assignment.objects.visible_to(chengtou_reporter)

    assert set(visible.values_list("unit", flat=True)) == {chengtou_company.pk}
    assert not visible.filter(pk=theirs.pk).exists()
    assert visible.filter(pk=mine.pk).exists()


def test_reporter_sees_the_tasks_and_plan_of_their_assignments_once_each(chengtou_reporter, two_units_work):
    first, *_ = two_units_work

    # 城投 holds two assignments of the first task, yet sees it once.
    assert list(Task.objects.visible_to(chengtou_reporter)) == [first]
    assert list(Plan.objects.visible_to(chengtou_reporter)) == [first.plan]
    assert list(Section.objects.visible_to(chengtou_reporter)) == [first.section]
    assert list(Milestone.objects.visible_to(chengtou_reporter).values_list("task", flat=True)) == [first.pk]


def test_reporter_sees_only_their_units_reports_evidence_and_history(chengtou_reporter, two_units_work):
    *_, mine, theirs = two_units_work

    assert set(ProgressReport.objects.visible_to(chengtou_reporter).values_list("assignment", flat=True)) == {mine.pk}
    assert not Evidence.objects.visible_to(chengtou_reporter).filter(report__assignment=theirs).exists()
    assert not StatusChange.objects.visible_to(chengtou_reporter).filter(assignment=theirs).exists()


def test_reporter_cannot_fetch_another_units_assignment_by_id(gongre_reporter, two_units_work):
    *_, mine, _theirs = two_units_work

    with pytest.raises(Assignment.DoesNotExist):
        Assignment.objects.visible_to(gongre_reporter).get(pk=mine.pk)


@pytest.mark.parametrize("reader", ["staff", "leader", "auditor"])
def test_staff_leaders_and_auditors_see_everything(reader, request, two_units_work):
    user = request.getfixturevalue(reader)

    assert Assignment.objects.visible_to(user).count() == 3
    assert Task.objects.visible_to(user).count() == 2
    assert ProgressReport.objects.visible_to(user).count() == 2


def test_only_staff_manage(staff, leader, auditor, chengtou_reporter):
    assert policy.can_manage(staff)
    assert not any(policy.can_manage(user) for user in (leader, auditor, chengtou_reporter))


def test_leaders_and_auditors_are_read_only(staff, leader, auditor, chengtou_reporter):
    assert policy.is_read_only(leader) and policy.is_read_only(auditor)
    assert not policy.is_read_only(staff) and not policy.is_read_only(chengtou_reporter)


def test_a_reporter_acts_only_for_their_own_unit(chengtou_reporter, chengtou_company, gongre_company, staff, leader):
    assert policy.can_act_for_unit(chengtou_reporter, chengtou_company.pk)
    assert not policy.can_act_for_unit(chengtou_reporter, gongre_company.pk)
    assert not policy.can_act_for_unit(staff, chengtou_company.pk)
    assert not policy.can_act_for_unit(leader, chengtou_company.pk)


def test_superuser_counts_as_staff(db):
    admin = UserFactory(username="root", unit=None, is_superuser=True)

    assert policy.can_manage(admin)
    assert policy.sees_everything(admin)


def test_anonymous_inactive_and_unplaced_users_see_nothing(chengtou_reporter, two_units_work):
    chengtou_reporter.is_active = False
    unplaced = UserFactory(username="nobody", unit=None)

    for user in (AnonymousUser(), chengtou_reporter, unplaced):
        assert not Assignment.objects.visible_to(user).exists()
        assert not Plan.objects.visible_to(user).exists()
        assert not policy.can_manage(user)


def test_a_path_that_does_not_lead_to_a_unit_is_a_programming_error(staff, chengtou_reporter):
    with pytest.raises(ValueError, match="no field 'department'"):
        policy.restrict(Assignment.objects.all(), chengtou_reporter, "department")
