"""What units and staff record on assignments, over the API: progress reports with their evidence,
extension requests and their decisions, supervision notices. Each write is the browser's service."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from reform.api.described import DescribedSerializer, bilingual
from reform.api.errors import expected_version, id_of
from reform.api.filters import IdFilter
from reform.files import file_download
from reform.values import IdSerializerField, WholeNumberSerializerField
from tasks.choices import ExtensionStatus, NoticeGrade
from tasks.models import Assignment, Evidence, ExtensionRequest, ProgressReport, Question, SupervisionNotice
from tasks.selectors import of_work, report_evidence
from tasks.services import (
    evidence_add,
    evidence_delete,
    extension_decide,
    extension_request,
    notice_close,
    notice_issue,
    notice_respond,
    progress_report_submit,
    question_answer,
    question_ask,
)

UPLOADS = [MultiPartParser, FormParser]

# --- Evidence --------------------------------------------------------------------------------------


class EvidenceSerializer(DescribedSerializer):
    """佐证材料 / An evidence file of a progress report."""

    download = serializers.SerializerMethodField(help_text=bilingual(_("Where to download it")))

    class Meta:
        model = Evidence
        fields = ["id", "report", "original_name", "size", "sha256", "content_type", "uploaded_at", "download"]

    @extend_schema_field(OpenApiTypes.URI_REF)  # a path on this platform, not a whole address
    def get_download(self, evidence) -> str:
        return reverse("api:evidence-download", kwargs={"pk": evidence.pk})


class EvidenceUploadSerializer(serializers.Serializer):
    """上传佐证材料 / Evidence files for a report already made."""

    report = IdSerializerField(help_text=bilingual(_("The progress report they support")))
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text=bilingual(_("PDF, Word, Excel, image or OFD files, judged by their content")),
    )


class EvidenceFilter(filters.FilterSet):
    report = IdFilter(label=_("Progress report"))
    assignment = IdFilter(label=_("Assignment"), field_name="report__assignment")

    class Meta:
        model = Evidence
        fields = ["report", "assignment"]


class EvidenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """佐证材料 / Evidence files: uploaded by the assignment's own unit, downloaded by whoever sees the work,
    withdrawn by the unit before the work is accepted."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["uploaded_at", "id"]
    ordering = ["-uploaded_at", "-id"]
    parser_classes = [JSONParser, *UPLOADS]

    def get_queryset(self):
        return Evidence.objects.visible_to(self.request.user)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer(many=True)}
    )
    def create(self, request):
        given = EvidenceUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        kept = evidence_add(
            report_id=given.validated_data["report"], user=request.user, files=given.validated_data["files"]
        )
        return Response(EvidenceSerializer(kept, many=True).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        evidence_delete(evidence_id=id_of(pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary=_("Download"))
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        return file_download(
            evidence.file,
            filename=evidence.original_name,
            content_type=evidence.content_type or "application/octet-stream",
        )


# --- Progress reports --------------------------------------------------------------------------------


class ProgressReportSerializer(DescribedSerializer):
    """进展报告（月报）/ A unit's progress report for a month, with its evidence."""

    author_name = serializers.CharField(source="author.full_name", read_only=True, help_text=bilingual(_("Author")))
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=bilingual(_("Evidence files")))

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "assignment",
            "period",
            "text",
            "percent",
            "combined",
            "author",
            "author_name",
            "created_at",
            "evidence",
        ]


class ProgressReportCreateSerializer(serializers.Serializer):
    """报送进展 / A progress report to make, with its evidence."""

    assignment = IdSerializerField(help_text=bilingual(_("The assignment reported on")))
    period = serializers.CharField(max_length=7, help_text=bilingual(_("The month reported on, as YYYY-MM.")))
    percent = WholeNumberSerializerField(min_value=0, max_value=100, help_text=bilingual(_("Percent complete")))
    text = serializers.CharField(help_text=bilingual(_("Progress")))
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=bilingual(_("PDF, Word, Excel, image or OFD files, judged by their content")),
    )
    done = serializers.BooleanField(
        required=False, default=False, help_text=bilingual(_("The work is done: submit it for review"))
    )
    delivers = serializers.ListField(
        child=serializers.CharField(max_length=600),
        required=False,
        default=list,
        help_text=bilingual(
            _("The deliverables the files deliver, each as “milestone id:name” (a milestone's deliverables).")
        ),
    )
    combined = serializers.BooleanField(
        required=False,
        default=False,
        help_text=bilingual(_("As the lead unit, for all the task's units: staff review it as the task's.")),
    )
    version = WholeNumberSerializerField(
        required=False,
        min_value=1,
        help_text=bilingual(_("The version the caller last saw: a stale one is refused with 409")),
    )


class ProgressReportFilter(filters.FilterSet):
    assignment = IdFilter(label=_("Assignment"))
    task = IdFilter(label=_("Task"), method="of_task")
    # A unit's work is wide (a province unit has a thousand assignments): its newest reports are
    # found quickest by walking the newest of all.
    unit = IdFilter(label=_("Unit"), field_name="assignment__unit")

    def of_task(self, queryset, name, value):
        """The reports of the task's assignments (a few dozen), asked by their ids (of_work)."""
        return of_work(queryset, Assignment.objects.filter(task=value))

    period = filters.CharFilter(label=_("Report month"))

    class Meta:
        model = ProgressReport
        fields = ["assignment", "task", "unit", "period"]


class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """进展报告 / Progress reports: made by the assignment's own unit, read by whoever sees the work."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    ordering_fields = ["created_at", "period", "id"]
    ordering = ["-created_at", "-id"]
    parser_classes = [JSONParser, *UPLOADS]

    def get_queryset(self):
        reports = ProgressReport.objects.visible_to(self.request.user)
        return reports.select_related("author").prefetch_related(report_evidence())

    @extend_schema(
        request={
            "multipart/form-data": ProgressReportCreateSerializer,
            "application/json": ProgressReportCreateSerializer,
        },
        responses={201: ProgressReportSerializer},
    )
    def create(self, request):
        given = ProgressReportCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        report = progress_report_submit(
            assignment_id=data["assignment"],
            user=request.user,
            period=data["period"],
            text=data["text"],
            percent=data["percent"],
            files=data["files"],
            done=data["done"],
            combined=data["combined"],
            delivers=data["delivers"],
            expected_version=expected_version(request, data.get("version")),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data, status=status.HTTP_201_CREATED)


# --- Extension requests ------------------------------------------------------------------------------


class OnAssignmentSerializer(DescribedSerializer):
    """A record made on an assignment: the assignment is given as a number, looked up by the service
    through the access policy (another unit's answers 404 there, not a field error here)."""

    def get_fields(self):
        fields = super().get_fields()
        fields["assignment"] = IdSerializerField(source="assignment_id", help_text=fields["assignment"].help_text)
        return fields


class ExtensionSerializer(OnAssignmentSerializer):
    """延期申请 / A unit's request for a later due date, and staff's decision."""

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "assignment",
            "reason",
            "proposed_due",
            "previous_due",
            "status",
            "requested_by",
            "created_at",
            "decided_by",
            "decision_comment",
            "decided_at",
        ]
        read_only_fields = [f for f in fields if f not in ("assignment", "reason", "proposed_due")]


class DecisionSerializer(serializers.Serializer):
    """延期申请的决定 / Staff's decision on an extension request."""

    approve = serializers.BooleanField(help_text=bilingual(_("Approve (the new date applies) or refuse")))
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=bilingual(_("Comment (a reason where one is needed)"))
    )


class ExtensionFilter(filters.FilterSet):
    assignment = IdFilter(label=_("Assignment"))
    status = filters.ChoiceFilter(label=_("Status"), choices=ExtensionStatus.choices)

    class Meta:
        model = ExtensionRequest
        fields = ["assignment", "status"]


class ExtensionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """延期申请 / Extension requests: asked by the assignment's own unit, decided by staff."""

    serializer_class = ExtensionSerializer
    filterset_class = ExtensionFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return ExtensionRequest.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = extension_request(
            assignment_id=data["assignment_id"],
            user=self.request.user,
            reason=data["reason"],
            proposed_due=data["proposed_due"],
        )

    @extend_schema(request=DecisionSerializer, responses=ExtensionSerializer, summary=_("Decide"))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decided = extension_decide(request_id=self.get_object().pk, user=request.user, **given.validated_data)
        return Response(self.get_serializer(decided).data)


# --- Supervision notices -----------------------------------------------------------------------------


class NoticeSerializer(OnAssignmentSerializer):
    """督办单 / A numbered supervision notice to a unit about its assignment."""

    number = serializers.CharField(read_only=True, help_text=bilingual(_("Notice number")))

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "number",
            "assignment",
            "grade",
            "issued_grade",
            "text",
            "respond_by",
            "issued_by",
            "issued_at",
            "response",
            "responded_at",
            "escalated_at",
            "closed_at",
            "close_reason",
        ]
        read_only_fields = [f for f in fields if f not in ("assignment", "grade", "text", "respond_by")]


class NoticeResponseSerializer(serializers.Serializer):
    """对督办单的答复 / The unit's answer to a notice."""

    text = serializers.CharField(help_text=bilingual(_("Response")))


class NoticeCloseSerializer(serializers.Serializer):
    """办结督办单 / Why staff close a notice."""

    reason = serializers.CharField(help_text=bilingual(_("Why closed")))


class NoticeFilter(filters.FilterSet):
    assignment = IdFilter(label=_("Assignment"))
    grade = filters.ChoiceFilter(label=_("Grade"), choices=NoticeGrade.choices)
    open = filters.BooleanFilter(label=_("Open only"), field_name="closed_at", lookup_expr="isnull")

    class Meta:
        model = SupervisionNotice
        fields = ["assignment", "grade", "open"]


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """督办单 / Supervision notices: issued and closed by staff, answered by the unit."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    ordering_fields = ["issued_at", "respond_by", "id"]
    ordering = ["-issued_at", "-id"]

    def get_queryset(self):
        return SupervisionNotice.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = notice_issue(
            assignment_id=data["assignment_id"],
            user=self.request.user,
            grade=data["grade"],
            text=data["text"],
            respond_by=data["respond_by"],
        )

    @extend_schema(request=NoticeResponseSerializer, responses=NoticeSerializer, summary=_("Respond"))
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        given = NoticeResponseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        notice = notice_respond(notice_id=self.get_object().pk, user=request.user, text=given.validated_data["text"])
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=NoticeCloseSerializer, responses=NoticeSerializer, summary=_("Close"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        given = NoticeCloseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        notice = notice_close(notice_id=self.get_object().pk, user=request.user, reason=given.validated_data["reason"])
        return Response(self.get_serializer(notice).data)


# --- Units' questions ----------------------------------------------------------------------------------


class QuestionSerializer(OnAssignmentSerializer):
    """单位提问 / A unit's question to the office about its work, and staff's answer."""

    class Meta:
        model = Question
        fields = ["id", "assignment", "text", "asked_by", "asked_at", "answer", "answered_by", "answered_at"]
        read_only_fields = [f for f in fields if f not in ("assignment", "text")]


class QuestionAnswerSerializer(serializers.Serializer):
    """对单位提问的答复 / Staff's answer to a question."""

    text = serializers.CharField(help_text=bilingual(_("Answer")))


class QuestionFilter(filters.FilterSet):
    assignment = IdFilter(label=_("Assignment"))
    unanswered = filters.BooleanFilter(label=_("Not answered yet"), field_name="answered_at", lookup_expr="isnull")

    class Meta:
        model = Question
        fields = ["assignment", "unanswered"]


class QuestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """单位提问 / Units' questions: asked by the unit about its own work, answered by staff once."""

    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    ordering_fields = ["asked_at", "answered_at", "id"]
    ordering = ["-asked_at", "-id"]

    def get_queryset(self):
        return Question.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = question_ask(
            assignment_id=data["assignment_id"], user=self.request.user, text=data["text"]
        )

    @extend_schema(request=QuestionAnswerSerializer, responses=QuestionSerializer, summary=_("Answer"))
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        given = QuestionAnswerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        text = given.validated_data["text"]
        question = question_answer(question_id=self.get_object().pk, user=request.user, text=text)
        return Response(self.get_serializer(question).data)
