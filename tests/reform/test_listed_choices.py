"""A model choice's options are read in one query (no server-side cursor), and every model choice
of the platform's forms and filters reads them so."""

import importlib
import inspect

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import Unit
from reform.api.filters import IdChoiceField as FilterIdChoiceField
from reform.values import ChoicesField, IdChoiceField, ListedChoices
from tests.factories import UnitFactory

MODULES = [
    "orgs.forms",
    "reports.forms",
    "tasks.forms",
    "tasks.filters",
    "tasks.api.records",
    "tasks.reminders.api",
]


def _model_choice_fields():
    for name in MODULES:
        for _, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if issubclass(cls, forms.BaseForm):
                fields = cls.base_fields.items()
            elif issubclass(cls, django_filters.FilterSet):
                fields = ((n, f.field_class) for n, f in cls.base_filters.items())
            else:
                continue
            for field_name, field in fields:
                field_class = field if isinstance(field, type) else type(field)
                if issubclass(field_class, forms.ModelChoiceField):
                    yield f"{cls.__module__}.{cls.__name__}.{field_name}", field_class


def test_every_model_choice_of_the_platform_reads_its_options_in_one_query():
    found = dict(_model_choice_fields())
    assert len(found) >= 8  # the scope forms', the task and assignment filters', the groups'
    assert {name for name, field in found.items() if not issubclass(field.iterator, ListedChoices)} == set()


def _units():
    return Unit.objects.order_by("name")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ours", "djangos"),
    [
        (
            lambda: IdChoiceField(queryset=_units(), empty_label="全部"),
            lambda: forms.ModelChoiceField(_units(), empty_label="全部"),
        ),
        (lambda: ChoicesField(queryset=_units()), lambda: forms.ModelMultipleChoiceField(_units())),
        (
            lambda: FilterIdChoiceField(queryset=_units(), null_label="无"),
            lambda: django_filters.fields.ModelChoiceField(queryset=_units(), null_label="无"),
        ),
    ],
)
def test_the_options_are_djangos_read_in_one_query_each_time(ours, djangos):
    UnitFactory(name="乙"), UnitFactory(name="甲")
    field = ours()
    expected = [(str(value), label) for value, label in djangos().choices]

    with CaptureQueriesContext(connection) as queries:
        first = [(str(value), label) for value, label in field.choices]
        UnitFactory(name="丙")
        second = list(field.choices)

    reads = [q["sql"] for q in queries.captured_queries if 'ORDER BY "orgs_unit"."name"' in q["sql"]]
    assert len(reads) == 2 and not any("DECLARE" in sql for sql in reads)
    assert first == expected
    assert len(second) == len(first) + 1  # read again, not kept
