from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reform.api.described import DescribedSerializer, bilingual
from reform.values import WholeNumberSerializerField
from tasks.models import Assignment, Milestone, Plan, Section, Task
from tasks.services.assignments import TRANSITIONS


class PlanSerializer(DescribedSerializer):
    """计划及其任务、分工、销号数 / A plan with its counts of tasks, assignments and accepted work."""

    task_count = serializers.IntegerField(read_only=True, help_text=bilingual(_("Tasks")))
    assignment_count = serializers.IntegerField(read_only=True, help_text=bilingual(_("Units' assignments")))
    accepted_count = serializers.IntegerField(read_only=True, help_text=bilingual(_("Accepted")))

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "doc_number",
            "issuer",
            "issued_on",
            "kind",
            "period_start",
            "period_end",
            "source_name",
            "task_count",
            "assignment_count",
            "accepted_count",
            "created_at",
            "updated_at",
        ]


class SectionSerializer(DescribedSerializer):
    """改革领域 / A section (reform area) of a plan."""

    class Meta:
        model = Section
        fields = ["id", "plan", "parent", "number", "title", "position"]


class MilestoneSerializer(DescribedSerializer):
    """里程碑 / A dated step of a task."""

    class Meta:
        model = Milestone
        fields = ["id", "task", "position", "due", "text", "deliverables"]


class AssignmentSerializer(DescribedSerializer):
    """任务分工 / A unit's share of a task and how far it has got."""

    plan = serializers.IntegerField(source="task.plan_id", read_only=True, help_text=bilingual(_("Plan")))
    task_number = serializers.CharField(source="task.number", read_only=True, help_text=bilingual(_("Task number")))
    task_title = serializers.CharField(source="task.title", read_only=True, help_text=bilingual(_("Task")))
    unit_name = serializers.CharField(source="unit.name", read_only=True, help_text=bilingual(_("Unit")))
    deadline = serializers.DateField(
        source="effective_due", read_only=True, help_text=bilingual(_("Deadline (its own, else the task's)"))
    )
    light = serializers.CharField(read_only=True, help_text=bilingual(_("Light (red, yellow, green, gray)")))
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[(name, t.label) for name, t in TRANSITIONS.items()]),
        read_only=True,
        help_text=bilingual(_("Actions the caller may take now")),
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "plan",
            "task_number",
            "task_title",
            "unit",
            "unit_name",
            "role",
            "status",
            "due",
            "deadline",
            "light",
            "latest_period",
            "latest_percent",
            "version",
            "status_changed_at",
            "created_at",
            "updated_at",
            "actions",
        ]


class TaskAssignmentSerializer(DescribedSerializer):
    """任务中的单位分工 / A unit's share as a task shows it."""

    unit_name = serializers.CharField(source="unit.name", read_only=True, help_text=bilingual(_("Unit")))

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "role", "status", "due", "latest_period", "latest_percent", "version"]


class TaskSerializer(DescribedSerializer):
    """任务 / A task with its light and how many of its units' assignments are accepted."""

    light = serializers.CharField(read_only=True, help_text=bilingual(_("Light (red, yellow, green, gray)")))
    assignments_total = serializers.IntegerField(
        source="total", read_only=True, help_text=bilingual(_("Units' assignments"))
    )
    assignments_accepted = serializers.IntegerField(
        source="accepted", read_only=True, help_text=bilingual(_("Accepted"))
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "number",
            "title",
            "body",
            "position",
            "due",
            "due_inherited",
            "recurrence",
            "light",
            "assignments_total",
            "assignments_accepted",
            "created_at",
            "updated_at",
        ]


class TaskDetailSerializer(TaskSerializer):
    """任务详情 / A task with its milestones and its units' assignments (a reporter's: its own unit's)."""

    milestones = MilestoneSerializer(many=True, read_only=True, help_text=bilingual(_("Milestones")))
    # A list leaves them out: a city's task has sixty; ``assignments/?task=`` pages them.
    assignments = TaskAssignmentSerializer(
        source="visible_assignments", many=True, read_only=True, help_text=bilingual(_("Units' assignments"))
    )

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "assignments", "milestones"]


class ActionSerializer(serializers.Serializer):
    """办理动作的意见与版本 / What an action on an assignment takes."""

    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=bilingual(_("Comment (a reason where one is needed)"))
    )
    version = WholeNumberSerializerField(
        required=False,
        min_value=1,
        help_text=bilingual(_("The version the caller last saw: a stale one is refused with 409")),
    )
