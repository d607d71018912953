"""A revised version of an imported plan: the changes shown, then applied without losing work."""

import datetime

import pytest

from orgs.choices import UnitKind
from orgs.models import UnitGroup
from orgs.services import unit_create, unit_group_set_members
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.models import Assignment, Plan, ProgressReport, Task
from tasks.services.plan_import import plan_import_confirm, plan_import_preview
from tests.factories import ProgressReportFactory, UnitFactory
from tests.tasks.importing.samples import CITY_PLAN

# The revision rewords task 1, drops task (一)2, moves task (二)1's deadline, gives (二)2 a
# responsible unit, and adds a task (二)3.
REVISED = (
    CITY_PLAN.replace("1．推进战略性重组。", "1．深入推进战略性重组。")
    .replace(
        "2．清理低效资产。每年开展一次低效资产清理，较2022年减少亏损企业户数。（市国资委牵头，各市属企业按职责分工负责）\n",
        "",
    )
    .replace("2024年上半年实现董事会应建尽建", "2024年底前实现董事会应建尽建")
    .replace(
        "做好2023年工资总额清算。\n牵头单位：市国资委",
        "做好2023年工资总额清算。\n牵头单位：市国资委\n责任单位：市财政局",
    )
    .replace(
        "三、保障措施",
        "3．加强风险防控。2025年6月底前出台《风险防控办法》。\n牵头单位：市国资委\n三、保障措施",
    )
)


@pytest.fixture
def imported(db, staff):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    unit_group_set_members(group=UnitGroup.objects.create(name="各市属企业"), units=UnitFactory.create_batch(2))
    return plan_import_confirm(preview=plan_import_preview(data=CITY_PLAN.encode(), filename="v1.txt"), user=staff).plan


def preview_revision():
    return plan_import_preview(data=REVISED.encode(), filename="v2.txt")


def test_a_revision_is_recognised_by_its_document_number_and_its_changes_listed(imported):
    diff = preview_revision().revision

    assert diff.plan == imported
    assert [t.title for t in diff.added] == ["加强风险防控"]
    assert [t.title for t in diff.removed] == ["清理低效资产"]
    changes = {c.task.title: c.changes for c in diff.changed}
    assert changes["推进战略性重组"] == ["标题：“推进战略性重组”→“深入推进战略性重组”"]
    assert changes["加强董事会建设"] == ["正文有改动", "完成时限：2024-06-30 → 2024-12-31"]
    assert changes["健全考核机制"] == ["单位：新增 市财政局；移除 —"]


def test_applying_it_keeps_each_tasks_rows_work_and_history(imported, staff, chengtou_reporter):
    first = imported.tasks.get(title="推进战略性重组")
    assignment_ids = set(first.assignments.values_list("pk", flat=True))
    dropped = imported.tasks.get(title="清理低效资产")
    report = ProgressReportFactory(assignment=dropped.assignments.first(), author=chengtou_reporter)

    result = plan_import_confirm(preview=preview_revision(), user=staff)

    assert result.revised == {"added": 1, "withdrawn": 1, "changed": 3, "assignments": 2, "kept_with_work": 0}
    first.refresh_from_db()
    assert first.title == "深入推进战略性重组"
    assert set(first.assignments.values_list("pk", flat=True)) == assignment_ids
    assert first.history.earliest().title == "推进战略性重组"
    dropped.refresh_from_db()
    assert dropped.withdrawn_at is not None
    assert ProgressReport.objects.filter(pk=report.pk).exists()
    board = imported.tasks.get(title="加强董事会建设")
    assert board.due == datetime.date(2024, 12, 31)
    assert board.milestones.get().due == datetime.date(2024, 12, 31)
    assert imported.tasks.get(title="健全考核机制").assignments.filter(unit__name="市财政局").exists()
    added = imported.tasks.get(title="加强风险防控")
    assert added.assignments.get().role == AssignmentRole.LEAD
    assert added.milestones.get().deliverables == ["风险防控办法"]


def test_active_tasks_follow_the_revisions_order(imported, staff):
    plan_import_confirm(preview=preview_revision(), user=staff)

    active = Task.objects.filter(plan=imported, withdrawn_at__isnull=True).order_by("position")
    assert [(t.position, t.section.number, t.number) for t in active] == [
        (0, "(一)", "1"),
        (1, "(二)", "1"),
        (2, "(二)", "2"),
        (3, "(二)", "3"),
    ]


def test_the_plan_now_holds_the_revised_document(imported, staff):
    plan_import_confirm(preview=preview_revision(), user=staff)

    imported.refresh_from_db()
    assert imported.source_text == REVISED
    assert imported.source_name == "v2.txt"
    assert Plan.objects.count() == 1
    assert plan_import_preview(data=REVISED.encode(), filename="v2.txt").existing == imported


def test_a_unit_dropped_by_the_revision_keeps_its_assignment_if_work_was_done(db, staff, chengtou_reporter):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    finance = unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    unit_group_set_members(group=UnitGroup.objects.create(name="各市属企业"), units=[])
    plan_import_confirm(preview=plan_import_preview(data=REVISED.encode(), filename="v2.txt"), user=staff)
    kept = Assignment.objects.get(unit=finance, task__title="健全考核机制")
    Assignment.objects.filter(pk=kept.pk).update(status=AssignmentStatus.IN_PROGRESS)
    idle = Assignment.objects.get(unit=finance, task__title="深入推进战略性重组")

    back = REVISED.replace("责任单位：市财政局\n", "").replace("责任单位：市财政局、各市属企业", "责任单位：各市属企业")
    result = plan_import_confirm(preview=plan_import_preview(data=back.encode(), filename="v3.txt"), user=staff)

    assert result.revised["kept_with_work"] == 1
    assert Assignment.objects.filter(pk=kept.pk).exists()
    assert not Assignment.objects.filter(pk=idle.pk).exists()


def test_the_command_shows_the_revision_then_applies_it(imported, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "v2.txt"
    path.write_text(REVISED, encoding="utf-8")
    out = io.StringIO()

    call_command("import_plan", str(path), stdout=out)

    text = out.getvalue()
    assert "的修订版：新增任务 1 项，撤销 1 项，修改 3 项" in text
    assert "撤销：(一)2 清理低效资产" in text
    assert f"已按修订版更新方案 {imported.pk}：新增任务 1 项" in text


def test_the_import_page_shows_the_revision_before_confirmation(imported, client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(staff)
    answer = client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile("v2.txt", REVISED.encode())})

    page = client.get(answer.url).content.decode()
    assert "的修订版" in page and "新增：(二)3 加强风险防控" in page


def test_a_revision_adds_milestones_after_staffs_own_edits(imported, staff):
    from tasks.services import MilestoneDraft, task_edit

    task = imported.tasks.get(title="加强董事会建设")
    (only,) = task.milestones.all()
    task_edit(
        task_id=task.pk,
        user=staff,
        number=task.number,
        title=task.title,
        body=task.body,
        section_id=task.section_id,
        milestones=[
            MilestoneDraft(only.pk, only.due, only.text, tuple(only.deliverables)),
            MilestoneDraft(None, datetime.date(2024, 3, 31), "制定董事会建设方案"),
        ],
    )
    more = CITY_PLAN.replace(
        "2024年上半年实现董事会应建尽建。",
        "2024年上半年实现董事会应建尽建，2024年底前出台《董事会评价办法》，2025年底前完成首轮评价。",
    )

    plan_import_confirm(preview=plan_import_preview(data=more.encode(), filename="v2.txt"), user=staff)

    positions = list(task.milestones.order_by("position").values_list("position", flat=True))
    assert len(positions) == len(set(positions)) == 3


def test_a_milestone_marked_done_and_a_unit_staff_added_stay_when_a_revision_drops_them(
    imported, staff, chengtou_reporter
):
    from tasks.models import Milestone
    from tasks.services import milestone_mark_done

    task = imported.tasks.get(title="加强董事会建设")
    (only,) = task.milestones.all()
    unit = chengtou_reporter.unit
    assignment = Assignment.objects.create(task=task, unit=unit, role=AssignmentRole.RESPONSIBLE)
    milestone_mark_done(assignment_id=assignment.pk, milestone_id=only.pk, user=chengtou_reporter)
    without = CITY_PLAN.replace(
        "落实《国有企业公司章程指引》，2024年上半年实现董事会应建尽建。", "落实《国有企业公司章程指引》。"
    )

    plan_import_confirm(preview=plan_import_preview(data=without.encode(), filename="v2.txt"), user=staff)

    assert Milestone.objects.filter(pk=only.pk).exists()
    assert assignment.completions.count() == 1


def test_a_new_task_under_an_old_number_is_new_and_the_old_one_withdrawn(imported):
    replaced = CITY_PLAN.replace(
        "2．清理低效资产。每年开展一次低效资产清理，较2022年减少亏损企业户数。",
        "2．建设数字化监管平台。2025年底前建成国资监管大数据中心。",
    )

    diff = plan_import_preview(data=replaced.encode(), filename="v2.txt").revision

    assert [t.title for t in diff.added] == ["建设数字化监管平台"]
    assert [t.title for t in diff.removed] == ["清理低效资产"]


def test_a_renumbered_reworded_task_keeps_its_work(imported):
    moved = CITY_PLAN.replace("1．推进战略性重组。", "1．开展专项审计。").replace(
        "（二）完善公司治理", "3．推进企业战略性重组。2023年底前出台《市属企业重组整合方案》。\n（二）完善公司治理"
    )

    diff = plan_import_preview(data=moved.encode(), filename="v2.txt").revision

    changed = {c.task.title: c.parsed for c in diff.changed}
    assert (changed["推进战略性重组"].number, changed["推进战略性重组"].title) == ("3", "推进企业战略性重组")
    assert [t.title for t in diff.added] == ["开展专项审计"]
    assert diff.removed == []
