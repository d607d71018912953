"""A light and what decided it, as every list shows them beside its rows: made in Python, not by an
included template per row (a province plan's page has a thousand)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from tasks.lights import GRAY, GREEN, RED, YELLOW, LightFacts

register = template.Library()


def _words(light: str) -> tuple[str, str]:
    """(what the light means, its colour's name)."""
    if light == RED:
        return gettext("Overdue"), gettext("Red")
    if light == YELLOW:
        return gettext("Due soon or behind schedule"), gettext("Yellow")
    if light == GREEN:
        return gettext("On track"), gettext("Green")
    return gettext("Not started"), gettext("Gray")


@register.simple_tag
def light(value: str) -> str:
    meaning, colour = _words(value if value in (RED, YELLOW, GREEN) else GRAY)
    return format_html('<span class="light light-{}" title="{}">{}</span>', value, meaning, colour)


@register.simple_tag
def light_facts(facts: LightFacts | None) -> str:
    """The days left or late to the nearest date owed (a milestone's, when that comes first) and the
    share of the time gone beside the percent reported; nothing when there are no facts."""
    if not facts:
        return ""
    parts = []
    if facts.days_left is not None:
        if facts.days_left < 0:
            days = ngettext("%(counter)s day late", "%(counter)s days late", facts.days_late) % {
                "counter": facts.days_late
            }
        elif facts.days_left == 0:
            days = gettext("due today")
        else:
            days = ngettext("%(counter)s day left", "%(counter)s days left", facts.days_left) % {
                "counter": facts.days_left
            }
        parts.append(f"{gettext('milestone')} {days}" if facts.milestone else days)
    if facts.expected is not None:
        parts.append(
            gettext("expected %(expected)s%%, reported %(reported)s%%")
            % {"expected": facts.expected, "reported": facts.reported or 0}
        )
    return format_html('<span class="light-facts">{}</span>', " · ".join(parts))
