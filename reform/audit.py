"""The audit log: sign-ins, account changes, backups. Written once, kept AUDIT_RETENTION_DAYS.

``record`` adds an event; the receivers below record every sign-in, failed sign-in and sign-out,
whichever door they came through (the login page, the admin's, the API's token).
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone

from reform.logs import request_id
from reform.models import AuditEvent, AuditKind

# The least the log keeps, whatever the settings say: 等保 2.0 asks for six months.
MINIMUM_RETENTION_DAYS = 180


def client_address(request) -> str | None:
    """The caller's address: the proxy's X-Forwarded-For when the platform is told to trust it."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw: the last one is the only one it vouches for.
        address = forwarded.rsplit(",", 1)[-1].strip() or address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(kind: AuditKind, *, request=None, username: str = "", **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        kind=kind,
        username=username[:150],
        address=client_address(request) if request is not None else None,
        request_id="" if request_id.get() == "-" else request_id.get(),
        detail=detail,
    )


def purge_expired(*, now=None) -> int:
    """Removes events older than the retention period; returns how many."""
    days = max(settings.AUDIT_RETENTION_DAYS, MINIMUM_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with transaction.atomic():
        # Not through the model's manager, which refuses removals of any kind.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])
            removed = cursor.rowcount
        if removed:
            record(AuditKind.PURGED, removed=removed, before=cutoff.isoformat(), retention_days=days)
    return removed


def _name_of(user) -> str:
    return user.get_username() if user is not None else ""


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request, user, **kwargs):
    record(AuditKind.LOGIN, request=request, username=_name_of(user))


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:  # a sign-out with no one signed in is no event
        record(AuditKind.LOGOUT, request=request, username=_name_of(user))


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django hands over the credentials with the password already masked.
    username = str(credentials.get("username", ""))
    locked = getattr(request, "login_locked_until", None)
    if locked is not None:
        record(AuditKind.LOGIN_REFUSED, request=request, username=username, until=locked.isoformat())
    else:
        record(AuditKind.LOGIN_FAILED, request=request, username=username)
