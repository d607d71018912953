"""Reads of units and groups."""

from django.db.models import QuerySet

from orgs.models import Unit, UnitGroup


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
