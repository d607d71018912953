from functools import wraps

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.forms import LockoutMessage, refuse_unplaced
from reform.values import as_typed, tidy_text, validate_day


class AdminLoginForm(LockoutMessage, AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        # Not AdminAuthenticationForm's own check: that one asks for Django's is_staff flag.
        AuthenticationForm.confirm_login_allowed(self, user)
        refuse_unplaced(user)
        if not policy.can_manage(user):
            raise ValidationError(_("Only SASAC staff may use the administration pages."), code="invalid_login")


REFUSED = _("The administration is for SASAC staff. Your work is done on the platform's own pages.")


class ReformAdminSite(admin.AdminSite):
    """The admin, opened by the access policy (SASAC staff), not by Django's is_staff flag. A signed-in
    user who is not staff is refused plainly, not asked to sign in a second time."""

    site_header = _("Reform task supervision: administration")
    site_title = _("Reform task supervision")
    index_title = _("Administration")
    login_form = AdminLoginForm

    def has_permission(self, request):
        return policy.can_manage(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def staff_only(request, *args, **kwargs):
            self._refuse_others(request)
            return inner(request, *args, **kwargs)

        return staff_only

    def login(self, request, extra_context=None):
        self._refuse_others(request)
        return super().login(request, extra_context)

    def _refuse_others(self, request):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied(REFUSED)


class TextAsTypedForm(forms.ModelForm):
    """A text sent back as it was shown keeps what is stored: a browser returns a textarea's lines
    ending in CR LF, and saving a record unchanged must change nothing (nor write a history entry)."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea) and isinstance(data.get(name), str):
                stored = getattr(self.instance, name, "") if self.instance.pk else ""
                data[name] = as_typed(data[name], stored or "") if stored else tidy_text(data[name])
        return data

    def has_changed(self):
        # An inline row sent back as shown is not saved again.
        return super().has_changed() and any(self._changed_really(name) for name in self.changed_data)

    def _changed_really(self, name) -> bool:
        field = self.fields[name]
        if not isinstance(field.widget, forms.Textarea) or not self.instance.pk:
            return True
        given = self[name].value() or ""
        return tidy_text(str(given)) != tidy_text(str(getattr(self.instance, name, "") or ""))


# The administration's date fields, with the admin's own picker, take the days the platform's do: a
# deadline of 9999-12-31 would make the daily sweep's date arithmetic overflow.
DATES = {models.DateField: {"widget": widgets.AdminDateWidget, "validators": [validate_day]}}


class PolicyAdmin(admin.ModelAdmin):
    """A model admin whose rights come from the access policy."""

    form = TextAsTypedForm
    formfield_overrides = DATES

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # sent back as it was shown: nothing to save, nothing for the history
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return policy.can_manage(request.user)

    def _may_manage(self, request, obj=None):
        return policy.can_manage(request.user)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _may_manage


class PolicyInline(admin.TabularInline):
    extra = 0
    form = TextAsTypedForm
    formfield_overrides = DATES

    def _may_manage(self, request, obj=None):
        return policy.can_manage(request.user)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _may_manage


class ReadOnly:
    """Seen by those the policy lets see it; added, changed and deleted by nobody here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyPolicyAdmin(ReadOnly, PolicyAdmin):
    """A record the platform writes itself (an audit trail, a record of the workflow: instructions,
    notices and replies, reports, reviews, status changes, evidence, decisions): staff read it here,
    never write it — the workflow's pages and services do, with their rules and their history."""


class ReadOnlyPolicyInline(ReadOnly, PolicyInline):
    """Rows of a workflow record shown with it, read only."""


class NoDeletePolicyInline(PolicyInline):
    """Rows corrected with their record and not deleted: a milestone units have marked done, a section
    holding tasks, go through the workflow's own rules (the task's edit page)."""

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeletePolicyAdmin(PolicyAdmin):
    """Content staff correct here, which the workflow ends otherwise than by deleting: a plan's task is
    withdrawn by a revision, a unit's work cancelled, never deleted with everything recorded on it."""

    def has_delete_permission(self, request, obj=None):
        return False
