"""The one reader of a request's numbers and days (reform.values): ASCII digits only, within the
database's range; every other digit Unicode has ("²", "١", "１", "①") names nothing."""

import datetime
import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from reform import values

# Every character Unicode calls a digit or a number, but 0–9.
NOT_ASCII_DIGITS = [
    chr(code)
    for code in range(sys.maxunicode + 1)
    if unicodedata.category(chr(code)) in ("Nd", "No", "Nl") and not "0" <= chr(code) <= "9"
]
UNICODE_NUMBERS = st.text(alphabet=st.sampled_from(NOT_ASCII_DIGITS + list("0123456789")), min_size=1).filter(
    lambda text: not text.isascii()
)
PAST_THE_DATABASE = st.integers(min_value=values.MAX_ID + 1).map(str)


def test_every_unicode_digit_that_int_would_take_or_fail_on_is_known():
    # The trap, as found: isdigit() says yes, int() then fails; or int() quietly reads another script.
    assert "²".isdigit() and "١٢".isdigit() and int("١٢") == 12 and int("１２") == 12
    assert len(NOT_ASCII_DIGITS) > 500


@given(UNICODE_NUMBERS)
def test_no_digit_but_0_to_9_makes_a_number(text):
    with pytest.raises(values.BadValue):
        values.whole_number(text)
    with pytest.raises(values.BadValue):
        values.id_number(text)
    with pytest.raises(values.BadValue):
        values.version_number(text)
    assert values.page_number(text, last=5) == 1


@given(PAST_THE_DATABASE)
def test_a_number_past_the_database_names_nothing(text):
    with pytest.raises(values.BadValue):
        values.id_number(text)
    assert values.page_number(text, last=7) == 1


@pytest.mark.parametrize("text", ["", " ", "-1", "0", "+3", "1_2", "1.0", "3e2", "0x10", "12 3", "NaN", "\x00"])
def test_what_is_not_an_id(text):
    with pytest.raises(values.BadValue):
        values.id_number(text)


def test_ids_versions_and_pages_that_are():
    assert values.id_number("42") == 42 == values.id_number(42)
    assert values.id_number(str(values.MAX_ID)) == values.MAX_ID
    assert values.optional_id("") is None and values.optional_id("7") == 7
    assert values.version_number('W/"3"') == 3 == values.version_number('"3"') == values.version_number("3")
    assert values.version_number("") is None
    assert values.page_number("", last=4) == 1 and values.page_number("9", last=4) == 4
    assert values.page_number("2", last=0) == 1
    with pytest.raises(values.BadValue):
        values.id_number(True)  # a JSON true is not the id 1


def test_a_page_of_a_paginator():
    page = values.page_of(Paginator(list(range(25)), 10), "²")
    assert page.number == 1
    assert values.page_of(Paginator(list(range(25)), 10), "99").number == 3
    assert values.page_of(Paginator([], 10), "3").number == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("2021-02-30", "YYYY-MM-DD"),
        ("２０２１-01-01", "YYYY-MM-DD"),
        ("20210101", "YYYY-MM-DD"),  # ISO's basic form: no date input sends it
        ("2021-W01-1", "YYYY-MM-DD"),
        ("9999-12-31", "2199-12-31"),
        ("0001-01-01", "1900-01-01"),
    ],
)
def test_what_is_not_a_day(text, message):
    with pytest.raises(values.BadValue, match=message):
        values.day(text)


def test_days_that_are():
    assert values.day("2021-03-01") == datetime.date(2021, 3, 1)
    assert values.day(datetime.date(2021, 3, 1)) == datetime.date(2021, 3, 1)
    assert values.day("") is None
    with pytest.raises(values.BadValue, match="2000-01-01"):
        values.day("1999-12-31", first=datetime.date(2000, 1, 1))


def test_a_declared_length_is_ascii_digits_however_large():
    factory = RequestFactory()
    assert values.declared_length(factory.get("/", CONTENT_LENGTH="12")) == 12
    assert values.declared_length(factory.get("/", CONTENT_LENGTH="9" * 30)) == int("9" * 30)
    assert values.declared_length(factory.get("/", CONTENT_LENGTH="١٢")) == 0


def test_the_form_fields_refuse_with_a_message():
    with pytest.raises(ValidationError):
        values.IdField().clean("²")
    with pytest.raises(ValidationError):
        values.WholeNumberField(max_value=100).clean("١٠٠")
    assert values.WholeNumberField(max_value=100).clean("100") == 100
    with pytest.raises(ValidationError):
        values.DayField().clean("9999-12-31")
    assert values.IsoDateInput().format_value(datetime.date(2027, 12, 31)) == "2027-12-31"


def test_the_api_fields_refuse_with_a_message():
    with pytest.raises(serializers.ValidationError):
        values.IdSerializerField().run_validation("١")
    with pytest.raises(serializers.ValidationError):
        values.WholeNumberSerializerField().run_validation(str(values.MAX_ID + 1))
    with pytest.raises(serializers.ValidationError):
        values.DaySerializerField().run_validation("9999-12-31")
    assert values.IdSerializerField().run_validation(7) == 7


def test_the_address_converter_takes_ids_only():
    converter = values.IdConverter()
    assert converter.to_python("12") == 12
    with pytest.raises(ValueError):
        converter.to_python(str(values.MAX_ID + 1))
