from django.contrib import admin
from django.db import models

from orgs.admin_site import DATES, PolicyAdmin
from tasks.reminders.models import UnitWebhook


@admin.register(UnitWebhook)
class UnitWebhookAdmin(PolicyAdmin):
    list_display = ["unit", "flavour", "is_active"]
    list_filter = ["flavour", "is_active"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]
    formfield_overrides = {**DATES, models.URLField: {"assume_scheme": "https"}}
