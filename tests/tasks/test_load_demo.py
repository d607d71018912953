"""load_demo builds the Lishan district's units and users once; a second run changes nothing."""

import io
import json
import re

from django.core import serializers
from django.core.management import call_command

from orgs.models import Unit, UnitAlias, UnitGroup, User
from orgs.selectors import group_member_units
from tasks.models import Assignment, Plan, Task
from tasks.selectors import resolve_unit_names
from tests.processes import ROOT

DEMO = json.loads((ROOT / "fixtures" / "demo_units.json").read_text(encoding="utf-8"))


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> str:
    rows = [*Unit.objects.all(), *UnitAlias.objects.all(), *UnitGroup.objects.all(), *User.objects.all()]
    rows += [*Plan.objects.all(), *Task.objects.all(), *Assignment.objects.all()]
    return serializers.serialize("json", rows)


def test_load_demo_creates_units_groups_and_one_user_per_role(db):
    output = load_demo()

    assert Unit.objects.count() == len(DEMO["units"])
    assert set(User.objects.values_list("role", flat=True)) == {"staff", "reporter", "leader", "auditor"}
    enterprises = UnitGroup.objects.get(name="各区属企业")
    assert 8 <= group_member_units(enterprises).count() <= 12
    assert group_member_units(UnitGroup.objects.get(name="各街道")).filter(kind="street").count() >= 6
    found = resolve_unit_names(["区市场局", "区市场监督管理局", "立山经济开发区"])
    assert found["区市场局"].unit == found["区市场监督管理局"].unit
    assert found["立山经济开发区"].unit.kind == "zone"
    assert "新建单位 34 个" in output


def test_load_demo_imports_the_three_plans_with_lishans_units_assigned(db):
    output = load_demo()

    assert Plan.objects.count() == 3
    lishan = Plan.objects.get(doc_number="鞍立政发〔2021〕2号")
    assert lishan.tasks.count() == 23
    enterprises = group_member_units(UnitGroup.objects.get(name="各区属企业")).count()
    # Task 1: 区国资局 leads, every district enterprise is responsible.
    assert lishan.tasks.get(number="1").assignments.count() == 1 + enterprises
    assert "已导入方案：鞍山市立山区国企改革三年行动实施方案(2020年—2022年)（任务 23 项）" in output


def test_every_unit_the_lishan_plan_names_is_known(db, shared_dir):
    load_demo()
    acceptance = json.loads(
        (shared_dir / "acceptance" / "lishan-soe-reform-2020-2022.json").read_text(encoding="utf-8")
    )
    printed = {name for task in acceptance["tasks"] for name in task["lead_units"] + task["responsible_units"]}

    unknown = {name for name, match in resolve_unit_names(printed).items() if not match.known}

    assert unknown == set()


def test_printed_passwords_let_each_user_sign_in(client, db):
    output = load_demo()
    credentials = re.findall(r"用户名 (\S+)，密码 (\S+)", output)

    assert len(credentials) == len(DEMO["users"])
    for username, password in credentials:
        assert client.login(username=username, password=password), username
    assert "密码只显示这一次" in output


def test_running_it_twice_changes_nothing(db):
    load_demo()
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert "新建单位 0 个，新建单位组 0 个" in output
    assert output.count("方案已存在") == 3
    assert "密码" in output and "已存在，密码未改变" in output
    assert "，密码 " not in output


def test_it_keeps_what_staff_changed_since(db):
    load_demo()
    group = UnitGroup.objects.get(name="各区属企业")
    dropped = group.units.first()
    group.units.remove(dropped)

    load_demo()

    assert not group.units.filter(pk=dropped.pk).exists()
