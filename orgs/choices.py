from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    SASAC = "sasac", _("SASAC office")
    DEPARTMENT = "department", _("Government department")
    ENTERPRISE = "enterprise", _("State-owned enterprise")
    STREET = "street", _("Street office")
    ZONE = "zone", _("Development zone")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    STAFF = "staff", _("SASAC staff")
    REPORTER = "reporter", _("Unit reporter")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")
