"""A day (or a moment) as a table shows it: one line, never broken at its dashes ("2021-12-\n31")."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def day(value, fmt: str = "Y-m-d") -> str:
    """``value`` (a date or a datetime, shown in local time) in ``fmt``, kept on one line; empty for none."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_html('<time class="day" datetime="{}">{}</time>', value.isoformat(), date_format(value, fmt))
