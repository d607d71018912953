"""Property-based calls (schemathesis) against the API's own schema, in this process through WSGI: for
every operation, generated requests (good and bad) as staff and as a unit's reporter never answer 5xx,
and every answer has a documented status, content type and body."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reform.api.schema import BilingualSchemaGenerator
from tests.factories import AssignmentFactory, MilestoneFactory, ProgressReportFactory

# Conformance to the schema and no 5xx, on fixed data: the domain's own tests run on every fake date.
pytestmark = pytest.mark.undated

SCHEMA = BilingualSchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(SCHEMA)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# The same operations with every number of a request — ids in the address, filters, pages, versions,
# percents, ids in a body — drawn instead from what no client should send but some do: the digits of
# every other script ("²" passes isdigit(), "١٢" is 12 to int()) and numbers past the database's range.
odd_numbers = schemathesis.openapi.from_dict(SCHEMA)
odd_numbers.config.phases.update(phases=["fuzzing"])  # the deterministic phases are the test above's
ODD_NUMBER = st.one_of(
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4),
    st.integers(min_value=2**63).map(str),
)


def _numbers_made_odd(ctx, part):
    if not isinstance(part, dict):
        return st.just(part)
    return st.fixed_dictionaries(
        {
            name: ODD_NUMBER if isinstance(value, int) and not isinstance(value, bool) else st.just(value)
            for name, value in part.items()
        }
    )


for _part in ("path_parameters", "query", "body"):
    odd_numbers.hook(f"flatmap_{_part}")(_numbers_made_odd)


@pytest.fixture
def app(db):
    """Django's WSGI handler on the test's own database transaction: the per-request connection
    clean-up would close it (the test client turns it off the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def callers(staff, chengtou_reporter, chengtou_company):
    """Tokens of staff and of a reporter, and some work for ids to find."""
    for _ in range(3):
        work = AssignmentFactory(unit=chengtou_company)
        MilestoneFactory(task=work.task)
        ProgressReportFactory(assignment=work)
    return [Token.objects.get_or_create(user=user)[0].key for user in (staff, chengtou_reporter)]


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    # The same cases on every run, so that CI is repeatable; API_FUZZ_RANDOM=1 explores new ones.
    derandomize=not os.environ.get("API_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_operation_answers_5xx_or_off_its_schema(case, app, callers):
    for token in callers:
        case.call_and_validate(app=app, headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@odd_numbers.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=not os.environ.get("API_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_operation_answers_5xx_whatever_number_it_is_given(case, app, callers):
    for token in callers:
        case.call_and_validate(app=app, headers={"Authorization": f"Token {token}"}, checks=CHECKS)
