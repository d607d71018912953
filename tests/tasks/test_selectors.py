"""Printed unit names resolve to units and groups, the way plan documents print them."""

import pytest

from orgs.choices import UnitKind
from orgs.services import unit_create
from tasks.selectors import resolve_unit_names
from tests.factories import UnitFactory, UnitGroupFactory


@pytest.fixture
def market_bureau(db):
    return unit_create(name="立山区市场监督管理局", kind=UnitKind.DEPARTMENT, aliases=["区市场局", "区市场监督管理局"])


def test_a_printed_name_finds_its_unit_by_name_alias_or_folded_form(market_bureau):
    found = resolve_unit_names(["立山区市场监督管理局", "区市场局", " 区 市场局\u3000", "區市場局", "区商务局"])

    assert found["立山区市场监督管理局"].unit == market_bureau
    assert found["区市场局"].unit == market_bureau
    assert found[" 区 市场局\u3000"].unit == market_bureau
    assert found["區市場局"].unit == market_bureau  # traditional print of the alias
    assert not found["区商务局"].known


def test_a_collective_name_is_its_group(db):
    group = UnitGroupFactory(name="各区属企业")

    match = resolve_unit_names(["各区属企业"])["各区属企业"]

    assert (match.group, match.unit) == (group, None)


def test_an_inactive_unit_is_not_found(db):
    UnitFactory(name="已撤销单位", is_active=False)

    assert not resolve_unit_names(["已撤销单位"])["已撤销单位"].known


def test_a_folded_form_shared_by_two_units_is_not_guessed(db):
    UnitFactory(name="市国资委")
    UnitFactory(name="市國資委")

    assert resolve_unit_names(["市国資委"])["市国資委"].unit is None


def test_resolution_takes_three_queries_for_any_number_of_names(db, django_assert_num_queries):
    UnitFactory.create_batch(5)
    names = [f"单位{n}" for n in range(200)]

    with django_assert_num_queries(3):
        resolve_unit_names(names)
