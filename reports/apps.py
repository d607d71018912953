from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and dashboard")

    def ready(self):
        from reports import checks, signals  # noqa: F401  (checks register themselves)

        signals.connect()
