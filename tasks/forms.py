from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import Unit
from tasks.choices import AssignmentRole, PlanKind


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan document"),
        help_text=_("A .txt, .docx, .xlsx or .pdf file with a text layer."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.xlsx,.pdf"}),
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
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("The month reported on, as YYYY-MM."))
    percent = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence files"), required=False)
    done = forms.BooleanField(label=_("The work is done: submit it for review"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = timezone.localdate().strftime("%Y-%m")


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskEditForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=500)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=100, required=False, help_text=_("Kept in the task's history.")
    )
    updated_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.order_by("position")


class MilestoneForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    due = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
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
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("kind", "name")
