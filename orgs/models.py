from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.choices import Role, UnitKind


class Unit(models.Model):
    """A body that is assigned tasks: a department, an enterprise, a street, the office itself."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_valid"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class UnitAlias(models.Model):
    """Another printed name of a unit: 区市场局 for 区市场监督管理局."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnitGroup(models.Model):
    """A collective name in plan documents (各区属企业, 各街道) and the units it stands for.

    A group may include other groups; their members count as its own. Cycles are
    refused by ``orgs.services.unit_group_set_members``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("member units"), blank=True, related_name="groups")
    subgroups = models.ManyToManyField(
        "self",
        verbose_name=_("included groups"),
        symmetrical=False,
        blank=True,
        related_name="parent_groups",
    )

    class Meta:
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in: one role, and (for everyone but superusers) one unit."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid")]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username
