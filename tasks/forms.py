from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.choices import PlanKind


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
