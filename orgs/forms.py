from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orgs.lockout import lock_message, locked_until
from orgs.services import check_role_and_unit
from reform.audit import client_address


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
