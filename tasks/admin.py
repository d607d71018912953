from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from orgs.admin_site import PolicyAdmin, PolicyInline, ReadOnlyPolicyAdmin
from tasks.models import (
    Assignment,
    Evidence,
    ExtensionRequest,
    Instruction,
    Milestone,
    MilestoneCompletion,
    Plan,
    PlanImport,
    ProgressReport,
    Section,
    StatusChange,
    SupervisionNotice,
    Task,
)


class HistoryAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """Admin with the change history of each row one click away."""


class SectionInline(PolicyInline):
    model = Section
    fields = ["position", "number", "title", "parent"]


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["title", "doc_number", "issuer", "issued_on", "kind"]
    list_filter = ["kind", "issuer"]
    search_fields = ["title", "doc_number", "issuer"]
    date_hierarchy = "issued_on"
    # The document as it was read: corrections go to its tasks, not to the source.
    readonly_fields = ["source_text", "source_sha256", "created_by", "created_at", "updated_at"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(PolicyAdmin):
    list_display = ["__str__", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan"]


class MilestoneInline(PolicyInline):
    model = Milestone
    fields = ["position", "due", "text", "deliverables"]


class AssignmentInline(PolicyInline):
    model = Assignment
    fields = ["unit", "role", "status", "printed_name", "via_group"]
    # Status moves only through the transition service.
    readonly_fields = ["status"]
    autocomplete_fields = ["unit"]


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    list_display = ["number", "title", "plan", "section", "due", "due_inherited"]
    list_filter = ["plan", "due_inherited", "recurrence"]
    search_fields = ["title", "body", "number"]
    list_select_related = ["plan", "section"]
    inlines = [MilestoneInline, AssignmentInline]


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ["__str__", "task", "due"]
    list_filter = ["task__plan"]
    search_fields = ["text", "task__title"]
    list_select_related = ["task"]


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
    list_display = ["task", "unit", "role", "status", "status_changed_at"]
    list_filter = ["status", "role", "unit__kind", "task__plan"]
    search_fields = ["task__title", "unit__name", "printed_name"]
    list_select_related = ["task", "unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["status", "status_changed_at", "version"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyPolicyAdmin):
    list_display = ["assignment", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["assignment__task__title", "assignment__unit__name", "comment"]
    list_select_related = ["assignment__task", "assignment__unit", "actor"]


class EvidenceInline(PolicyInline):
    model = Evidence
    fields = ["original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(HistoryAdmin):
    list_display = ["assignment", "period", "percent", "author", "created_at"]
    list_filter = ["period"]
    search_fields = ["text", "assignment__task__title", "assignment__unit__name"]
    list_select_related = ["assignment__task", "assignment__unit", "author"]
    raw_id_fields = ["assignment"]
    inlines = [EvidenceInline]

    # A unit's report is its own record, written through the task page: read here, not edited.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    list_display = ["original_name", "report", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type", "uploaded_at"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["report__assignment__task", "report__assignment__unit", "uploaded_by"]
    readonly_fields = ["size", "sha256", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["report"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(PolicyAdmin):
    list_display = ["assignment", "proposed_due", "status", "requested_by", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["assignment__task__title", "assignment__unit__name", "reason"]
    list_select_related = ["assignment__task", "assignment__unit", "requested_by", "decided_by"]
    raw_id_fields = ["assignment"]
    # Decided through the task page, where the decision moves the due date.
    readonly_fields = ["status", "decided_by", "decided_at", "previous_due"]


@admin.register(PlanImport)
class PlanImportAdmin(PolicyAdmin):
    list_display = ["original_name", "status", "created_by", "created_at", "plan"]
    list_filter = ["status"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["created_by", "plan"]
    exclude = ["parsed"]
    readonly_fields = [
        "original_name",
        "size",
        "sha256",
        "status",
        "progress",
        "error",
        "warnings",
        "plan",
        "created_by",
    ]

    # Uploads arrive through the import page, which reads and checks them.
    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instruction)
class InstructionAdmin(PolicyAdmin):
    list_display = ["task", "assignment", "author", "created_at"]
    search_fields = ["text", "task__title"]
    list_select_related = ["task", "assignment__unit", "assignment__task", "author"]
    raw_id_fields = ["task", "assignment"]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(HistoryAdmin):
    list_display = ["__str__", "assignment", "grade", "respond_by", "responded_at", "closed_at"]
    list_filter = ["grade", "year"]
    search_fields = ["text", "response", "assignment__unit__name", "assignment__task__title"]
    list_select_related = ["assignment__task", "assignment__unit"]
    raw_id_fields = ["assignment"]
    # Numbered, escalated and closed through the task page and the daily sweep.
    readonly_fields = ["year", "sequence", "escalated_at", "issued_by"]


@admin.register(MilestoneCompletion)
class MilestoneCompletionAdmin(PolicyAdmin):
    list_display = ["milestone", "assignment", "done_by", "done_at"]
    search_fields = ["milestone__text", "assignment__unit__name"]
    list_select_related = ["milestone", "assignment__task", "assignment__unit", "done_by"]
    raw_id_fields = ["assignment", "milestone"]
