from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformConfig(AppConfig):
    name = "reform"
    verbose_name = _("Platform")

    def ready(self):
        from reform import audit  # noqa: F401  connects the sign-in receivers
