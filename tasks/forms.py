from django import forms
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
