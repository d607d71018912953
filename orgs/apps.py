from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Units and users")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from orgs.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="idle-clock")


class ReformAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the policy-driven site of ``orgs.admin_site``."""

    default = False
    default_site = "orgs.admin_site.ReformAdminSite"
