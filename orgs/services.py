"""Writes to units, groups and users. Each refuses bad input before changing anything; what staff
change through the platform's pages and API (``actor`` given) is written to the audit log."""

import secrets
from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs import policy
from orgs.choices import Role, UnitKind
from orgs.models import Unit, UnitAlias, UnitGroup, User
from orgs.selectors import group_descendant_ids
from reform.audit import record
from reform.models import AuditKind


def _audited(kind: AuditKind, actor, request, **detail) -> None:
    """Record a change staff made (checked first by ``check_manager``)."""
    record(kind, request=request, username=actor.get_username(), **detail)


def check_manager(actor) -> None:
    if not policy.can_manage(actor):
        raise PermissionDenied(_("Only SASAC staff manage units and users."))


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
def unit_create(
    *,
    name: str,
    kind: str,
    parent: Unit | None = None,
    aliases: Iterable[str] = (),
    actor=None,
    request=None,
) -> Unit:
    if actor is not None:
        check_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."))
    if kind not in UnitKind.values:
        raise ValidationError(_("Unknown unit kind: %(kind)s.") % {"kind": kind})
    _check_name_free(name)
    unit = Unit.objects.create(name=name, kind=kind, parent=parent)
    for alias in aliases:
        unit_add_alias(unit=unit, name=alias)
    if actor is not None:
        _audited(AuditKind.UNIT_CHANGED, actor, request, unit=unit.pk, created=name, unit_kind=kind)
    return unit


@transaction.atomic
def unit_add_alias(*, unit: Unit, name: str, actor=None, request=None) -> UnitAlias:
    if actor is not None:
        check_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationError(_("An alias needs a name."))
    if name == unit.name:
        raise ValidationError(_("An alias must differ from the unit's own name."))
    existing = UnitAlias.objects.filter(unit=unit, name=name).first()
    if existing:
        return existing
    _check_name_free(name, for_unit=unit)
    alias = UnitAlias.objects.create(unit=unit, name=name)
    if actor is not None:
        _audited(AuditKind.UNIT_CHANGED, actor, request, unit=unit.pk, alias_added=name)
    return alias


@transaction.atomic
def unit_rename(*, unit: Unit, name: str, actor, request=None) -> Unit:
    """A new name for a unit; the old one stays as its alias, so documents that print it still find it."""
    check_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."))
    if name == unit.name:
        return unit
    _check_name_free(name, for_unit=unit)
    old = unit.name
    UnitAlias.objects.filter(unit=unit, name=name).delete()  # an alias that becomes the name
    unit.name = name
    unit.save(update_fields=["name"])
    UnitAlias.objects.create(unit=unit, name=old)
    _audited(AuditKind.UNIT_CHANGED, actor, request, unit=unit.pk, renamed_from=old, renamed_to=name)
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, active: bool, actor, request=None) -> int:
    """Stop a unit (no longer matched in imports nor offered; its users can no longer sign in) or
    bring it back (its users stay as they are: staff reactivate them one by one). Its work stays,
    for staff to cancel or hand on. Returns how many accounts were deactivated."""
    check_manager(actor)
    if actor.unit_id == unit.pk and not active:
        raise ValidationError(_("You cannot stop your own unit."))
    if unit.is_active == active:
        return 0
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    stopped = 0 if active else unit.users.filter(is_active=True).update(is_active=False)
    _audited(AuditKind.UNIT_CHANGED, actor, request, unit=unit.pk, active=active, users_deactivated=stopped)
    return stopped


def check_subgroups(group: UnitGroup, subgroups: Iterable[UnitGroup]) -> None:
    """Refuse a set of included groups that would make ``group`` contain itself."""
    for subgroup in subgroups:
        if subgroup.pk == group.pk or group.pk in group_descendant_ids(subgroup):
            raise ValidationError(
                _("The group “%(group)s” cannot include “%(subgroup)s”: it would contain itself.")
                % {"group": group.name, "subgroup": subgroup.name}
            )


@transaction.atomic
def unit_group_create(*, name: str, description: str = "", actor, request=None) -> UnitGroup:
    check_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationError(_("A group needs a name."))
    if UnitGroup.objects.filter(name=name).exists():
        raise ValidationError(_("There is already a group named “%(name)s”.") % {"name": name})
    group = UnitGroup.objects.create(name=name, description=description.strip())
    _audited(AuditKind.GROUP_CHANGED, actor, request, group=group.pk, created=name)
    return group


@transaction.atomic
def unit_group_set_members(
    *, group: UnitGroup, units: Iterable[Unit], subgroups: Iterable[UnitGroup] = (), actor=None, request=None
) -> UnitGroup:
    if actor is not None:
        check_manager(actor)
    units, subgroups = list(units), list(subgroups)
    check_subgroups(group, subgroups)
    group.units.set(units)
    group.subgroups.set(subgroups)
    if actor is not None:
        _audited(
            AuditKind.GROUP_CHANGED,
            actor,
            request,
            group=group.pk,
            units=sorted(u.pk for u in units),
            subgroups=sorted(g.pk for g in subgroups),
        )
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


def temporary_password(user: User | None = None) -> str:
    """A password to hand to its owner once, passing the password rules (AUTH_PASSWORD_VALIDATORS),
    made of letters and digits that cannot be mistaken for one another and a sign; its owner
    replaces it at the first sign-in."""
    letters = "abcdefghjkmnpqrstuvwxyz"
    alphabet = letters + letters.upper() + "23456789"
    while True:
        chosen = "".join(secrets.choice(alphabet) for _ in range(TEMPORARY_LENGTH - 1)) + secrets.choice("-+=#%")
        try:
            password_validation.validate_password(chosen, user)
        except ValidationError:
            continue  # a draw short of a kind of character: draw again
        return chosen


TEMPORARY_LENGTH = 14


@transaction.atomic
def user_add(
    *, unit: Unit, username: str, role: str, actor, full_name: str = "", email: str = "", request=None
) -> tuple[User, str]:
    """A new account of ``unit`` with a temporary password (returned, shown once) to be changed at the
    first sign-in."""
    check_manager(actor)
    username = username.strip()
    if not username:
        raise ValidationError(_("A user needs a user name."))
    if not unit.is_active:
        raise ValidationError(_("“%(unit)s” is stopped: it takes no new users.") % {"unit": unit.name})
    password = temporary_password()
    user = user_create(
        username=username, role=role, unit=unit, full_name=full_name.strip(), email=email.strip(), password=password
    )
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    _audited(AuditKind.ACCOUNT_CHANGED, actor, request, account=username, created=True, unit=unit.pk, role=role)
    return user, password


@transaction.atomic
def user_reset_password(*, user: User, actor, request=None) -> str:
    """A temporary password for ``user`` (returned, shown once), to be changed at the next sign-in."""
    check_manager(actor)
    password = temporary_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _audited(AuditKind.PASSWORD_SET, actor, request, account=user.get_username())
    return password


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor, request=None) -> User:
    check_manager(actor)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if active and user.unit is not None and not user.unit.is_active:
        raise ValidationError(_("“%(unit)s” is stopped: bring the unit back first.") % {"unit": user.unit.name})
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        _audited(
            AuditKind.ACCOUNT_CHANGED, actor, request, account=user.get_username(), fields=["is_active"], active=active
        )
    return user
