from django import forms
from django.utils.translation import gettext_lazy as _

from reform.values import BadValue, WholeNumberField, whole_number
from tasks.reminders.choices import Channel, DeliveryStatus, Kind
from tasks.reminders.models import ReminderSettings


class ChannelForm(forms.Form):
    in_app = forms.BooleanField(label=_("In the platform"), required=False)
    email = forms.BooleanField(label=_("By e-mail"), required=False)
    address = forms.EmailField(
        label=_("E-mail address"), required=False, help_text=_("Needed for reminders by e-mail.")
    )

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("address"):
            self.add_error("address", _("Give an e-mail address to be reminded by e-mail."))
        return data


class DaysField(forms.CharField):
    """Whole numbers of days, written as “30, 7, 1, 0”."""

    def to_python(self, value):
        text = super().to_python(value).replace("，", ",").replace("、", ",")
        try:
            days = sorted({whole_number(part) for part in text.split(",") if part.strip()}, reverse=True)
        except BadValue:
            raise forms.ValidationError(
                _("Write whole numbers of days separated by commas, such as 30, 7, 1, 0.")
            ) from None
        if not days or any(not 0 <= day <= 365 for day in days):
            raise forms.ValidationError(_("Give at least one number of days, each from 0 to 365."))
        return days

    def prepare_value(self, value):
        return ", ".join(str(day) for day in value) if isinstance(value, list) else value


class RulesForm(forms.ModelForm):
    days_before = DaysField(label=_("Days before a deadline"), help_text=_("0 is the day itself."))

    class Meta:
        model = ReminderSettings
        fields = [
            "days_before",
            "overdue_every",
            "escalate_after",
            "report_day",
            "digest_weekday",
            "round_open_day",
            "round_deadline_day",
            "workdays_only",
        ]
        # Whole numbers read as everywhere (reform.values): "１０" or "10.0" is no day of the month.
        field_classes = dict.fromkeys(
            ["overdue_every", "escalate_after", "report_day", "round_open_day", "round_deadline_day"], WholeNumberField
        )


class LogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Delivery"), choices=[("", _("All")), *DeliveryStatus.choices], required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("All")), *[c for c in Channel.choices if c[0] != Channel.IN_APP]],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False)
