from django.contrib import admin

from orgs.admin_site import ReadOnlyPolicyAdmin
from reform.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyPolicyAdmin):
    list_display = ["at", "kind", "username", "address", "detail", "request_id"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address", "request_id"]
    date_hierarchy = "at"
    show_full_result_count = False  # a long log: no second count over all of it
