from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Units and users")


class ReformAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the policy-driven site of ``orgs.admin_site``."""

    default = False
    default_site = "orgs.admin_site.ReformAdminSite"
