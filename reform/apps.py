from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformConfig(AppConfig):
    name = "reform"
    verbose_name = _("Platform")

    def ready(self):
        from django.urls import register_converter

        # Imported for what they do on import: the sign-in receivers, the ``__in_few`` lookup.
        from reform import audit, lookups  # noqa: F401
        from reform.values import IdConverter

        # ``<id:pk>`` in every address: ASCII digits that fit the database, else no such address.
        register_converter(IdConverter, "id")
