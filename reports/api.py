"""The dashboard's figures and report jobs over the API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from reform.api.described import DescribedSerializer, bilingual
from reform.files import file_download
from reform.values import DaySerializerField, IdSerializerField
from reports.dashboard import HEADLINE, dashboard
from reports.ledger import content_type_of
from reports.models import GeneratedReport, ReportKind, ReportStatus
from reports.selectors import reports_for
from reports.services import fail_stalled_reports, report_request
from tasks.forms import ScopeForm
from tasks.work import MEASURES, work_list_url


def _described(field_class, text, **kwargs):
    return field_class(help_text=bilingual(text), **kwargs)


class CountsSerializer(serializers.Serializer):
    """按口径的数量 / The work counted by each measure."""

    all = _described(serializers.IntegerField, MEASURES["all"])
    accepted = _described(serializers.IntegerField, MEASURES["accepted"])
    in_progress = _described(serializers.IntegerField, MEASURES["in_progress"])
    overdue = _described(serializers.IntegerField, MEASURES["overdue"])
    due_soon = _described(serializers.IntegerField, MEASURES["due_soon"])
    report_missing = _described(serializers.IntegerField, MEASURES["report_missing"])


class FiguresSerializer(serializers.Serializer):
    """总体数字 / The headline figures."""

    tasks = _described(serializers.IntegerField, _("Tasks"))
    counts = CountsSerializer(help_text=bilingual(_("Units' assignments by measure")))
    accepted_share = _described(serializers.FloatField, _("Share accepted (0 to 1)"))


class GroupSerializer(serializers.Serializer):
    """分组统计（领域、年度或单位）/ Work grouped by reform area, deadline year or unit."""

    key = _described(serializers.IntegerField, _("The area's, year's or unit's id"), allow_null=True)
    label = _described(serializers.CharField, _("Name"))
    total = _described(serializers.IntegerField, MEASURES["all"])
    accepted = _described(serializers.IntegerField, MEASURES["accepted"])
    overdue = _described(serializers.IntegerField, MEASURES["overdue"])
    days_late = _described(serializers.FloatField, _("Average days late of the overdue work"), allow_null=True)
    share = _described(serializers.FloatField, _("Share accepted (0 to 1)"))


class MonthSerializer(serializers.Serializer):
    """燃尽图的一个月 / A month of the burn-up."""

    month = _described(serializers.DateField, _("The month (its first day)"))
    due = _described(serializers.IntegerField, _("Work falling due by the month's end"))
    accepted = _described(serializers.IntegerField, _("Work accepted by the month's end"))
    to_come = _described(serializers.BooleanField, _("A month still to come"))


class OverdueSerializer(serializers.Serializer):
    """逾期最久的分工 / Work longest overdue."""

    id = _described(serializers.IntegerField, _("Assignment"))
    task = _described(serializers.IntegerField, _("Task"))
    task__number = _described(serializers.CharField, _("Task number"))
    task__title = _described(serializers.CharField, _("Title"))
    unit__name = _described(serializers.CharField, _("Unit"))
    deadline = _described(serializers.DateField, _("Deadline (its own, else the task's)"))
    status = _described(serializers.CharField, _("Status"))
    days = _described(serializers.IntegerField, _("Days late"))


class MilestoneDueSerializer(serializers.Serializer):
    """本月到期的里程碑 / A milestone due this month."""

    id = _described(serializers.IntegerField, _("Milestone"))
    task = _described(serializers.IntegerField, _("Task"))
    task__number = _described(serializers.CharField, _("Task number"))
    task__title = _described(serializers.CharField, _("Title"))
    text = _described(serializers.CharField, _("What must be done"))
    due = _described(serializers.DateField, _("Due"))
    done = _described(serializers.IntegerField, _("Units that have done it"))


class ActivitySerializer(serializers.Serializer):
    """最新动态 / A report or a review."""

    kind = _described(
        serializers.ChoiceField, _("Report or review"), choices=[("report", _("Report")), ("review", _("Review"))]
    )
    created_at = _described(serializers.DateTimeField, _("At"))
    assignment__task = _described(serializers.IntegerField, _("Task"))
    assignment__task__number = _described(serializers.CharField, _("Task number"))
    assignment__task__title = _described(serializers.CharField, _("Title"))
    assignment__unit__name = _described(serializers.CharField, _("Unit"))
    period = _described(serializers.CharField, _("Report month"), required=False)
    percent = _described(serializers.IntegerField, _("Percent complete"), required=False)
    review = _described(serializers.CharField, _("From status → to status"), required=False)


class DashboardSerializer(serializers.Serializer):
    """总览 / The dashboard: where the reform stands, and a month before."""

    as_of = _described(serializers.DateField, _("The day shown (empty for today)"), allow_null=True)
    figures = FiguresSerializer(help_text=bilingual(_("Now (or at the end of the day shown)")))
    previous = FiguresSerializer(help_text=bilingual(_("At the end of last month")))
    work_list = _described(
        serializers.DictField, _("Where each measure's work is listed"), child=serializers.CharField()
    )
    by_section = GroupSerializer(many=True, help_text=bilingual(_("Completion by reform area")))
    by_year = GroupSerializer(many=True, help_text=bilingual(_("Completion by year of deadline")))
    burn_up = MonthSerializer(many=True, help_text=bilingual(_("Work accepted against work falling due")))
    enterprises = GroupSerializer(many=True, help_text=bilingual(_("Enterprises ranked")))
    departments = GroupSerializer(many=True, help_text=bilingual(_("Departments and others ranked")))
    most_overdue = OverdueSerializer(many=True, help_text=bilingual(_("Longest overdue")))
    milestones = MilestoneDueSerializer(many=True, help_text=bilingual(_("This month's milestones")))
    activity = ActivitySerializer(many=True, help_text=bilingual(_("Latest activity")))


SCOPE_PARAMETERS = [
    OpenApiParameter("plan", OpenApiTypes.INT, description=bilingual(_("Plan"))),
    OpenApiParameter("year", OpenApiTypes.INT, description=bilingual(_("Deadline year"))),
    OpenApiParameter("unit_kind", OpenApiTypes.STR, description=bilingual(_("Unit kind"))),
    OpenApiParameter("unit", OpenApiTypes.INT, description=bilingual(_("Unit"))),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description=bilingual(_("As of"))),
]


class DashboardView(APIView):
    """总览数字 / The dashboard's figures, with the page's filters and day: a reporter's are its own
    unit's. ``work_list`` gives, for each measure, the page listing the work it counts."""

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=DashboardSerializer)
    def get(self, request):
        form = ScopeForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            return Response(form.errors, status=400)
        scope = form.scope()
        board = dashboard(request.user, scope)
        lists = {m: request.build_absolute_uri(work_list_url(scope, measure=m)) for m in HEADLINE}
        return Response(DashboardSerializer(dict(vars(board), as_of=scope.as_of, work_list=lists)).data)


# --- Report jobs -----------------------------------------------------------------------------------


class ReportJobSerializer(DescribedSerializer):
    """报告任务 / A report asked for: its state while it is made, then its file."""

    download = serializers.SerializerMethodField(help_text=bilingual(_("Where to download it, once made")))

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "kind",
            "plan",
            "unit",
            "task",
            "as_of",
            "params",
            "status",
            "progress",
            "error",
            "filename",
            "size",
            "sha256",
            "code",
            "pages",
            "created_at",
            "finished_at",
            "download",
        ]

    @extend_schema_field(OpenApiTypes.URI_REF)  # a path on this platform, not a whole address
    def get_download(self, report) -> str | None:
        if report.status != ReportStatus.DONE:
            return None
        return reverse("api:report-job-download", kwargs={"pk": report.pk})


class ReportJobRequestSerializer(serializers.Serializer):
    """要生成的报告 / A report to make: a PDF (progress, overdue, unit, dossier) or a work ledger."""

    kind = serializers.ChoiceField(choices=ReportKind.choices, help_text=bilingual(_("Kind of report")))
    plan = IdSerializerField(required=False, help_text=bilingual(_("Plan (progress, overdue, ledger)")))
    unit = IdSerializerField(required=False, help_text=bilingual(_("Unit (unit report; narrows a ledger)")))
    task = IdSerializerField(required=False, help_text=bilingual(_("Task (dossier)")))
    as_of = DaySerializerField(required=False, help_text=bilingual(_("As of")))
    format = serializers.ChoiceField(
        choices=[("xlsx", _("Excel workbook")), ("csv", _("CSV (UTF-8)"))],
        required=False,
        help_text=bilingual(_("A ledger's file format")),
    )
    section = IdSerializerField(required=False, help_text=bilingual(_("Section")))
    role = serializers.CharField(required=False, help_text=bilingual(_("Role")))
    status = serializers.CharField(required=False, help_text=bilingual(_("Status")))
    light = serializers.CharField(required=False, help_text=bilingual(_("Light")))
    due_after = DaySerializerField(required=False, help_text=bilingual(_("Due from")))
    due_before = DaySerializerField(required=False, help_text=bilingual(_("Due until")))
    q = serializers.CharField(required=False, help_text=bilingual(_("Search")))


class ReportJobFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(label=_("Kind of report"), choices=ReportKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = GeneratedReport
        fields = ["kind", "status"]


class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """报告任务 / Reports asked for: made at once when small, by the worker when large; poll a job until
    it is ``done`` (or ``failed``, with the reason), then download its file. Each caller sees their own;
    those who see everything, all."""

    serializer_class = ReportJobSerializer
    filterset_class = ReportJobFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    readers_may = ("create",)  # a report is a reading: leaders and auditors ask for them too

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):  # not while the schema is drawn
            fail_stalled_reports()
        return reports_for(self.request.user)

    @extend_schema(request=ReportJobRequestSerializer, responses={201: ReportJobSerializer})
    def create(self, request):
        given = ReportJobRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        params = dict(given.validated_data)
        report = report_request(params.pop("kind"), request.user, **params)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary=_("Download"))
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != ReportStatus.DONE:
            return Response({"detail": _("The report is not made yet.")}, status=status.HTTP_409_CONFLICT)
        return file_download(report.file, filename=report.filename, content_type=content_type_of(report.filename))
