from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"),
        default=False,
        help_text=_("Set when staff give the account a password; cleared when its owner chooses one."),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid")]

    def __str__(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def password_expired(self, *, now=None) -> bool:
        """Whether PASSWORD_MAX_AGE_DAYS (0: never, the default) has passed since the last change."""
        days = settings.PASSWORD_MAX_AGE_DAYS
        if not days or not self.has_usable_password():
            return False
        changed = self.password_changed_at or self.date_joined
        return (now or timezone.now()) - changed > timezone.timedelta(days=days)

    def get_full_name(self):
        return self.full_name or self.username
