"""Plans, sections, tasks, milestones and assignments over the API. Reads are narrowed by the access
policy; every change goes through the same service as the browser's."""

from django.db.models import DateField, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from reform.api.cache import CachedListMixin
from reform.api.errors import expected_version, id_of
from tasks.api.serializers import (
    ActionSerializer,
    AssignmentSerializer,
    MilestoneSerializer,
    PlanSerializer,
    SectionSerializer,
    TaskDetailSerializer,
    TaskSerializer,
)
from tasks.filters import AssignmentFilter, MilestoneFilter, PlanFilter, SectionFilter, TaskFilter
from tasks.lights import LightRules
from tasks.models import Assignment, Milestone, Section, Task
from tasks.selectors import filtered_task_rows, light_of, plans_for, task_rows, with_milestone_due, with_plan_counts
from tasks.services.assignments import allowed_actions, assignment_transition


class PlanViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """计划（改革方案、整改清单）/ Plans: the ones the caller may see, with their counts."""

    serializer_class = PlanSerializer
    filter_backends = [filters.DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["title", "doc_number", "issuer"]
    filterset_class = PlanFilter
    ordering_fields = ["issued_on", "title", "created_at", "id"]
    ordering = ["-issued_on", "-id"]

    def get_queryset(self):
        return plans_for(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return with_plan_counts(list(queryset) if page is None else page, self.request.user)

    def get_object(self):
        (plan,) = with_plan_counts([super().get_object()], self.request.user)
        return plan


class SectionViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """改革领域（方案的章节）/ Sections of plans."""

    serializer_class = SectionSerializer
    filterset_class = SectionFilter
    ordering_fields = ["plan", "position", "id"]
    ordering = ["plan", "position", "id"]

    def get_queryset(self):
        return Section.objects.visible_to(self.request.user)


class MilestoneViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """里程碑（任务的分年度节点）/ Milestones of tasks."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["due", "position", "id"]
    ordering = ["task", "position", "id"]

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user)


def _visible_assignments(user) -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.visible_to(user).select_related("unit").order_by("role", "unit__name"),
        to_attr="visible_assignments",
    )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "sort",
            OpenApiTypes.STR,
            enum=["position", "due", "-due", "title", "light"],
            description="排序 / Sort: position, due, -due, title, light",
        )
    ]
)
class TaskViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """任务 / Tasks the caller may see, each with its light, chosen by the task list's filters; one task
    with its milestones and units' assignments (a reporter's: its own unit's)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return (
            Task.objects.visible_to(self.request.user)
            .filter(withdrawn_at__isnull=True)
            .select_related("plan", "section")
            .prefetch_related(_visible_assignments(self.request.user), "milestones")
        )

    def list_afresh(self, request, *args, **kwargs):
        # The list the task page shows (filters, lights, sort), a page of it.
        filterset, rows = filtered_task_rows(request.user, request.query_params)
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        page = self.paginate_queryset(rows)
        tasks = [_lit(row) for row in page]
        return self.get_paginated_response(self.get_serializer(tasks, many=True).data)

    def get_serializer_class(self):
        return TaskDetailSerializer if self.action == "retrieve" else TaskSerializer

    def get_object(self):
        task = super().get_object()
        today, rules = timezone.localdate(), LightRules.from_settings()
        (row,), _, _ = task_rows([task], self.request.user, today=today, rules=rules)
        return _lit(row)


def _lit(row):
    row.task.light, row.task.total, row.task.accepted = row.light, row.total, row.accepted
    return row.task


ASSIGNMENT_COLUMNS = (
    *(f.name for f in Assignment._meta.concrete_fields if f.name not in ("via_group", "printed_name")),
    "task__plan_id",
    "task__number",
    "task__title",
    "task__due",
    "task__plan__period_start",
    "task__plan__issued_on",
    "unit__name",
)


class AssignmentViewSet(CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """任务分工 / Units' assignments: a reporter's are its own unit's. Each action is a POST that makes
    the same move as the browser's button, refused with 409 when the version given is stale."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["deadline", "status", "updated_at", "id"]
    # The order of the (task, unit, role) index: a page is read off it, not sorted out of a plan's
    # 12,000 (29 → 1 ms at city scale); ``ordering=deadline`` sorts when asked.
    ordering = ["task_id", "unit_id", "role"]

    def get_queryset(self):
        assignments = (
            Assignment.objects.visible_to(self.request.user)
            .select_related("task__plan", "unit")
            # What a row shows and its light needs: a third less to read per row than whole objects.
            .only(*ASSIGNMENT_COLUMNS)
            .annotate(deadline=Coalesce("due", "task__due", output_field=DateField()))
        )
        return with_milestone_due(assignments, today=timezone.localdate(), rules=LightRules.from_settings())

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        today, rules, user = timezone.localdate(), LightRules.from_settings(), self.request.user
        instance = args[0] if args else None
        for assignment in instance if isinstance(instance, list) else [instance] if instance else []:
            assignment.light = light_of(assignment, today=today, rules=rules)
            assignment.actions = [t.action for t in allowed_actions(user, assignment)]
        return serializer

    def retrieve(self, request, *args, **kwargs):
        answer = super().retrieve(request, *args, **kwargs)
        answer["ETag"] = f'"{answer.data["version"]}"'
        return answer

    def _act(self, request, pk, name: str):
        given = ActionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        assignment_transition(
            assignment_id=id_of(pk),
            user=request.user,
            action=name,
            comment=given.validated_data["comment"],
            expected_version=expected_version(request, given.validated_data.get("version")),
        )
        return self.retrieve(request, pk=pk)

    @extend_schema(request=ActionSerializer, summary="开始 / Start")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(request, pk, "start")

    @extend_schema(request=ActionSerializer, summary="提交审核 / Submit for review")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, pk, "submit")

    @extend_schema(request=ActionSerializer, summary="验收销号 / Accept")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, pk, "accept")

    @extend_schema(request=ActionSerializer, summary="退回 / Return (a comment is required)")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(request, pk, "return")

    @extend_schema(request=ActionSerializer, summary="恢复办理 / Resume work")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(request, pk, "resume")

    @extend_schema(request=ActionSerializer, summary="重新打开 / Reopen (a comment is required)")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(request, pk, "reopen")

    @extend_schema(request=ActionSerializer, summary="撤销分工 / Cancel the assignment (a comment is required)")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, pk, "cancel")
