from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.forms import LockoutMessage, refuse_unplaced


class AdminLoginForm(LockoutMessage, AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        # Not AdminAuthenticationForm's own check: that one asks for Django's is_staff flag.
        AuthenticationForm.confirm_login_allowed(self, user)
        refuse_unplaced(user)
        if not policy.can_manage(user):
            raise ValidationError(_("Only SASAC staff may use the administration pages."), code="invalid_login")


class ReformAdminSite(admin.AdminSite):
    """The admin, opened by the access policy (SASAC staff), not by Django's is_staff flag."""

    site_header = _("Reform task supervision: administration")
    site_title = _("Reform task supervision")
    index_title = _("Administration")
    login_form = AdminLoginForm

    def has_permission(self, request):
        return policy.can_manage(request.user)


class PolicyAdmin(admin.ModelAdmin):
    """A model admin whose rights come from the access policy."""

    def has_module_permission(self, request):
        return policy.can_manage(request.user)

    def _may_manage(self, request, obj=None):
        return policy.can_manage(request.user)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _may_manage


class PolicyInline(admin.TabularInline):
    extra = 0

    def _may_manage(self, request, obj=None):
        return policy.can_manage(request.user)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _may_manage


class ReadOnlyPolicyAdmin(PolicyAdmin):
    """A record the platform writes itself (an audit trail): staff read it here, never write it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
