"""Units, unit groups and the caller over the API: names every user may read; managed in the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, serializers, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter

from orgs.choices import UnitKind
from orgs.models import Unit, UnitGroup, User
from reform.api.cache import CachedListMixin
from reform.api.described import DescribedSerializer, bilingual
from reform.api.filters import IdFilter


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


class UnitViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """单位 / Units: departments, enterprises, districts."""

    queryset = Unit.objects.prefetch_related("aliases")
    serializer_class = UnitSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_class = UnitFilter
    search_fields = ["name", "aliases__name"]
    ordering_fields = ["name", "kind", "id"]
    ordering = ["kind", "name"]


class UnitGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """单位组（如“各区属企业”）/ Unit groups: collective names and the units they stand for."""

    queryset = UnitGroup.objects.prefetch_related("units", "subgroups")
    serializer_class = UnitGroupSerializer
    filterset_class = UnitGroupFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]


class MeView(generics.RetrieveAPIView):
    """当前用户 / The caller: role and unit."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user
