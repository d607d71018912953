from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a background process last showed it was alive (the Celery worker, through beat)."""

    name = models.CharField(_("process"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGIN_REFUSED = "login_refused", _("Sign-in refused: locked")
    LOGOUT = "logout", _("Signed out")
    TOKEN_ISSUED = "token_issued", _("API token handed out")
    PASSWORD_CHANGED = "password_changed", _("Password changed by its owner")
    PASSWORD_SET = "password_set", _("Password set by staff")
    ACCOUNT_CHANGED = "account_changed", _("Account changed by staff")
    UNIT_CHANGED = "unit_changed", _("Unit created or changed by staff")
    GROUP_CHANGED = "group_changed", _("Group created or changed by staff")
    BACKUP = "backup", _("Backup made")
    RESTORE = "restore", _("Backup restored")
    PURGED = "purged", _("Expired audit events removed")


class AppendOnly(models.QuerySet):
    """The audit log is written once: no bulk change or removal through the application."""

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """Who did what to accounts and to the platform's data as a whole, from where, when.

    The work's own history (status changes, reports, edits) lives beside the work; this log is
    for security events. Rows are never changed; on PostgreSQL a trigger refuses it too, and
    refuses removing rows younger than the retention period (reform.audit).
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=AuditKind.choices)
    # The name as typed for a failed sign-in; kept as text so that no row follows a user's removal.
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            # The sign-in lock counts recent failures per name and per address.
            models.Index(fields=["kind", "username", "at"], name="audit_kind_user_at"),
            models.Index(fields=["kind", "address", "at"], name="audit_kind_address_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")
