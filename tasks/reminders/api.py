"""The caller's notifications over the API: listed, and marked read."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reform.api.described import DescribedSerializer, bilingual
from tasks.reminders.choices import Kind
from tasks.reminders.models import Notification
from tasks.reminders.selectors import inbox
from tasks.reminders.services import mark_read


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(label=_("Unread only"), field_name="read_at", lookup_expr="isnull")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationSerializer(DescribedSerializer):
    """通知 / A notification."""

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "assignment", "milestone", "read_at", "created_at"]


class MarkedSerializer(serializers.Serializer):
    """已标为已读 / How many were marked read."""

    marked = serializers.IntegerField(help_text=bilingual(_("Notifications marked read")))


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """通知 / The caller's own notifications in the platform, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    readers_may = ("read", "read_all")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a caller
            return Notification.objects.none()
        return inbox(self.request.user)

    @extend_schema(request=None, responses=MarkedSerializer, summary="标为已读 / Mark read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        return Response({"marked": mark_read(request.user, ids=[notification.pk])})

    @extend_schema(request=None, responses=MarkedSerializer, summary="全部标为已读 / Mark all read")
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        return Response({"marked": mark_read(request.user)})
