from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.choices import UnitKind
from orgs.models import Unit
from reform.values import DayField, IdChoiceField, IdField, WholeNumberField
from tasks.choices import AssignmentRole, PlanKind
from tasks.filters import sections_offered
from tasks.importing import SUFFIXES
from tasks.models import Plan, Section
from tasks.work import EARLIEST_DAY, MEASURES, Scope, deadline_years, plans_ever_visible


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan document"),
        help_text=_(
            "Word (.docx, .doc, .wps), Excel (.xlsx, .xls, .et), PDF, OFD or a text file, or a scan or photo "
            "(.jpg, .png, .tif). Scans are read by OCR in the background, a few seconds a page."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Recognise from the document")), *PlanKind.choices],
        required=False,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the report service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProgressReportForm(forms.Form):
    period = forms.CharField(label=_("Report month"), max_length=7, help_text=_("The month reported on, as YYYY-MM."))
    percent = WholeNumberField(label=_("Percent complete"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence files"), required=False)
    done = forms.BooleanField(label=_("The work is done: submit it for review"), required=False)
    combined = forms.BooleanField(
        label=_("A combined report for the whole task (汇总上报)"),
        required=False,
        help_text=_("As the lead unit, for all the task's units: staff review it as the task's."),
    )
    delivers = forms.MultipleChoiceField(
        label=_("These files deliver"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The documents the task's milestones name that the files attached here are."),
    )
    version = WholeNumberField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, lead: bool = True, deliverables=(), **kwargs):
        """``lead``: the form is shown to a lead unit, the only one offered the combined report;
        ``deliverables``: the task's (services.deliverables.Deliverable), which the files may deliver."""
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = timezone.localdate().strftime("%Y-%m")
        if not lead:
            del self.fields["combined"]
        if deliverables:
            self.fields["delivers"].choices = [(d.key, f"《{d.name}》") for d in deliverables]
        else:
            del self.fields["delivers"]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = WholeNumberField(min_value=1, widget=forms.HiddenInput)


class TaskEditForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=500)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    section = IdChoiceField(label=_("Section"), queryset=None, required=False, empty_label=_("No section"))
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=100, required=False, help_text=_("Kept in the task's history.")
    )
    updated_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.order_by("position")


class MilestoneForm(forms.Form):
    id = IdField(widget=forms.HiddenInput, required=False)
    due = DayField(label=_("Due"), required=False)
    text = forms.CharField(label=_("What must be done"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    deliverables = forms.CharField(
        label=_("Deliverables"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One document per line."),
    )

    def clean(self):
        data = super().clean()
        if data.get("text", "").strip() == "" and not data.get("DELETE") and (data.get("id") or self.has_changed()):
            raise forms.ValidationError(_("Say what the milestone requires, or tick it for removal."))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, can_delete=True, max_num=100, validate_max=True)


class AssignmentAddForm(forms.Form):
    unit = IdChoiceField(label=_("Unit"), queryset=None, empty_label=_("Choose a unit"))
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("kind", "name")


class ScopeForm(forms.Form):
    """What a dashboard or the work list is about (all fields optional), and the day it shows."""

    plan = IdChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("All plans"))
    year = forms.TypedChoiceField(label=_("Deadline year"), coerce=int, required=False, empty_value=None)
    unit_kind = forms.ChoiceField(label=_("Unit kind"), required=False)
    unit = IdChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units"))
    as_of = DayField(
        label=_("As of"),
        required=False,
        first=EARLIEST_DAY,
        help_text=_("Empty for today; a past day shows what the platform showed at its end."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["plan"].queryset = plans_ever_visible(user).order_by("-issued_on", "pk")
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in deadline_years(user))]
        self.fields["unit_kind"].choices = [("", _("All kinds")), *UnitKind.choices]
        if policy.sees_everything(user):
            # Units stopped since keep their work and its past: they stay to be chosen (and linked to).
            self.fields["unit"].queryset = Unit.objects.order_by("-is_active", "kind", "name")
            self.fields["unit"].label_from_instance = _unit_label
        else:
            # A unit's people see their own unit's work: the unit is theirs, not a choice.
            del self.fields["unit"], self.fields["unit_kind"]

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        today = timezone.localdate()
        if day and day > today:
            raise forms.ValidationError(_("The date cannot be after today (%(today)s).") % {"today": today})
        return day

    @property
    def chosen(self) -> dict:
        """The fields given right. A field given wrong is left out, its error shown with the form: the
        page then shows the rest of the choice rather than nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleans every field; cleaned_data keeps the valid ones
        return self.cleaned_data

    def scope(self, **extra) -> Scope:
        data = self.chosen
        unit = data.get("unit") if "unit" in self.fields else self.user.unit
        return Scope(
            plan=data.get("plan"),
            year=data.get("year"),
            unit_kind=data.get("unit_kind") or None,
            unit=unit,
            as_of=data.get("as_of"),
            **extra,
        )


def _unit_label(unit: Unit) -> str:
    return str(unit) if unit.is_active else _("%(unit)s (stopped)") % {"unit": unit}


class WorkListForm(ScopeForm):
    """The work list's choice: a scope, narrowed to an area, a measure or the deadlines up to a day."""

    section = IdChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False, empty_label=_("All sections")
    )
    measure = forms.ChoiceField(label=_("Showing"), choices=list(MEASURES.items()), required=False)
    due_by = DayField(label=_("Due by"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["section"].queryset = sections_offered(self.fields["plan"].queryset, self.data.get("plan"))

    def scope(self, **extra) -> Scope:
        data = self.chosen
        return super().scope(section=data.get("section"), due_by=data.get("due_by"), **extra)


class RoundOpenForm(forms.Form):
    period = forms.CharField(label=_("Month reported on"), max_length=7, help_text=_("As YYYY-MM."))
    deadline = DayField(label=_("Deadline"))
    note = forms.CharField(label=_("Note to the units"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = timezone.localdate().strftime("%Y-%m")
