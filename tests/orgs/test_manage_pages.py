"""Staff manage units, groups and users in the platform's own pages: each change checked by the
services, written to the audit log, refused with a clear message when it cannot be made."""

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.choices import Role, UnitKind
from orgs.models import Unit, UnitAlias, UnitGroup, User
from orgs.services import temporary_password, user_reset_password
from reform.models import AuditEvent, AuditKind
from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory, UnitFactory, UserFactory


@pytest.fixture
def office(client, staff):
    client.force_login(staff)
    return client


def told(answer) -> str:
    return " ".join(str(m) for m in answer.context["messages"]) if answer.context else ""


def test_staff_create_a_unit_and_rename_it_keeping_the_old_name_as_an_alias(office, staff):
    office.post(reverse("orgs:unit_list"), {"name": "立山区市场监督管理局", "kind": UnitKind.DEPARTMENT})
    unit = Unit.objects.get(name="立山区市场监督管理局")

    answer = office.post(reverse("orgs:unit_rename", args=[unit.pk]), {"name": "立山区市场监管局"}, follow=True)

    unit.refresh_from_db()
    assert unit.name == "立山区市场监管局" and "已保存" in told(answer)
    assert list(UnitAlias.objects.filter(unit=unit).values_list("name", flat=True)) == ["立山区市场监督管理局"]
    events = AuditEvent.objects.filter(kind=AuditKind.UNIT_CHANGED, username=staff.username)
    assert [e.detail.get("renamed_to") or e.detail.get("created") for e in events.order_by("at", "pk")] == [
        "立山区市场监督管理局",
        "立山区市场监管局",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [("鞍山市立山区供热有限公司", "已是另一单位的名称"), ("", "该字段是必填项")],
)
def test_a_rename_that_would_confuse_units_is_refused(office, chengtou_company, gongre_company, name, message):
    answer = office.post(reverse("orgs:unit_rename", args=[chengtou_company.pk]), {"name": name}, follow=True)

    chengtou_company.refresh_from_db()
    assert chengtou_company.name == "鞍山市立山区城市建设投资有限公司" and message in told(answer)


def test_a_user_added_gets_a_temporary_password_shown_once_and_must_change_it(office, chengtou_company, staff):
    answer = office.post(
        reverse("orgs:user_add", args=[chengtou_company.pk]),
        {"username": "wangqiang", "full_name": "王强", "role": Role.REPORTER, "email": ""},
        follow=True,
    )
    message = told(answer)
    password = message.split("临时密码为 ")[1].split("，")[0]
    user = User.objects.get(username="wangqiang")

    assert user.unit == chengtou_company and user.must_change_password
    assert authenticate(username="wangqiang", password=password) == user
    assert password not in answer.content.decode().split("</main>")[-1]  # in the message only
    assert AuditEvent.objects.filter(kind=AuditKind.ACCOUNT_CHANGED, detail__account="wangqiang").exists()
    again = office.post(
        reverse("orgs:user_add", args=[chengtou_company.pk]),
        {"username": "wangqiang", "role": Role.REPORTER},
        follow=True,
    )
    assert "用户名“wangqiang”已被使用" in told(again)


def test_a_reset_password_must_be_changed_and_the_old_one_stops_working(chengtou_reporter, staff):
    chengtou_reporter.set_password("Old-password-2021")
    chengtou_reporter.save()

    new = user_reset_password(user=chengtou_reporter, actor=staff)

    assert authenticate(username=chengtou_reporter.username, password="Old-password-2021") is None
    assert authenticate(username=chengtou_reporter.username, password=new) is not None
    assert User.objects.get(pk=chengtou_reporter.pk).must_change_password
    assert AuditEvent.objects.filter(kind=AuditKind.PASSWORD_SET, detail__account=chengtou_reporter.username).exists()


def test_temporary_passwords_pass_the_password_rules_and_differ():
    drawn = {temporary_password() for _ in range(50)}
    assert len(drawn) == 50 and all(len(p) >= 12 for p in drawn)


def test_stopping_a_unit_lists_its_open_work_first_and_asks_to_confirm(office, chengtou_company, chengtou_reporter):
    AssignmentFactory(unit=chengtou_company, status=S.IN_PROGRESS, task__title="厘清权责边界")
    AssignmentFactory(unit=chengtou_company, status=S.ACCEPTED, task__title="已办结的任务")
    page = office.get(reverse("orgs:unit_detail", args=[chengtou_company.pk])).content.decode()

    unconfirmed = office.post(reverse("orgs:unit_active", args=[chengtou_company.pk]), {"active": "0"}, follow=True)
    assert Unit.objects.get(pk=chengtou_company.pk).is_active and "请勾选确认" in told(unconfirmed)
    stopped = office.post(
        reverse("orgs:unit_active", args=[chengtou_company.pk]), {"active": "0", "confirm": "1"}, follow=True
    )

    assert page.index("厘清权责边界") < page.index("停用单位") and "已办结的任务" not in page
    assert not Unit.objects.get(pk=chengtou_company.pk).is_active
    assert not User.objects.get(pk=chengtou_reporter.pk).is_active and "1 个账号已同时停用" in told(stopped)
    assert "已停用，请先恢复该单位" in told(
        office.post(reverse("orgs:user_active", args=[chengtou_reporter.pk]), {"active": "1"}, follow=True)
    )


def test_staff_cannot_lock_themselves_out(office, staff, sasac_office):
    me = office.post(reverse("orgs:user_active", args=[staff.pk]), {"active": "0"}, follow=True)
    mine = office.post(
        reverse("orgs:unit_active", args=[sasac_office.pk]), {"active": "0", "confirm": "1"}, follow=True
    )

    assert "不能停用本人的账号" in told(me) and "不能停用本人所在的单位" in told(mine)
    assert User.objects.get(pk=staff.pk).is_active and Unit.objects.get(pk=sasac_office.pk).is_active


def test_a_groups_members_are_set_and_a_loop_refused(office, chengtou_company, gongre_company):
    office.post(reverse("orgs:group_list"), {"name": "各区属企业", "description": ""})
    outer = UnitGroup.objects.get(name="各区属企业")
    inner = UnitGroup.objects.create(name="区属供热企业")
    inner.subgroups.add(outer)

    office.post(reverse("orgs:group_detail", args=[outer.pk]), {"units": [chengtou_company.pk, gongre_company.pk]})
    looped = office.post(reverse("orgs:group_detail", args=[outer.pk]), {"subgroups": [inner.pk]})

    assert set(outer.units.all()) == {chengtou_company, gongre_company}
    assert "不能包含" in told(looped) and not outer.subgroups.exists()
    assert AuditEvent.objects.filter(kind=AuditKind.GROUP_CHANGED).count() == 2  # created, members set


@pytest.mark.parametrize("who", ["leader", "auditor", "chengtou_reporter"])
def test_only_staff_manage_units_and_users(client, request, who, chengtou_company):
    client.force_login(request.getfixturevalue(who))

    for url in (reverse("orgs:unit_list"), reverse("orgs:unit_detail", args=[chengtou_company.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("orgs:unit_rename", args=[chengtou_company.pk]), {"name": "x"}).status_code == 403
    assert Unit.objects.get(pk=chengtou_company.pk).name == "鞍山市立山区城市建设投资有限公司"


def test_the_unit_list_searches_names_and_aliases_and_costs_the_same_queries_for_many(office):
    UnitAlias.objects.create(unit=UnitFactory(name="鞍山市立山区水务集团有限公司"), name="区水务集团")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = office.get(reverse("orgs:unit_list"), {"q": "水务"}).content.decode()
        return len(captured), page

    few, page = queries()
    for n in range(30):
        unit = UnitFactory(name=f"立山区水务{n}公司")
        UserFactory(unit=unit)
        AssignmentFactory(unit=unit)
    many, _ = queries()

    assert "鞍山市立山区水务集团有限公司" in page and "供热" not in page
    by_alias = office.get(reverse("orgs:unit_list"), {"q": "区水务集团"}).content.decode()
    assert "鞍山市立山区水务集团有限公司" in by_alias and "立山区水务0公司" not in by_alias
    assert few == many


def test_the_unit_and_group_pages_cost_the_same_queries_for_many_rows(office, chengtou_company, gongre_company):
    group = UnitGroup.objects.create(name="各区属企业")

    def counts():
        found = []
        for url in (
            reverse("orgs:unit_detail", args=[chengtou_company.pk]),
            reverse("orgs:group_list"),
            reverse("orgs:group_detail", args=[group.pk]),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert office.get(url).status_code == 200
            found.append(len(captured))
        return found

    few = counts()
    for n in range(20):
        UserFactory(unit=chengtou_company, username=f"user{n}")
        AssignmentFactory(unit=chengtou_company, status=S.IN_PROGRESS)
        UnitAlias.objects.create(unit=chengtou_company, name=f"城投{n}")
        other = UnitGroup.objects.create(name=f"分组{n}")
        other.units.add(gongre_company)
        group.units.add(UnitFactory(name=f"单位{n}"))

    assert counts() == few
