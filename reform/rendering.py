"""The forms' renderer: Django's own widget templates, except a select's, which is written out here.

A select renders one template include per option: the unit select of a province's hundred units
costs more than the rest of a filter form (6 ms a form on this platform's dashboard and lists).
``FormRenderer`` writes the same HTML as Django's ``select.html`` and ``select_option.html`` in
Python, with the templates' own escaping and localisation, and leaves every other template (and a
select whose options name another template) to Django's engine.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is None or not _plain_options(widget):
            return super().render(template_name, context, request)
        return mark_safe(_select(widget, Context(autoescape=True)))


def _plain_options(widget: dict) -> bool:
    """A choice widget's context whose every option is Django's own option template."""
    groups = widget.get("optgroups")
    return groups is not None and all(
        option["template_name"] == OPTION for _, options, _ in groups for option in options
    )


def _attrs(attrs: dict) -> str:
    """``attrs.html``: a true value as a bare name, a false one left out, the rest as text."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict, context: Context) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, context)}">')
        for option in options:
            label = render_value_in_context(option["label"], context)
            parts.append(f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last line break
    return "".join(parts)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless it is already safe."""
    return conditional_escape(value) if isinstance(value, SafeData) else conditional_escape(f"{value}")
