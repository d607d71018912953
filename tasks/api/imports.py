"""Importing a plan document over the API, staff's alone: upload (read at once when small, by the
worker when large), poll the parsed preview, confirm with decisions on unknown unit names."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from reform import values
from reform.api.described import DescribedSerializer, bilingual
from tasks.choices import ImportStatus, PlanKind
from tasks.import_messages import too_large_message
from tasks.models import PlanImport
from tasks.services.staged_import import (
    plan_upload_confirm,
    plan_upload_correct,
    plan_upload_receive,
    release_stalled_uploads,
    staged_preview,
)

# The multipart form around the file, allowed on top of IMPORT_MAX_BYTES.
FORM_OVERHEAD = 64 * 1024


class PlanImportSerializer(DescribedSerializer):
    """上传的方案文件及其解析结果 / An uploaded plan document and what reading it found."""

    unknown_names = serializers.SerializerMethodField(
        help_text=bilingual(_("Unit names found in no unit, alias or group: each needs a decision"))
    )

    class Meta:
        model = PlanImport
        fields = [
            "id",
            "original_name",
            "size",
            "sha256",
            "kind",
            "status",
            "progress",
            "error",
            "parsed",
            "warnings",
            "unit_choices",
            "unknown_names",
            "plan",
            "created_at",
            "updated_at",
        ]

    def get_unknown_names(self, staged) -> list[str]:
        if staged.status != ImportStatus.READY or not self.context.get("with_preview"):
            return []
        return staged_preview(staged).unknown_names


class PlanUploadSerializer(serializers.Serializer):
    """要导入的方案文件 / A plan document to import."""

    file = serializers.FileField(help_text=bilingual(_("A .txt, .docx, .xlsx or .pdf file with a text layer.")))
    kind = serializers.ChoiceField(
        choices=PlanKind.choices,
        required=False,
        allow_blank=True,
        help_text=bilingual(_("Recognise from the document")),
    )


class ConfirmSerializer(serializers.Serializer):
    """确认导入 / Confirm an import, with a decision for each unknown unit name."""

    unit_choices = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text=bilingual(
            _('For each unknown name: "unit:<id>", "group:<id>", "create" (a new unit) or "skip" (leave it out)')
        ),
    )


class PlanImportFilter(filters.FilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=ImportStatus.choices)

    class Meta:
        model = PlanImport
        fields = ["status"]


class PlanImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """方案导入 / Plan imports: upload a document, read its preview, confirm it (SASAC staff only)."""

    serializer_class = PlanImportSerializer
    filterset_class = PlanImportFilter
    staff_only = True
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # signed in and allowed: then uploads that lost their job go on
        release_stalled_uploads()

    def get_queryset(self):
        return PlanImport.objects.all()

    def get_serializer_context(self):
        # The preview (unknown names) reads the document again: for one import, not for a list.
        return {**super().get_serializer_context(), "with_preview": self.action != "list"}

    @extend_schema(request={"multipart/form-data": PlanUploadSerializer}, responses={201: PlanImportSerializer})
    def create(self, request):
        declared = values.declared_length(request)
        if declared > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD:
            # Refused on the declared length, before the body is read.
            return Response({"detail": too_large_message(declared)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        given = PlanUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        staged = plan_upload_receive(
            upload=given.validated_data["file"], kind=given.validated_data.get("kind", ""), user=request.user
        )
        return Response(self.get_serializer(staged).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConfirmSerializer, responses=PlanImportSerializer, summary=_("Confirm the import"))
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        staged = self.get_object()
        given = ConfirmSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        choices = given.validated_data.get("unit_choices")
        if choices is not None:
            plan_upload_correct(import_id=staged.pk, titles={}, leads={}, responsibles={}, choices=choices)
        plan_upload_confirm(import_id=staged.pk, user=request.user)
        staged.refresh_from_db()
        if staged.status == ImportStatus.READY and staged.error:
            # Refused by the import itself (a unit not decided): the upload waits for corrections.
            raise ValidationError({"detail": staged.error})
        return Response(self.get_serializer(staged).data)
