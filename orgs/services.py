"""Writes to units, groups and users. Each refuses bad input before changing anything."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs.choices import Role, UnitKind
from orgs.models import Unit, UnitAlias, UnitGroup, User
from orgs.selectors import group_descendant_ids


def _check_name_free(name: str, *, for_unit: Unit | None = None) -> None:
    """A printed name must lead to one unit only: no unit name doubling as another's alias."""
    if Unit.objects.filter(name=name).exclude(pk=getattr(for_unit, "pk", None)).exists():
        raise ValidationError(_("“%(name)s” is already the name of another unit.") % {"name": name})
    clash = UnitAlias.objects.filter(name=name).exclude(unit=for_unit).select_related("unit").first()
    if clash:
        raise ValidationError(
            _("“%(name)s” is already an alias of %(unit)s.") % {"name": name, "unit": clash.unit.name}
        )


@transaction.atomic
def unit_create(*, name: str, kind: str, parent: Unit | None = None, aliases: Iterable[str] = ()) -> Unit:
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."))
    if kind not in UnitKind.values:
        raise ValidationError(_("Unknown unit kind: %(kind)s.") % {"kind": kind})
    _check_name_free(name)
    unit = Unit.objects.create(name=name, kind=kind, parent=parent)
    for alias in aliases:
        unit_add_alias(unit=unit, name=alias)
    return unit


@transaction.atomic
def unit_add_alias(*, unit: Unit, name: str) -> UnitAlias:
    name = name.strip()
    if name == unit.name:
        raise ValidationError(_("An alias must differ from the unit's own name."))
    existing = UnitAlias.objects.filter(unit=unit, name=name).first()
    if existing:
        return existing
    _check_name_free(name, for_unit=unit)
    return UnitAlias.objects.create(unit=unit, name=name)


def check_subgroups(group: UnitGroup, subgroups: Iterable[UnitGroup]) -> None:
    """Refuse a set of included groups that would make ``group`` contain itself."""
    for subgroup in subgroups:
        if subgroup.pk == group.pk or group.pk in group_descendant_ids(subgroup):
            raise ValidationError(
                _("The group “%(group)s” cannot include “%(subgroup)s”: it would contain itself.")
                % {"group": group.name, "subgroup": subgroup.name}
            )


@transaction.atomic
def unit_group_set_members(
    *, group: UnitGroup, units: Iterable[Unit], subgroups: Iterable[UnitGroup] = ()
) -> UnitGroup:
    subgroups = list(subgroups)
    check_subgroups(group, subgroups)
    group.units.set(units)
    group.subgroups.set(subgroups)
    return group


def check_role_and_unit(*, role: str, unit: Unit | None, is_superuser: bool = False) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s.") % {"role": role})
    if unit is None and not is_superuser:
        raise ValidationError(_("Every user except a superuser belongs to a unit."))


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    unit: Unit | None,
    full_name: str = "",
    password: str | None = None,
    email: str = "",
) -> User:
    check_role_and_unit(role=role, unit=unit)
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The user name “%(username)s” is taken.") % {"username": username})
    user = User(username=username, role=role, unit=unit, full_name=full_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user
