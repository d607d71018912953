"""Reads of units and groups."""

import unicodedata

from django.db.models import QuerySet

from orgs.models import Unit, UnitAlias, UnitGroup


def normalise_name(name: str) -> str:
    """The form printed names are compared in: NFKC (full-width to half-width), no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def unit_by_printed_name(name: str) -> Unit | None:
    """The unit a plan document means by ``name``: by its name, an alias, or either normalised."""
    name = name.strip()
    unit = Unit.objects.filter(name=name).first()
    if unit:
        return unit
    alias = UnitAlias.objects.filter(name=name).select_related("unit").first()
    if alias:
        return alias.unit
    key = normalise_name(name)
    if key == name:
        return None
    return unit_by_printed_name(key)


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
