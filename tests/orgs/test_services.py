"""Units, aliases, groups and users: created through services that refuse bad input."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from orgs.choices import Role, UnitKind
from orgs.models import Unit, UnitGroup, User
from orgs.selectors import group_member_units
from orgs.services import unit_add_alias, unit_create, unit_group_set_members, user_create
from tests.factories import UnitFactory, UnitGroupFactory


@pytest.fixture
def market_bureau(db):
    return unit_create(name="立山区市场监督管理局", kind=UnitKind.DEPARTMENT, aliases=["区市场局", "区市场监督管理局"])


def test_an_alias_cannot_name_another_unit(market_bureau):
    commerce = unit_create(name="区商务局", kind=UnitKind.DEPARTMENT)

    with pytest.raises(ValidationError, match="区市场局"):
        unit_add_alias(unit=commerce, name="区市场局")
    with pytest.raises(ValidationError, match="已是另一单位的名称"):
        unit_add_alias(unit=market_bureau, name="区商务局")
    assert list(commerce.aliases.all()) == []


def test_adding_an_alias_twice_keeps_one(market_bureau):
    unit_add_alias(unit=market_bureau, name="区市场局")

    assert market_bureau.aliases.filter(name="区市场局").count() == 1


def test_a_unit_of_unknown_kind_is_refused(db):
    with pytest.raises(ValidationError, match="未知的单位类型"):
        unit_create(name="某单位", kind="ministry")
    assert not Unit.objects.exists()


def test_the_database_refuses_a_unit_that_is_its_own_parent(db):
    unit = UnitFactory()

    with pytest.raises(IntegrityError):
        Unit.objects.filter(pk=unit.pk).update(parent=unit)


def test_a_group_stands_for_its_members_and_those_of_included_groups(db):
    enterprises = UnitGroupFactory(name="各区属企业")
    streets = UnitGroupFactory(name="各街道")
    everyone = UnitGroupFactory(name="各有关单位")
    company = UnitFactory(name="区城投公司")
    street = UnitFactory(name="曙光街道", kind=UnitKind.STREET)
    UnitFactory(name="停用公司", is_active=False).groups.add(enterprises)
    unit_group_set_members(group=enterprises, units=[company])
    unit_group_set_members(group=streets, units=[street])
    unit_group_set_members(group=everyone, units=[company], subgroups=[enterprises, streets])

    assert set(group_member_units(everyone)) == {company, street}
    assert group_member_units(everyone).count() == 2


def test_a_group_that_contains_itself_is_refused(db):
    group = UnitGroupFactory(name="各区属企业")
    member = UnitFactory()
    unit_group_set_members(group=group, units=[member])

    with pytest.raises(ValidationError, match="包含自身"):
        unit_group_set_members(group=group, units=[], subgroups=[group])

    assert list(group.units.all()) == [member]
    assert not group.subgroups.exists()


def test_a_group_cycle_through_other_groups_is_refused(db):
    a, b, c = (UnitGroupFactory(name=name) for name in ("甲组", "乙组", "丙组"))
    unit_group_set_members(group=a, units=[], subgroups=[b])
    unit_group_set_members(group=b, units=[], subgroups=[c])

    with pytest.raises(ValidationError, match="包含自身"):
        unit_group_set_members(group=c, units=[], subgroups=[a])

    assert not UnitGroup.objects.get(pk=c.pk).subgroups.exists()


def test_a_user_with_an_unknown_role_is_refused(chengtou_company):
    with pytest.raises(ValidationError, match="未知的角色：boss"):
        user_create(username="boss", role="boss", unit=chengtou_company)
    assert not User.objects.filter(username="boss").exists()


def test_the_database_refuses_an_unknown_role_written_around_the_services(chengtou_reporter):
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=chengtou_reporter.pk).update(role="boss")


def test_a_user_without_a_unit_is_refused(db):
    with pytest.raises(ValidationError, match="所属单位"):
        user_create(username="drifter", role=Role.REPORTER, unit=None)
    assert not User.objects.exists()


def test_a_taken_user_name_is_refused(chengtou_reporter, gongre_company):
    with pytest.raises(ValidationError, match="已被使用"):
        user_create(username=chengtou_reporter.username, role=Role.REPORTER, unit=gongre_company)


def test_a_new_user_gets_a_usable_password_only_when_given_one(chengtou_company):
    with_password = user_create(username="a", role=Role.REPORTER, unit=chengtou_company, password="长城2021-secret")
    without = user_create(username="b", role=Role.REPORTER, unit=chengtou_company)

    assert with_password.check_password("长城2021-secret")
    assert not without.has_usable_password()
