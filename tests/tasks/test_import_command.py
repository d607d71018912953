"""python manage.py import_plan: the JSON of a dry run, a real import, and refusals."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tasks.models import Assignment, Plan, Task
from tests.tasks.importing.samples import CITY_PLAN


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def city_file(tmp_path):
    path = tmp_path / "方案.txt"
    path.write_text(CITY_PLAN, encoding="gb18030")
    return path


def test_a_dry_run_prints_exactly_one_json_document_and_writes_nothing(db, city_file):
    out, _ = run(str(city_file), "--dry-run", "--json")

    document = json.loads(out)
    assert set(document) == {"plan", "tasks", "warnings"}
    assert document["plan"] == {
        "title": "XX市国企改革深化提升行动实施方案（2023—2025年）",
        "doc_number": "连国资发〔2023〕15号",
        "issuer": "XX市国资委",
        "issued_on": "2023-05-08",
        "kind": "reform",
        "period_start": "2023-01-01",
        "period_end": "2025-12-31",
    }
    first = document["tasks"][0]
    assert set(first) == {
        "section", "number", "title", "body", "lead_units", "responsible_units",
        "due", "due_inherited", "recurrence", "milestones",
    }  # fmt: skip
    assert first["milestones"][0] == {
        "due": "2023-12-31",
        "text": "2023年底前出台《市属企业重组整合方案》",
        "deliverables": ["市属企业重组整合方案"],
    }
    assert {"line": 15, "message": "任务1：“市国资委”不是已知的单位或单位组。"} in document["warnings"]
    assert not Plan.objects.exists()


def test_an_import_with_created_units_reports_what_it_made(db, city_file, staff):
    out, _ = run(str(city_file), "--create-units", "--user", staff.username)

    plan = Plan.objects.get()
    assert f"已导入方案 {plan.pk}：任务 4 项，节点 3 个" in out
    assert plan.created_by == staff
    assert Task.objects.count() == 4


def test_importing_twice_says_nothing_changed(db, city_file):
    run(str(city_file), "--create-units")
    before = Assignment.objects.count()

    out, _ = run(str(city_file), "--create-units")

    assert "未做任何改动" in out
    assert Assignment.objects.count() == before


def test_unknown_units_stop_a_real_import(db, city_file):
    with pytest.raises(CommandError, match="以下单位尚未登记"):
        run(str(city_file))
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [(b"", "empty.txt", "文件是空的"), (b"MZ\x90\x00\x03\x00\x00\x00", "tool.txt", "这个文件是程序")],
)
def test_a_bad_file_fails_with_its_reason(db, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(str(path), "--dry-run", "--json")


def test_a_missing_file_fails_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        run(str(tmp_path / "nowhere.txt"))
