"""Units, unit groups and the caller over the API: names every user may read; staff manage units,
groups and users here as on their pages, through the same services (orgs.services), audited alike."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from orgs import policy, services
from orgs.choices import Role, UnitKind
from orgs.models import Unit, UnitGroup, User
from reform.api.cache import CachedListMixin
from reform.api.described import DescribedSerializer, bilingual
from reform.api.filters import IdFilter
from reform.values import IdRelatedField


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))
    parent = IdFilter(label=_("Parent unit"))

    class Meta:
        model = Unit
        fields = ["kind", "is_active", "parent"]


class UnitSerializer(DescribedSerializer):
    """单位 / A unit."""

    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text=bilingual(_("Other names in plan documents"))
    )

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent", "is_active", "aliases"]


class UnitGroupFilter(django_filters.FilterSet):
    unit = IdFilter(label=_("Member unit"), field_name="units")

    class Meta:
        model = UnitGroup
        fields = ["unit"]


class UnitGroupSerializer(DescribedSerializer):
    """单位组 / A unit group and its members."""

    class Meta:
        model = UnitGroup
        fields = ["id", "name", "description", "units", "subgroups"]


class MeSerializer(DescribedSerializer):
    """当前用户 / The caller."""

    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, help_text=bilingual(_("Unit")))

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "unit", "unit_name"]


class NameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text=bilingual(_("Name")))


class UnitCreateSerializer(NameSerializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices, help_text=bilingual(_("Kind")))


class StopSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text=bilingual(_("True: the open work has been read and the unit is to be stopped"))
    )


class UserSerializer(DescribedSerializer):
    """用户 / An account, as staff manage it."""

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "role",
            "unit",
            "is_active",
            "must_change_password",
            "last_login",
        ]


class UserAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text=bilingual(_("User name")))
    full_name = serializers.CharField(max_length=50, required=False, default="", help_text=bilingual(_("Full name")))
    role = serializers.ChoiceField(choices=Role.choices, help_text=bilingual(_("Role")))
    email = serializers.EmailField(required=False, default="", help_text=bilingual(_("E-mail")))


class TemporaryPasswordSerializer(serializers.Serializer):
    user = UserSerializer()
    temporary_password = serializers.CharField(help_text=bilingual(_("Shown once; to be changed at the first sign-in")))


def _added(user, password) -> Response:
    return Response({"user": UserSerializer(user).data, "temporary_password": password}, status=status.HTTP_201_CREATED)


class UnitViewSet(CachedListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """单位 / Units: departments, enterprises, districts; created, renamed and stopped by staff."""

    queryset = Unit.objects.prefetch_related("aliases")
    serializer_class = UnitSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_class = UnitFilter
    search_fields = ["name", "aliases__name"]
    ordering_fields = ["name", "kind", "id"]
    ordering = ["kind", "name"]

    def _unit_answer(self, unit, code=status.HTTP_200_OK) -> Response:
        return Response(UnitSerializer(self.get_queryset().get(pk=unit.pk)).data, status=code)

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer})
    def create(self, request):
        given = UnitCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        unit = services.unit_create(**given.validated_data, actor=request.user, request=request)
        return self._unit_answer(unit, status.HTTP_201_CREATED)

    @extend_schema(
        request=NameSerializer, responses={200: UnitSerializer}, summary=_("Rename, keeping the old name as an alias")
    )
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        given = NameSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        unit = services.unit_rename(
            unit=self.get_object(), name=given.validated_data["name"], actor=request.user, request=request
        )
        return self._unit_answer(unit)

    @extend_schema(request=NameSerializer, responses={200: UnitSerializer}, summary=_("Add an alias"))
    @action(detail=True, methods=["post"])
    def aliases(self, request, pk=None):
        given = NameSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        unit = self.get_object()
        services.unit_add_alias(unit=unit, name=given.validated_data["name"], actor=request.user, request=request)
        return self._unit_answer(unit)

    @extend_schema(request=StopSerializer, responses={200: UnitSerializer}, summary=_("Stop the unit"))
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        given = StopSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if not given.validated_data["confirm"]:
            raise serializers.ValidationError({"confirm": [_("Confirm that the unit is to be stopped.")]})
        unit = self.get_object()
        services.unit_set_active(unit=unit, active=False, actor=request.user, request=request)
        return self._unit_answer(unit)

    @extend_schema(request=None, responses={200: UnitSerializer}, summary=_("Bring the unit back"))
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        unit = self.get_object()
        services.unit_set_active(unit=unit, active=True, actor=request.user, request=request)
        return self._unit_answer(unit)

    @extend_schema(request=UserAddSerializer, responses={201: TemporaryPasswordSerializer}, summary=_("Add a user"))
    @action(detail=True, methods=["post"])
    def users(self, request, pk=None):
        given = UserAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user, password = services.user_add(
            unit=self.get_object(), actor=request.user, request=request, **given.validated_data
        )
        return _added(user, password)


class UnitGroupMembersSerializer(serializers.Serializer):
    units = IdRelatedField(
        queryset=Unit.objects.filter(is_active=True), many=True, help_text=bilingual(_("Member units"))
    )
    subgroups = IdRelatedField(
        queryset=UnitGroup.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text=bilingual(_("Included groups")),
    )


class UnitGroupCreateSerializer(NameSerializer):
    description = serializers.CharField(
        required=False, default="", allow_blank=True, help_text=bilingual(_("Description"))
    )


class UnitGroupViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """单位组（如“各区属企业”）/ Unit groups: collective names and the units they stand for."""

    queryset = UnitGroup.objects.prefetch_related("units", "subgroups")
    serializer_class = UnitGroupSerializer
    filterset_class = UnitGroupFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    @extend_schema(request=UnitGroupCreateSerializer, responses={201: UnitGroupSerializer})
    def create(self, request):
        given = UnitGroupCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        group = services.unit_group_create(**given.validated_data, actor=request.user, request=request)
        return Response(UnitGroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UnitGroupMembersSerializer, responses={200: UnitGroupSerializer}, summary=_("Set the members")
    )
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        given = UnitGroupMembersSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        group = services.unit_group_set_members(
            group=self.get_object(), actor=request.user, request=request, **given.validated_data
        )
        return Response(UnitGroupSerializer(self.get_queryset().get(pk=group.pk)).data)


class UserFilter(django_filters.FilterSet):
    unit = IdFilter(label=_("Unit"))
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["unit", "role", "is_active"]


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """用户 / Accounts, for staff: their passwords reset, deactivated and reactivated."""

    serializer_class = UserSerializer
    filterset_class = UserFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["username", "full_name"]
    ordering_fields = ["username", "id"]
    ordering = ["username"]

    queryset = User.objects.all()

    def get_queryset(self):
        if not policy.can_manage(self.request.user):
            raise PermissionDenied(_("Only SASAC staff manage units and users."))
        return super().get_queryset()

    @extend_schema(request=None, responses={201: TemporaryPasswordSerializer}, summary=_("Reset the password"))
    @action(detail=True, methods=["post"], url_path="reset-password", url_name="reset-password")
    def reset_password(self, request, pk=None):
        user = self.get_object()
        return _added(user, services.user_reset_password(user=user, actor=request.user, request=request))

    @extend_schema(request=None, responses={200: UserSerializer}, summary=_("Deactivate"))
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = services.user_set_active(user=self.get_object(), active=False, actor=request.user, request=request)
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer}, summary=_("Reactivate"))
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = services.user_set_active(user=self.get_object(), active=True, actor=request.user, request=request)
        return Response(UserSerializer(user).data)


class MeView(generics.RetrieveAPIView):
    """当前用户 / The caller: role and unit."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user
