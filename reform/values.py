"""Values a request carries — ids, page numbers, versions, whole numbers, days — each read by one
function here, and by the form, filter, serializer and URL fields built on them.

Only ASCII digits make a number. ``str.isdigit()`` is true for "²" and "①", which ``int()`` then
refuses (a 500), and ``int()`` itself takes "١٢", "１２" and "1_2": none of them is what a
browser or a client program sends for 12. A number must also fit the database's column; a day
must leave room for the date arithmetic of lights and reminders (a deadline of 9999-12-31 would
make the sweep's "14 days late" overflow).
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# A PostgreSQL bigint and a SQLite integer (ids are BigAutoField).
MAX_ID = 2**63 - 1
_WHOLE = re.compile(r"[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


class BadValue(ValueError):
    """A request's value that names nothing: the message says what was expected."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def whole_number(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """ASCII digits within [minimum, maximum], else BadValue."""
    text = str(value).strip() if isinstance(value, str) else value
    if isinstance(text, bool) or not (
        isinstance(text, int) or (isinstance(text, str) and _WHOLE.fullmatch(text) and len(text) <= 19)
    ):
        raise BadValue(_("Enter a whole number written with the digits 0–9."))
    number = int(text)
    if not minimum <= number <= maximum:
        raise BadValue(
            _("Enter a whole number from %(minimum)s to %(maximum)s.") % {"minimum": minimum, "maximum": maximum}
        )
    return number


def id_number(value) -> int:
    """An object's id: 1 up to the largest the database holds."""
    try:
        return whole_number(value, minimum=1)
    except BadValue:
        raise BadValue(_("Not a valid id.")) from None


def optional_id(value) -> int | None:
    """An id, or None when the value is empty; anything else is BadValue."""
    if value in (None, ""):
        return None
    return id_number(value)


def page_number(value, *, last: int) -> int:
    """A page of a list, as Django's own pages read it: empty or not a number is the first, past the
    last is the last (a link mangled on its way still shows the list)."""
    try:
        return min(whole_number(value, minimum=1), max(last, 1))
    except BadValue:
        return 1


def page_of(paginator, value):
    """The page of ``paginator`` that a request's ``page`` asks for (page_number)."""
    return paginator.page(page_number(value, last=paginator.num_pages))


def one_of(value, choices) -> str | None:
    """A choice a link names, as given; None when it names none or one not among ``choices`` (a link
    mangled on its way shows everything rather than an error)."""
    return value if value in choices else None


def version_number(value) -> int | None:
    """The version a caller last saw, as a body field or an If-Match header ("3", W/"3"); empty is None."""
    if value in (None, ""):
        return None
    text = value.removeprefix("W/").strip('"') if isinstance(value, str) else value
    try:
        return whole_number(text, minimum=1)
    except BadValue:
        raise BadValue(_("The version is a whole number, as the last read gave it.")) from None


def declared_length(request) -> int:
    """The body's length as the request declares it (CONTENT_LENGTH), however large; 0 for none or nonsense."""
    given = request.META.get("CONTENT_LENGTH") or ""
    return int(given) if _WHOLE.fullmatch(given) else 0


def day(value, *, first: datetime.date = FIRST_DAY, last: datetime.date = LAST_DAY) -> datetime.date | None:
    """A day as YYYY-MM-DD (what a date input sends), from ``first`` to ``last``; empty is None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        text = str(value).strip()
        try:
            value = datetime.date.fromisoformat(text) if _DAY.fullmatch(text) else None
        except ValueError:
            value = None
        if value is None:
            raise BadValue(_("Give the date as YYYY-MM-DD."))
    if value < first:
        raise BadValue(_("The date cannot be before %(day)s.") % {"day": first.isoformat()})
    if value > last:
        raise BadValue(_("The date cannot be after %(day)s.") % {"day": last.isoformat()})
    return value


def month(value, *, latest: datetime.date | None = None) -> str:
    """A month as YYYY-MM (a report's period), not after the month of ``latest`` if given."""
    text = str(value or "").strip()
    if not _MONTH.fullmatch(text) or text < f"{FIRST_DAY:%Y-%m}":
        raise BadValue(_("Enter a month as YYYY-MM, e.g. 2021-03."))
    if latest is not None and text > f"{latest:%Y-%m}":
        raise BadValue(_("A report cannot be for a month still to come."))
    return text


def validate_day(value: datetime.date | None) -> None:
    """A validator for a form field of Django's own (the administration's date fields): the same days as
    ``day`` takes."""
    try:
        day(value)
    except BadValue as error:
        # Not "invalid": a field puts its own message in place of a validator's with a code it knows.
        raise ValidationError(error.message, code="day_out_of_range") from None


def tidy_text(text: str) -> str:
    """A text as typed in a browser, kept as the platform keeps it: a browser sends a textarea's lines
    ending in CR LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def as_typed(given: str, stored: str, tidy=tidy_text) -> str:
    """What the user typed, tidied — or what is stored, when the form sent it back as it was shown:
    an edit changes only what the user changed, however the stored text was tidied before."""
    tidied = tidy(given)
    return stored if tidied == tidy(stored) else tidied


# --- Form fields and widgets -------------------------------------------------------------------------


class WholeNumberField(forms.IntegerField):
    """An integer form field that reads ASCII digits only, bounded by the database's range."""

    def __init__(self, *, min_value=0, max_value=MAX_ID, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return whole_number(value, minimum=self.min_value, maximum=self.max_value)
        except BadValue as error:
            raise ValidationError(error.message, code="invalid") from None


class IdField(WholeNumberField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class IdChoiceMixin:
    """For a model choice field: the value names an object by id (ASCII digits within the database's
    range), or it is not a valid choice — before the database is asked."""

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values:
            try:
                id_number(value)
            except BadValue:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return super().to_python(value)


class ListedChoices(forms.models.ModelChoiceIterator):
    """A model choice's options read in one query. Django reads them through ``iterator()``, which
    on PostgreSQL is a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a select's
    few hundred rows, each page's filter form paying them for every select."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a fresh copy: read again each time, as Django's are
            yield self.choice(obj)


class IdChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    """A form's choice of a model object, named by its id as everywhere."""

    iterator = ListedChoices


class ChoicesField(forms.ModelMultipleChoiceField):
    """A form's choice of several model objects, its options read in one query."""

    iterator = ListedChoices


class IsoDateInput(forms.DateInput):
    """A browser's date picker: it reads and sends only YYYY-MM-DD, whatever the page's language (the
    Chinese format, 2027/12/31, shows as empty and saves as nothing)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DayField(forms.DateField):
    """A day as YYYY-MM-DD, from ``first`` (FIRST_DAY) to LAST_DAY, rendered so that the browser shows it."""

    widget = IsoDateInput

    def __init__(self, *, first: datetime.date = FIRST_DAY, **kwargs):
        super().__init__(**kwargs)
        self.first = first

    def to_python(self, value):
        try:
            return day(value, first=self.first)
        except BadValue as error:
            raise ValidationError(error.message, code="invalid") from None


# --- API fields --------------------------------------------------------------------------------------


class WholeNumberSerializerField(serializers.IntegerField):
    """DRF's integer field reading ASCII digits only, bounded by the database's range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return whole_number(data, minimum=self.min_value, maximum=self.max_value)
        except BadValue as error:
            raise serializers.ValidationError(str(error.message), code="invalid") from None


class IdSerializerField(WholeNumberSerializerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """DRF's primary-key field reading ids as id_number does."""

    def to_internal_value(self, data):
        try:
            id_number(data)
        except BadValue:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class DaySerializerField(serializers.DateField):
    """DRF's date field reading YYYY-MM-DD only, within FIRST_DAY and LAST_DAY."""

    def to_internal_value(self, value):
        try:
            found = day(value)
        except BadValue as error:
            raise serializers.ValidationError(str(error.message), code="invalid") from None
        if found is None:
            self.fail("invalid", format="YYYY-MM-DD")
        return found


# --- URL converter -----------------------------------------------------------------------------------


class IdConverter:
    """``<id:pk>``: an id the database can hold; a longer number is no address (404), not a failed query."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        try:
            return id_number(value)
        except BadValue:
            raise ValueError(value) from None

    def to_url(self, value):
        return str(value)
