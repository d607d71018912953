from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orgs.choices import Role, UnitKind
from orgs.lockout import lock_message, locked_until
from orgs.models import Unit, UnitGroup
from orgs.services import check_role_and_unit
from reform.audit import client_address
from reform.values import ChoicesField


def refuse_unplaced(user) -> None:
    """Refuse to sign in an account the access policy could not place."""
    try:
        check_role_and_unit(role=user.role, unit=user.unit, is_superuser=user.is_superuser)
    except ValidationError:
        raise ValidationError(
            _("Your account has no unit or no valid role yet. Ask the SASAC office to set it up."),
            code="no_unit",
        ) from None


class LockoutMessage:
    """A failed sign-in that locked, or met a lock, says so and until when (orgs.lockout)."""

    def get_invalid_login_error(self):
        until = locked_until(self.cleaned_data.get("username") or "", client_address(self.request))
        if until is None:
            return super().get_invalid_login_error()
        return ValidationError(lock_message(until), code="locked")


class LoginForm(LockoutMessage, AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refuse_unplaced(user)


# --- Staff's pages for units, groups and users ----------------------------------------------------


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or alias"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *UnitKind.choices])
    active = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Stopped"))],
    )

    def chosen(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        active = {"1": True, "0": False}.get(data.get("active", ""))
        return {"search": data.get("q", "").strip(), "kind": data.get("kind", ""), "active": active}


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class UserAddForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REPORTER)
    email = forms.EmailField(label=_("E-mail"), required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class GroupMembersForm(forms.Form):
    units = ChoicesField(label=_("Member units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    subgroups = ChoicesField(
        label=_("Included groups"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["subgroups"].queryset = UnitGroup.objects.exclude(pk=group.pk).order_by("name")
