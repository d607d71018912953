"""Importing a plan: preview, confirm in one transaction, unit decisions, the same document twice."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from orgs.choices import UnitKind
from orgs.models import Unit, UnitAlias, UnitGroup
from orgs.services import unit_create, unit_group_set_members
from tasks.choices import AssignmentRole
from tasks.models import Assignment, Milestone, Plan, Section, Task
from tasks.services import plan_import
from tasks.services.plan_import import ImportRefused, plan_import_confirm, plan_import_preview
from tests.factories import UnitFactory
from tests.tasks.importing.samples import CITY_PLAN

CITY_BYTES = CITY_PLAN.encode()


@pytest.fixture
def city_units(db):
    """The units CITY_PLAN names: 市国资委, 市财政局, and 各市属企业 with three members."""
    sasac = unit_create(name="XX市人民政府国有资产监督管理委员会", kind=UnitKind.SASAC, aliases=["市国资委"])
    finance = unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    companies = [UnitFactory(name=f"市属企业{n}") for n in range(3)]
    group = UnitGroup.objects.create(name="各市属企业")
    unit_group_set_members(group=group, units=companies)
    return sasac, finance, companies, group


def counts():
    return [model.objects.count() for model in (Plan, Section, Task, Milestone, Assignment, Unit, UnitGroup)]


def test_preview_reads_only_and_reports_unknown_units_with_their_line(db):
    before = counts()

    preview = plan_import_preview(data=CITY_BYTES, filename="方案.txt")

    assert counts() == before
    assert len(preview.parsed.tasks) == 4
    assert set(preview.unknown_names) == {"市国资委", "市财政局", "各市属企业"}
    assert (15, "任务1：“市国资委”不是已知的单位或单位组。") in preview.warnings


def test_confirm_creates_plan_sections_tasks_milestones_and_an_assignment_per_member(city_units, staff):
    sasac, finance, companies, group = city_units

    result = plan_import_confirm(preview=plan_import_preview(data=CITY_BYTES, filename="方案.txt"), user=staff)

    plan = result.plan
    assert (plan.title, plan.doc_number, plan.issuer) == (
        "XX市国企改革深化提升行动实施方案（2023—2025年）",
        "连国资发〔2023〕15号",
        "XX市国资委",
    )
    assert [(s.number, s.parent.number if s.parent else None) for s in plan.sections.order_by("position")] == [
        ("二", None),
        ("(一)", "二"),
        ("(二)", "二"),
    ]
    first = plan.tasks.get(position=0)
    assert (first.number, first.title, first.section.number, first.source_line) == ("1", "推进战略性重组", "(一)", 15)
    assert list(first.milestones.values_list("deliverables", flat=True)) == [["市属企业重组整合方案"], []]
    assert set(first.assignments.filter(role=AssignmentRole.LEAD).values_list("unit", flat=True)) == {sasac.pk}
    responsible = first.assignments.filter(role=AssignmentRole.RESPONSIBLE)
    assert set(responsible.values_list("unit", flat=True)) == {finance.pk, *(c.pk for c in companies)}
    assert set(responsible.filter(via_group=group).values_list("printed_name", flat=True)) == {"各市属企业"}
    assert (result.tasks, result.milestones, result.assignments) == (4, 3, 1 + 4 + 1 + 3 + 3 + 1)
    assert first.history.get().history_user == staff
    assert Assignment.history.filter(history_user=staff).count() == result.assignments


def test_the_source_is_kept_verbatim_with_its_checksum(city_units, staff):
    plan = plan_import_confirm(preview=plan_import_preview(data=CITY_BYTES, filename="方案.txt"), user=staff).plan

    assert plan.source_text == CITY_PLAN
    assert plan.source_sha256 == hashlib.sha256(CITY_BYTES).hexdigest()
    assert plan.source_name == "方案.txt"
    assert plan.source_file.name.endswith(f"{plan.source_sha256}.txt")
    with default_storage.open(plan.source_file.name) as stored:
        assert stored.read() == CITY_BYTES


def test_importing_the_same_document_again_changes_nothing(city_units, staff):
    first = plan_import_confirm(preview=plan_import_preview(data=CITY_BYTES, filename="方案.txt"), user=staff)
    before = counts()

    again = plan_import_confirm(preview=plan_import_preview(data=CITY_BYTES, filename="另存为.txt"), user=staff)

    assert (again.created, again.plan) == (False, first.plan)
    assert counts() == before


def test_unknown_units_must_be_decided_before_anything_is_written(db, staff):
    before = counts()

    with pytest.raises(ImportRefused) as refused:
        plan_import_confirm(preview=plan_import_preview(data=CITY_BYTES, filename="方案.txt"), user=staff)

    assert "市国资委" in refused.value.messages[0] and "各市属企业" in refused.value.messages[0]
    assert counts() == before


def test_a_name_mapped_to_a_unit_is_remembered_as_its_alias(city_units, staff):
    _sasac, finance, *_ = city_units
    text = CITY_PLAN.replace("市财政局", "市财政部门")
    preview = plan_import_preview(data=text.encode(), filename="方案.txt")

    plan_import_confirm(preview=preview, user=staff, unit_choices={"市财政部门": finance})

    assert UnitAlias.objects.get(name="市财政部门").unit == finance
    assert not plan_import_preview(data=text.encode(), filename="方案.txt").unknown_names


def test_a_name_left_out_gets_no_assignment(city_units, staff):
    text = CITY_PLAN.replace("市财政局", "市统计局")
    preview = plan_import_preview(data=text.encode(), filename="方案.txt")

    result = plan_import_confirm(preview=preview, user=staff, unit_choices={"市统计局": None})

    assert not Assignment.objects.filter(printed_name="市统计局").exists()
    assert result.assignments == 12


def test_create_units_makes_units_and_empty_groups_for_collective_names(db, staff):
    result = plan_import_confirm(
        preview=plan_import_preview(data=CITY_BYTES, filename="方案.txt"), user=staff, create_units=True
    )

    assert Unit.objects.get(name="市国资委").kind == UnitKind.OTHER
    assert not UnitGroup.objects.get(name="各市属企业").units.exists()
    assert any("各市属企业" in warning for warning in result.warnings)


def test_a_failure_midway_leaves_nothing_behind(db, staff, monkeypatch):
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_import, "create_assignments", broken)
    with pytest.raises(RuntimeError):
        plan_import_confirm(
            preview=plan_import_preview(data=CITY_BYTES, filename="方案.txt"), user=staff, create_units=True
        )

    assert counts() == before


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.txt", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.txt", "图片文件已损坏"),
        ("一份没有任务的通知。".encode(), "notice.txt", "未找到编号的任务"),
        (b"not a zip", "plan.docx", "不是 Word 文档"),
        (b"PK\x03\x04 broken", "plan.xlsx", "不是 Excel 工作簿"),
        (b"Rar!\x1a\x07\x00\xcf", "plan.exe", "RAR 压缩包"),
    ],
)
def test_bad_documents_are_refused_in_chinese_and_write_nothing(db, data, filename, message):
    before = counts()

    with pytest.raises(ImportRefused) as refused:
        plan_import_preview(data=data, filename=filename)

    assert message in refused.value.messages[0]
    assert counts() == before


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(db, settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    monkeypatch.setattr(plan_import, "parse_document", pytest.fail)

    with pytest.raises(ImportRefused) as refused:
        plan_import_preview(data=b"x" * (60 * 1024 * 1024), filename="huge.txt")

    message = refused.value.messages[0].replace("\xa0", " ")
    assert "60.0 MB" in message and "1.0 MB" in message


def test_two_imports_of_one_document_at_once_leave_one_plan(city_units, staff):
    first = plan_import_preview(data=CITY_BYTES, filename="方案.txt")
    second = plan_import_preview(data=CITY_BYTES, filename="方案.txt")
    plan_import_confirm(preview=first, user=staff)

    with pytest.raises(ImportRefused, match="刚刚已被他人导入"):
        plan_import_confirm(preview=second, user=staff)

    assert Plan.objects.count() == 1
