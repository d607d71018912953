from django import forms
from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.models import Unit
from reform.values import DayField, IdChoiceField, IdField
from reports.models import ReportKind
from tasks.models import Plan


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[(kind, kind.label) for kind in (ReportKind.PROGRESS, ReportKind.OVERDUE, ReportKind.UNIT)],
    )
    plan = IdChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("Choose a plan"))
    unit = IdChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Choose a unit"))
    task = IdField(widget=forms.HiddenInput, required=False)
    as_of = DayField(
        label=_("As of"),
        required=False,
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.visible_to(user).order_by("-issued_on", "pk")
        units = Unit.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["unit"].queryset = units if policy.sees_everything(user) else units.filter(pk=user.unit_id)
        if self.data.get("kind") == "dossier":
            self.fields["kind"].choices = [*self.fields["kind"].choices, (ReportKind.DOSSIER, ReportKind.DOSSIER.label)]

    def request_params(self) -> dict:
        data = self.cleaned_data
        return {
            "plan": data["plan"].pk if data.get("plan") else None,
            "unit": data["unit"].pk if data.get("unit") else None,
            "task": data.get("task"),
            "as_of": data.get("as_of"),
        }


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_("As printed at the foot of each page of the report, such as 7K3Q-9XRD-M2FA-P8TW."),
    )
