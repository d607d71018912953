"""Reads of the reform domain that more than one caller needs."""

from collections.abc import Iterable
from dataclasses import dataclass

from orgs.models import Unit, UnitAlias, UnitGroup
from tasks.importing.normalize import match_key


@dataclass(frozen=True)
class UnitMatch:
    """What a printed unit name stands for: one unit, a collective group, or nothing known."""

    printed: str
    unit: Unit | None = None
    group: UnitGroup | None = None

    @property
    def known(self) -> bool:
        return self.unit is not None or self.group is not None


def resolve_unit_names(names: Iterable[str]) -> dict[str, UnitMatch]:
    """Each printed name → its unit (by name or alias) or group, exactly or in folded form.

    Folded form: full-width to half-width, traditional to simplified, no spaces, so that
    区市场局 finds 区市场监督管理局 through its alias and 遼寧 finds 辽宁. A folded form
    shared by two different units or groups resolves to nothing rather than a guess.
    Three queries, whatever the number of names.
    """
    exact: dict[str, Unit | UnitGroup] = {}
    folded: dict[str, set[Unit | UnitGroup]] = {}

    def remember(name: str, target: Unit | UnitGroup) -> None:
        exact.setdefault(name, target)
        folded.setdefault(match_key(name), set()).add(target)

    for unit in Unit.objects.filter(is_active=True):
        remember(unit.name, unit)
    for alias in UnitAlias.objects.filter(unit__is_active=True).select_related("unit"):
        remember(alias.name, alias.unit)
    for group in UnitGroup.objects.all():
        remember(group.name, group)

    matches = {}
    for name in names:
        target = exact.get(name)
        if target is None:
            candidates = folded.get(match_key(name), set())
            target = next(iter(candidates)) if len(candidates) == 1 else None
        matches[name] = UnitMatch(
            name,
            unit=target if isinstance(target, Unit) else None,
            group=target if isinstance(target, UnitGroup) else None,
        )
    return matches
