"""Reads of units and groups."""

from django.apps import apps
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from orgs.models import Unit, UnitAlias, UnitGroup, User
from tasks.choices import CLOSED_STATUSES


def group_descendant_ids(group: UnitGroup) -> set[int]:
    """Ids of every group ``group`` includes, directly or through other groups."""
    seen: set[int] = set()
    frontier = {group.pk}
    while frontier:
        children = set(
            UnitGroup.subgroups.through.objects.filter(from_unitgroup_id__in=frontier).values_list(
                "to_unitgroup_id", flat=True
            )
        )
        frontier = children - seen
        seen |= children
    return seen


def group_member_units(group: UnitGroup) -> QuerySet[Unit]:
    """Every active unit the collective name stands for, through included groups too."""
    group_ids = group_descendant_ids(group) | {group.pk}
    return Unit.objects.filter(groups__in=group_ids, is_active=True).distinct().order_by("name")


def _assignments():
    # tasks depends on orgs: its model is looked up, not imported.
    return apps.get_model("tasks", "Assignment").objects


def units_listed(*, search: str = "", kind: str = "", active: bool | None = None) -> QuerySet[Unit]:
    """Units for staff's list, each with its number of users and of open assignments (two sub-selects,
    not a query a row), by name or alias containing ``search``."""
    users = User.objects.filter(unit=OuterRef("pk")).values("unit").annotate(n=Count("pk")).values("n")
    open_work = (
        _assignments()
        .filter(unit=OuterRef("pk"), task__withdrawn_at__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = Unit.objects.annotate(
        user_count=Coalesce(Subquery(users), 0), open_count=Coalesce(Subquery(open_work), 0)
    ).order_by("-is_active", "kind", "name")
    if search:
        named = Q(name__icontains=search) | Q(pk__in=UnitAlias.objects.filter(name__icontains=search).values("unit"))
        units = units.filter(named)
    if kind:
        units = units.filter(kind=kind)
    if active is not None:
        units = units.filter(is_active=active)
    return units


def open_work_of(unit: Unit) -> QuerySet:
    """The unit's work still open, by plan and place: what stopping it leaves to be handed on."""
    return (
        _assignments()
        .filter(unit=unit, task__withdrawn_at__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("task__plan")
        .order_by("task__plan", "task__position")
    )
