import django_filters
from django import forms


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number the database can hold (a larger one would fail the query, not match)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)
