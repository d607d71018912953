"""The demo's units, collective names and users, created from ``fixtures/demo_units.json``.

Only what is missing is created; nothing that exists is changed, so loading twice
changes nothing and a demo that staff have edited keeps their edits.
"""

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from orgs.models import Unit, UnitGroup, User
from orgs.services import unit_add_alias, unit_create, unit_group_set_members, user_create


@dataclass
class DemoResult:
    units_created: int = 0
    groups_created: int = 0
    # (username, full name, role, unit, password or None where the user already existed)
    users: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)


@transaction.atomic
def demo_load_orgs(path: Path) -> DemoResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    result = DemoResult()
    for spec in data["units"]:
        unit = Unit.objects.filter(name=spec["name"]).first()
        if unit is None:
            unit = unit_create(name=spec["name"], kind=spec["kind"])
            result.units_created += 1
        for alias in spec.get("aliases", []):
            unit_add_alias(unit=unit, name=alias)
    for spec in data["groups"]:
        group, created = UnitGroup.objects.get_or_create(
            name=spec["name"], defaults={"description": spec.get("description", "")}
        )
        if created:
            result.groups_created += 1
            unit_group_set_members(
                group=group,
                units=Unit.objects.filter(kind=spec["units_of_kind"]),
                subgroups=UnitGroup.objects.filter(name__in=spec.get("subgroups", [])),
            )
    for spec in data["users"]:
        user = User.objects.filter(username=spec["username"]).select_related("unit").first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(9)
            user = user_create(
                username=spec["username"],
                full_name=spec["full_name"],
                role=spec["role"],
                unit=Unit.objects.get(name=spec["unit"]),
                password=password,
                email=spec.get("email", ""),
            )
        result.users.append((user.username, user.full_name, user.get_role_display(), str(user.unit), password))
    return result
