"""Sign-in lock-out: too many failed sign-ins lock a name, and an address, for a cool-off.

Failures are read from the audit log. A name tried from one address is locked after
LOGIN_FAILURE_LIMIT failures within LOGIN_COOLOFF_MINUTES, for LOGIN_COOLOFF_MINUTES after the
last of them; a name tried from anywhere after LOGIN_USER_FAILURE_LIMIT failures, an address
trying any names after LOGIN_ADDRESS_FAILURE_LIMIT. A refused attempt checks no password and counts
for nothing, so a lock always ends a cool-off after the failure that set it: an attacker can hold
no one out for good. A sign-in clears a name's count.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reform.audit import client_address
from reform.models import AuditEvent, AuditKind


def _lock_end(failures, limit: int, cooloff) -> datetime | None:
    """The end of the lock set by the newest failure: a cool-off after it, when it was the
    limit-th within one cool-off. A refused attempt is no failure, so the newest failure is the
    one that set the lock."""
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit or times[0] - times[-1] > cooloff:
        return None
    return times[0] + cooloff


def locked_until(username: str, address: str | None, *, now: datetime | None = None) -> datetime | None:
    """When sign-ins for this name from this address are allowed again; None when they are now."""
    now = now or timezone.now()
    cooloff = timezone.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    # A lock now was set within the last cool-off by failures within the one before.
    since = now - 2 * cooloff
    failures = AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, at__gt=since)
    last_login = (
        AuditEvent.objects.filter(kind=AuditKind.LOGIN, username=username, at__gt=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    of_name = failures.filter(username=username)
    if last_login is not None:
        of_name = of_name.filter(at__gt=last_login)
    ends = [
        _lock_end(of_name.filter(address=address), settings.LOGIN_FAILURE_LIMIT, cooloff),
        _lock_end(of_name, settings.LOGIN_USER_FAILURE_LIMIT, cooloff),
        _lock_end(failures.filter(address=address), settings.LOGIN_ADDRESS_FAILURE_LIMIT, cooloff) if address else None,
    ]
    latest = max((end for end in ends if end is not None), default=None)
    return latest if latest is not None and latest > now else None


def lock_message(until: datetime) -> str:
    return _(
        "Too many failed sign-ins: signing in is locked until %(time)s. Try again then, or ask the SASAC office."
    ) % {"time": formats.time_format(timezone.localtime(until), "H:i")}


class LockoutBackend(ModelBackend):
    """Django's own backend, but a locked name or address is refused before any password is
    checked. Django then reports the attempt as failed; reform.audit records it as refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and username is not None:
            until = locked_until(str(username), client_address(request))
            if until is not None:
                request.login_locked_until = until
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
