import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from reform.values import DayField, IdChoiceMixin, IdField, ListedChoices


class IdFilter(django_filters.NumberFilter):
    """An id: ASCII digits the database can hold (a larger number would fail the query, not match)."""

    field_class = IdField


class ListedFilterChoices(ModelChoiceIterator, ListedChoices):
    """django-filter's options (the empty and null choices first), the rest read in one query."""


class IdChoiceField(IdChoiceMixin, ModelChoiceField):
    """django-filter's model choice field (it offers the empty and null choices), read by id as everywhere."""

    iterator = ListedFilterChoices


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of the objects of a queryset, named by id as everywhere (reform.values)."""

    field_class = IdChoiceField


class DayFilter(django_filters.DateFilter):
    """A day as YYYY-MM-DD, within the days the platform keeps (reform.values.day)."""

    field_class = DayField
