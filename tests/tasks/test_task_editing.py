"""Staff correct a task after the import: its text, its milestones and the units assigned to it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs.choices import UnitKind
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, Milestone, Task
from tasks.services import (
    MilestoneDraft,
    StaleObjectError,
    assignment_add,
    assignment_remove,
    assignment_transition,
    milestone_mark_done,
    progress_report_submit,
    task_edit,
)
from tests.factories import AssignmentFactory, MilestoneFactory, SectionFactory, TaskFactory, UnitFactory


@pytest.fixture
def task(chengtou_company):
    task = TaskFactory(number="3", title="厘清权责边界", body="原文")
    MilestoneFactory(task=task, position=1, due=datetime.date(2021, 6, 30), text="出台清单", deliverables=["清单"])
    MilestoneFactory(task=task, position=2, due=datetime.date(2021, 12, 31), text="全面实施", deliverables=[])
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD)
    return task


def drafts_of(task) -> list[MilestoneDraft]:
    return [MilestoneDraft(m.pk, m.due, m.text, tuple(m.deliverables)) for m in task.milestones.order_by("position")]


def edit(task, user, **changes):
    fields = {
        "number": task.number,
        "title": task.title,
        "body": task.body,
        "section_id": task.section_id,
        "milestones": drafts_of(task),
        "expected_updated_at": task.updated_at,
    }
    return task_edit(task_id=task.pk, user=user, **{**fields, **changes})


def test_staff_correct_number_title_text_and_section_with_a_reason(task, staff):
    other = SectionFactory(plan=task.plan, number="(三)", title="健全市场化经营机制")

    edit(
        task,
        staff,
        number="4",
        title="  进一步 厘清\n权责边界 ",
        body="改正后的原文",
        section_id=other.pk,
        reason="导入有误",
    )

    task.refresh_from_db()
    assert (task.number, task.title, task.body, task.section) == ("4", "进一步 厘清 权责边界", "改正后的原文", other)
    latest = task.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, "导入有误")


def test_milestones_are_edited_added_removed_and_reordered(task, staff):
    first, second = task.milestones.order_by("position")
    second_versions = second.history.count()

    edit(
        task,
        staff,
        milestones=[
            MilestoneDraft(second.pk, second.due, second.text, tuple(second.deliverables)),
            MilestoneDraft(None, datetime.date(2022, 6, 30), "开展评估", ("评估报告",)),
        ],
    )

    kept = list(task.milestones.order_by("position").values_list("position", "text", "deliverables"))
    assert kept == [(0, "全面实施", []), (1, "开展评估", ["评估报告"])]
    assert not Milestone.objects.filter(pk=first.pk).exists()
    assert first.history.latest().history_type == "-"
    assert first.history.latest().history_user == staff
    # Moved up, otherwise unchanged: no history entry of its own.
    assert second.history.count() == second_versions


def test_a_milestone_a_unit_has_done_is_not_removed_and_nothing_changes(task, staff, chengtou_reporter):
    first = task.milestones.get(position=1)
    milestone_mark_done(assignment_id=task.assignments.get().pk, milestone_id=first.pk, user=chengtou_reporter)

    with pytest.raises(ValidationError, match="已有单位将节点“出台清单”标记为完成"):
        edit(task, staff, title="新标题", milestones=drafts_of(task)[1:])

    assert Milestone.objects.filter(pk=first.pk).exists()
    assert Task.objects.get(pk=task.pk).title == "厘清权责边界"


def test_a_stale_edit_is_refused_and_changes_nothing(task, staff):
    opened = task.updated_at
    edit(task, staff, title="甲的修改")

    with pytest.raises(StaleObjectError):
        edit(task, staff, title="乙的修改", expected_updated_at=opened)

    assert Task.objects.get(pk=task.pk).title == "甲的修改"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "序号和标题"),
        ({"number": ""}, "序号和标题"),
        ({"section_id": "other plan"}, "不属于此方案"),
        ({"milestones": [MilestoneDraft(None, datetime.date(2020, 1, 1), "提前的节点")]}, "印发"),
        ({"milestones": [MilestoneDraft(None, None, "  ")]}, "工作要求"),
        ({"milestones": "other task"}, "其他任务"),
    ],
)
def test_bad_edits_are_refused_with_a_message(task, staff, changes, message):
    if changes.get("section_id") == "other plan":
        changes["section_id"] = SectionFactory().pk
    if changes.get("milestones") == "other task":
        stranger = MilestoneFactory()
        changes["milestones"] = [MilestoneDraft(stranger.pk, None, "改别人的")]

    with pytest.raises(ValidationError, match=message):
        edit(task, staff, **changes)

    assert task.milestones.count() == 2
    assert Task.objects.get(pk=task.pk).title == "厘清权责边界"


def test_only_staff_edit_tasks_and_their_units(task, chengtou_reporter, leader, auditor, gongre_company):
    for user in (chengtou_reporter, leader, auditor):
        with pytest.raises(PermissionDenied):
            edit(task, user, title="改")
        with pytest.raises(PermissionDenied):
            assignment_add(task_id=task.pk, user=user, unit_id=gongre_company.pk, role=AssignmentRole.RESPONSIBLE)
        with pytest.raises(PermissionDenied):
            assignment_remove(assignment_id=task.assignments.get().pk, user=user)


def test_staff_assign_a_unit_once_per_role(task, staff, gongre_company):
    added = assignment_add(task_id=task.pk, user=staff, unit_id=gongre_company.pk, role=AssignmentRole.RESPONSIBLE)

    assert (added.status, added.history.latest().history_user) == (S.NOT_STARTED, staff)
    with pytest.raises(ValidationError, match="已是该任务的责任单位"):
        assignment_add(task_id=task.pk, user=staff, unit_id=gongre_company.pk, role=AssignmentRole.RESPONSIBLE)
    assert task.assignments.count() == 2


def test_an_inactive_unit_or_unknown_role_is_refused(task, staff):
    closed = UnitFactory(name="已注销的公司", kind=UnitKind.ENTERPRISE, is_active=False)
    with pytest.raises(ValidationError, match="在用"):
        assignment_add(task_id=task.pk, user=staff, unit_id=closed.pk, role=AssignmentRole.LEAD)
    with pytest.raises(ValidationError, match="角色"):
        assignment_add(task_id=task.pk, user=staff, unit_id=UnitFactory().pk, role="owner")
    assert task.assignments.count() == 1


def test_an_assignment_made_by_mistake_is_removed_with_a_history_entry(task, staff, gongre_company):
    mistaken = assignment_add(task_id=task.pk, user=staff, unit_id=gongre_company.pk, role=AssignmentRole.RESPONSIBLE)

    assignment_remove(assignment_id=mistaken.pk, user=staff)

    assert not Assignment.objects.filter(pk=mistaken.pk).exists()
    gone = Assignment.history.filter(id=mistaken.pk).latest()
    assert (gone.history_type, gone.history_user) == ("-", staff)


def test_an_assignment_with_a_record_is_not_removed_but_can_be_cancelled(task, staff, chengtou_reporter):
    worked = task.assignments.get()
    progress_report_submit(assignment_id=worked.pk, user=chengtou_reporter, period="2021-03", percent=10, text="启动")

    with pytest.raises(ValidationError, match="请改为撤销"):
        assignment_remove(assignment_id=worked.pk, user=staff)
    assignment_transition(assignment_id=worked.pk, user=staff, action="cancel", comment="职能划转至其他单位")

    worked.refresh_from_db()
    assert worked.status == S.CANCELLED
    assert worked.reports.count() == 1
