from django.contrib import admin

from orgs.admin_site import PolicyAdmin
from reform.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(PolicyAdmin):
    list_display = ["at", "kind", "username", "address", "detail", "request_id"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address", "request_id"]
    date_hierarchy = "at"
    show_full_result_count = False  # a long log: no second count over all of it

    # Written by the platform alone, read here; never changed or removed (reform.audit).
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
