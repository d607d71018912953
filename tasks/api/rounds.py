"""月报 over the API: the rounds, each unit's part in one (over the caller's scope: a reporter sees its
own unit's), the missing list; staff open and close rounds through the browser's services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reform.api.described import DescribedSerializer, bilingual
from tasks.models import Assignment, ReportingRound
from tasks.rounds import round_missing, round_standing
from tasks.services.rounds import round_close, round_open


class UnitStandingSerializer(serializers.Serializer):
    """一个单位在本轮中的情况 / A unit's part in a round."""

    unit = serializers.IntegerField(source="unit_id", help_text=bilingual(_("Unit")))
    unit_name = serializers.CharField(source="name", help_text=bilingual(_("Unit name")))
    owed = serializers.IntegerField(help_text=bilingual(_("Work owing the report")))
    reported = serializers.IntegerField(help_text=bilingual(_("Work reported")))
    completed_at = serializers.DateTimeField(allow_null=True, help_text=bilingual(_("All reported at")))
    days_late = serializers.SerializerMethodField(help_text=bilingual(_("Days late")))

    def get_days_late(self, standing) -> int | None:
        return standing.days_late(self.context["deadline"])


class ReportingRoundSerializer(DescribedSerializer):
    """月报轮次 / A month's reporting round."""

    is_open = serializers.BooleanField(read_only=True, help_text=bilingual(_("Open")))

    class Meta:
        model = ReportingRound
        fields = ["id", "period", "deadline", "note", "is_open", "opened_by", "opened_at", "closed_by", "closed_at"]
        read_only_fields = ["id", "is_open", "opened_by", "opened_at", "closed_by", "closed_at"]
        # One round a month is the service's rule, told in its own words.
        extra_kwargs = {"period": {"validators": []}}


class ReportingRoundDetailSerializer(ReportingRoundSerializer):
    units = serializers.SerializerMethodField(help_text=bilingual(_("Units")))

    class Meta(ReportingRoundSerializer.Meta):
        fields = [*ReportingRoundSerializer.Meta.fields, "units"]

    @extend_schema_field(UnitStandingSerializer(many=True))
    def get_units(self, reporting_round) -> list:
        standings = round_standing(self.context["request"].user, reporting_round)
        return UnitStandingSerializer(standings, many=True, context={"deadline": reporting_round.deadline}).data


class MissingWorkSerializer(DescribedSerializer):
    """未报送的任务分工 / Work with no report for the round's month."""

    unit_name = serializers.CharField(source="unit.name", help_text=bilingual(_("Unit name")))
    task_number = serializers.CharField(source="task.number", help_text=bilingual(_("Task number")))
    task_title = serializers.CharField(source="task.title", help_text=bilingual(_("Task")))

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "task", "task_number", "task_title", "status"]


class ReportingRoundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """月报 / Monthly reporting rounds: opened and closed by staff; a round's units and missing list are
    the caller's to see (a reporter's own unit's)."""

    queryset = ReportingRound.objects.all()
    paged_actions = ("missing",)
    ordering_fields = ["period", "deadline", "id"]
    ordering = ["-period"]

    def get_serializer_class(self):
        return ReportingRoundDetailSerializer if self.action == "retrieve" else ReportingRoundSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = round_open(
            user=self.request.user, period=data["period"], deadline=data["deadline"], note=data.get("note", "")
        )

    @extend_schema(request=None, responses=ReportingRoundDetailSerializer, summary=_("Close and file the summary"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        closed = round_close(user=request.user, round_id=self.get_object().pk)
        return Response(ReportingRoundDetailSerializer(closed, context={"request": request}).data)

    @extend_schema(responses=MissingWorkSerializer(many=True), summary=_("Not reported yet"))
    @action(detail=True, methods=["get"], filter_backends=[])
    def missing(self, request, pk=None):
        reporting_round = self.get_object()
        # A closed round's missing list is its filed summary: the work may have been reported since.
        rows = round_missing(request.user, reporting_round.period)
        if not reporting_round.is_open:
            rows = rows.none()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MissingWorkSerializer(page, many=True).data)
