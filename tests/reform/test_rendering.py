"""The forms' renderer writes a select exactly as Django's templates do, whatever its options."""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from orgs.models import Unit
from reform.rendering import FormRenderer
from tasks.forms import AssignmentAddForm, ScopeForm, WorkListForm
from tests.factories import PlanFactory, TaskFactory, UnitFactory

TEMPLATES, PYTHON = DjangoTemplates(), FormRenderer()


class EveryKindOfSelect(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙 & <丙>")])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("企业", [("1", "城投"), ("2", '供热 "集团"')]), ("部门", [("3", _("Unit"))])]
    )
    numbers = forms.TypedChoiceField(choices=[(2021, 2021), (12345, 12345), (None, "无")], coerce=int)
    days = forms.ChoiceField(choices=[("2021-06-30", datetime.date(2021, 6, 30))])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    yes_no = forms.NullBooleanField()
    marked = forms.ChoiceField(choices=[("<b>", mark_safe("<b>粗</b>"))])
    attributed = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"class": 'wide "x"', "required": True, "disabled": False, "data-n": 3}),
    )


def rendered(form: forms.Form, renderer) -> dict[str, str]:
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "b", "grouped": "2", "numbers": "12345", "many": ["x", "z"], "yes_no": "false", "marked": "<b>"},
        {"plain": "none of them", "grouped": "", "many": ["y"], "yes_no": "true"},
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kind_of_select_is_written_as_the_templates_write_it(data, language):
    with override(language):
        form = EveryKindOfSelect(data or None)
        assert rendered(form, PYTHON) == rendered(EveryKindOfSelect(data or None), TEMPLATES)


def test_a_select_whose_options_name_another_template_is_left_to_the_templates():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    class Form(forms.Form):
        starred = forms.ChoiceField(choices=[("a", "A")], widget=Starred)

    assert rendered(Form(), PYTHON) == rendered(Form(), TEMPLATES)
    assert "<option" not in rendered(Form(), PYTHON)["starred"]


def test_a_widget_that_borrows_the_select_template_without_choices_is_left_to_the_templates():
    class Borrowing(forms.Widget):
        template_name = "django/forms/widgets/select.html"

    class Form(forms.Form):
        borrowed = forms.CharField(widget=Borrowing)

    assert rendered(Form(), PYTHON) == rendered(Form(), TEMPLATES)


@pytest.mark.django_db
def test_the_platforms_own_forms_are_written_as_the_templates_write_them(staff, chengtou_reporter):
    plan = PlanFactory(title="国企改革三年行动 <实施方案>")
    TaskFactory(plan=plan, due=datetime.date(2021, 12, 31))
    UnitFactory(name="停用的 & 单位", is_active=False)
    choices = {"plan": str(plan.pk), "year": "2021", "unit": str(Unit.objects.first().pk), "measure": "overdue"}
    for user in (staff, chengtou_reporter):
        for form_class in (ScopeForm, WorkListForm):
            for data in (None, choices):
                assert rendered(form_class(data, user=user), PYTHON) == rendered(form_class(data, user=user), TEMPLATES)
    assert rendered(AssignmentAddForm({"role": "lead"}), PYTHON) == rendered(
        AssignmentAddForm({"role": "lead"}), TEMPLATES
    )


def test_the_platform_renders_its_forms_so():
    assert settings.FORM_RENDERER == "reform.rendering.FormRenderer"
    assert isinstance(forms.Form().renderer, FormRenderer)
