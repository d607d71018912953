"""Filters for the PDF reports' templates."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """``value`` inside a CSS string, as the page margins print it (``content: "…"``): backslashes and
    quotes escaped, a line break as CSS writes one, and "<" too, so that nothing ends the <style>
    element. (escapejs is for JavaScript: CSS reads its \\u002D as the letters "u002D".)"""
    text = str(value)
    for plain, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\A "), ("\r", ""), ("<", "\\3C ")):
        text = text.replace(plain, escaped)
    return mark_safe(text)  # escaped for its place above


@register.filter
def units_lit(line, light: str) -> int:
    """How many of a task line's units show ``light`` (a table of red or yellow tasks counts its own)."""
    return line.units_lit(light)
