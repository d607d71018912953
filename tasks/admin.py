from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from orgs.admin_site import (
    NoDeletePolicyAdmin,
    NoDeletePolicyInline,
    ReadOnlyPolicyAdmin,
    ReadOnlyPolicyInline,
)
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

REFUSED_WORKFLOW = _("This record is made by the workflow and changed only through it, on the platform's pages.")


class HistoryAdmin(NoDeletePolicyAdmin, SimpleHistoryAdmin):
    """Content staff correct here, with the change history of each row one click away."""


class WorkflowRecordAdmin(ReadOnlyPolicyAdmin, SimpleHistoryAdmin):
    """A record the workflow makes, read here with its history; written only through the workflow."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a past version posted here whatever the change right: read, never restored.
        if request.method == "POST":
            raise PermissionDenied(REFUSED_WORKFLOW)
        return super().history_form_view(request, object_id, version_id, extra_context)


class SectionInline(NoDeletePolicyInline):
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
class SectionAdmin(NoDeletePolicyAdmin):
    list_display = ["__str__", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan"]


class MilestoneInline(NoDeletePolicyInline):
    model = Milestone
    fields = ["position", "due", "text", "deliverables"]


class AssignmentInline(ReadOnlyPolicyInline):
    # Units are assigned and removed on the task's edit page, whose rules keep what a unit has done.
    model = Assignment
    fields = ["unit", "role", "status", "printed_name", "via_group"]
    readonly_fields = fields


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
class AssignmentAdmin(WorkflowRecordAdmin):
    list_display = ["task", "unit", "role", "status", "status_changed_at"]
    list_filter = ["status", "role", "unit__kind", "task__plan"]
    search_fields = ["task__title", "unit__name", "printed_name"]
    list_select_related = ["task", "unit"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyPolicyAdmin):
    list_display = ["assignment", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["assignment__task__title", "assignment__unit__name", "comment"]
    list_select_related = ["assignment__task", "assignment__unit", "actor"]


class EvidenceInline(ReadOnlyPolicyInline):
    model = Evidence
    fields = ["original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(WorkflowRecordAdmin):
    list_display = ["assignment", "period", "percent", "author", "created_at"]
    list_filter = ["period"]
    search_fields = ["text", "assignment__task__title", "assignment__unit__name"]
    list_select_related = ["assignment__task", "assignment__unit", "author"]
    raw_id_fields = ["assignment"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(WorkflowRecordAdmin):
    list_display = ["original_name", "report", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type", "uploaded_at"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["report__assignment__task", "report__assignment__unit", "uploaded_by"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyPolicyAdmin):
    list_display = ["assignment", "proposed_due", "status", "requested_by", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["assignment__task__title", "assignment__unit__name", "reason"]
    list_select_related = ["assignment__task", "assignment__unit", "requested_by", "decided_by"]


@admin.register(PlanImport)
class PlanImportAdmin(ReadOnlyPolicyAdmin):
    list_display = ["original_name", "status", "created_by", "created_at", "plan"]
    list_filter = ["status"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["created_by", "plan"]
    # Uploads arrive, are checked, confirmed and discarded through the import page.
    exclude = ["parsed"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyPolicyAdmin):
    list_display = ["task", "assignment", "author", "created_at"]
    search_fields = ["text", "task__title"]
    list_select_related = ["task", "assignment__unit", "assignment__task", "author"]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(WorkflowRecordAdmin):
    list_display = ["__str__", "assignment", "grade", "respond_by", "responded_at", "closed_at"]
    list_filter = ["grade", "year"]
    search_fields = ["text", "response", "assignment__unit__name", "assignment__task__title"]
    list_select_related = ["assignment__task", "assignment__unit"]


@admin.register(MilestoneCompletion)
class MilestoneCompletionAdmin(ReadOnlyPolicyAdmin):
    list_display = ["milestone", "assignment", "done_by", "done_at"]
    search_fields = ["milestone__text", "assignment__unit__name"]
    list_select_related = ["milestone", "assignment__task", "assignment__unit", "done_by"]
