from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DRFTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from orgs.admin_site import PolicyAdmin, PolicyInline, TextAsTypedForm
from orgs.models import Unit, UnitAlias, UnitGroup, User
from orgs.services import check_role_and_unit, check_subgroups
from reform.audit import record
from reform.models import AuditKind

# Rights come from each user's role through orgs.policy, not from Django's groups.
admin.site.unregister(Group)


class UnitAliasInline(PolicyInline):
    model = UnitAlias


@admin.register(Unit)
class UnitAdmin(PolicyAdmin):
    list_display = ["name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [UnitAliasInline]


class UnitGroupForm(TextAsTypedForm):
    class Meta:
        model = UnitGroup
        fields = ["name", "description", "units", "subgroups"]

    def clean_subgroups(self):
        subgroups = self.cleaned_data["subgroups"]
        if self.instance.pk:
            check_subgroups(self.instance, subgroups)
        return subgroups


@admin.register(UnitGroup)
class UnitGroupAdmin(PolicyAdmin):
    form = UnitGroupForm
    list_display = ["name", "description"]
    search_fields = ["name", "units__name"]
    filter_horizontal = ["units", "subgroups"]


class RoleAndUnitChecked:
    """Refuses, in the form, a user the access policy could not place."""

    def clean(self):
        cleaned = super().clean()
        try:
            check_role_and_unit(
                role=cleaned.get("role", ""),
                unit=cleaned.get("unit"),
                is_superuser=cleaned.get("is_superuser", False),
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return cleaned


class UserChangeForm(RoleAndUnitChecked, DjangoUserChangeForm):
    class Meta(DjangoUserChangeForm.Meta):
        model = User


class UserAddForm(RoleAndUnitChecked, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "unit", "role", "must_change_password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A password staff chose is known to staff: its owner replaces it at the first sign-in.
        self.fields["must_change_password"].initial = True


class StaffPasswordForm(AdminPasswordChangeForm):
    """Staff setting someone's password: they must choose their own at the next sign-in."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(PolicyAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    change_password_form = StaffPasswordForm
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "full_name", "unit__name", "email"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email"]}),
        (_("Unit and role"), {"fields": ["unit", "role"]}),
        (
            _("Account"),
            {
                "fields": [
                    "is_active",
                    "is_superuser",
                    "must_change_password",
                    "password_changed_at",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "unit",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                    "must_change_password",
                ],
            },
        ),
    ]
    readonly_fields = ["password_changed_at", "last_login", "date_joined"]
    filter_horizontal = []

    def save_model(self, request, obj, form, change):
        changed = [name for name in form.changed_data if name not in ("password1", "password2")]
        if change and not changed:
            return  # saved as it was shown: no change to record
        super().save_model(request, obj, form, change)
        record(
            AuditKind.ACCOUNT_CHANGED,
            request=request,
            username=request.user.get_username(),
            account=obj.get_username(),
            created=not change,
            fields=changed,
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # saved, sent back to the account
            account = self.get_object(request, id)
            record(
                AuditKind.PASSWORD_SET,
                request=request,
                username=request.user.get_username(),
                account=account.get_username(),
            )
        return response


# Staff see who holds an API token and revoke one (delete it) when it leaks; DRF's own admin for
# tokens follows Django's is_staff flag, not the policy.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(PolicyAdmin, DRFTokenAdmin):
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ()
    raw_id_fields = ("user",)
