from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orgs.models import Unit
from tasks.models import Plan, Task


class ReportKind(models.TextChoices):
    PROGRESS = "progress", pgettext_lazy("report kind", "progress report")
    OVERDUE = "overdue", pgettext_lazy("report kind", "overdue bulletin")
    UNIT = "unit", pgettext_lazy("report kind", "unit report")
    DOSSIER = "dossier", pgettext_lazy("report kind", "task dossier")
    LEDGER = "ledger", _("work ledger (Excel or CSV)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RENDERING = "rendering", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be made")


class GeneratedReport(models.Model):
    """A report made for someone: what was asked, and the file with its checksum once it is made."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    # A ledger's choice: the task list's filters and the file format.
    params = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # Its own for each PDF issued (reports.services.new_code); a ledger has none.
    code = models.CharField(_("verification code"), max_length=20, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made for"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="generated_report_status_valid"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="generated_report_code_unique"),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="generated_report_mine")]

    def __str__(self):
        return self.filename or _("%(kind)s no. %(number)s") % {"kind": self.get_kind_display(), "number": self.pk}


class DataVersion(models.Model):
    """How many times the data the dashboard counts has changed: one row, read by every process.

    Cached dashboards are kept under the version they were counted at, so a change made in any
    process (a web worker, the Celery worker importing a plan) retires them in all, whether the
    cache is shared (Redis) or each process's own (local memory)."""

    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("dashboard data version")
        verbose_name_plural = _("dashboard data versions")

    def __str__(self):
        return str(self.number)
