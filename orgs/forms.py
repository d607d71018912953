from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orgs.services import check_role_and_unit


def refuse_unplaced(user) -> None:
    """Refuse to sign in an account the access policy could not place."""
    try:
        check_role_and_unit(role=user.role, unit=user.unit, is_superuser=user.is_superuser)
    except ValidationError:
        raise ValidationError(
            _("Your account has no unit or no valid role yet. Ask the SASAC office to set it up."),
            code="no_unit",
        ) from None


class LoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refuse_unplaced(user)
