from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DRFTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from orgs.admin_site import PolicyAdmin, PolicyInline
from orgs.models import Unit, UnitAlias, UnitGroup, User
from orgs.services import check_role_and_unit, check_subgroups

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


class UnitGroupForm(forms.ModelForm):
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
        fields = ["username", "full_name", "unit", "role"]


@admin.register(User)
class UserAdmin(PolicyAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "full_name", "unit__name", "email"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email"]}),
        (_("Unit and role"), {"fields": ["unit", "role"]}),
        (_("Account"), {"fields": ["is_active", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "unit", "role", "usable_password", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


# Staff see who holds an API token and revoke one (delete it) when it leaks; DRF's own admin for
# tokens follows Django's is_staff flag, not the policy.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(PolicyAdmin, DRFTokenAdmin):
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ()
    raw_id_fields = ("user",)
