"""Handing notifications to their channels: each claimed by a conditional update before it is sent,
so that a job run twice, or two jobs for one row, send it once."""

import datetime
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.reminders import channels
from tasks.reminders.choices import Channel, DeliveryStatus
from tasks.reminders.models import Notification

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd … attempt after a temporary failure, in minutes.
BACKOFF_MINUTES = (1, 5, 15, 60, 180)
# A row handed to a job is not handed again for this long, unless the job gives it back.
REQUEUE_AFTER = datetime.timedelta(minutes=10)
JOB_SIZE = 20


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def deliver(notification_id: int, *, job_id: str) -> str:
    """Send one notification, once: 'sent', 'retry', 'failed' or 'skipped' (taken by another job, or done).

    A job that died after claiming the row is redelivered with the same id and may take it again.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .exclude(channel=Channel.IN_APP)
        .filter(Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING, claimed_by=job_id))
        .update(status=DeliveryStatus.SENDING, claimed_by=job_id, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    mine = Notification.objects.filter(pk=notification_id, claimed_by=job_id)
    try:
        try:
            channels.send(notification)
        except (channels.TemporaryFailure, channels.PermanentFailure):
            raise
        except Exception as error:
            # Unforeseen (a malformed answer, say): logged, and tried again like a temporary failure,
            # so that it neither holds up the rest of the job nor stays claimed.
            logger.exception("sending notification %s failed", notification_id)
            raise channels.TemporaryFailure(f"{error.__class__.__name__}: {error}") from error
    except channels.TemporaryFailure as error:
        if notification.attempts < settings.REMINDER_MAX_ATTEMPTS:
            mine.update(
                status=DeliveryStatus.PENDING,
                claimed_by="",
                next_attempt_at=timezone.now() + backoff(notification.attempts),
                error=str(error),
            )
            return "retry"
        mine.update(status=DeliveryStatus.FAILED, error=str(error))
        return "failed"
    except channels.PermanentFailure as error:
        mine.update(status=DeliveryStatus.FAILED, error=str(error))
        return "failed"
    mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    return "sent"


def due_for_delivery(now: datetime.datetime) -> list[int]:
    """Rows to hand to jobs now; claims left by jobs that vanished are freed first."""
    stale = Notification.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - datetime.timedelta(minutes=settings.REMINDER_CLAIM_MINUTES)
    )
    # A row whose every attempt ended with its job gone is given up, not tried for ever.
    stale.filter(attempts__gte=settings.REMINDER_MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED, error=_("Every attempt ended with its job gone.")
    )
    stale.update(status=DeliveryStatus.PENDING, claimed_by="", next_attempt_at=now)
    return list(
        Notification.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:5000]
    )


def dispatch(job) -> int:
    """Publish delivery jobs for the rows due; returns how many rows were handed over."""
    now = timezone.now()
    ids = due_for_delivery(now)
    handed = 0
    for start in range(0, len(ids), JOB_SIZE):
        chunk = ids[start : start + JOB_SIZE]
        Notification.objects.filter(pk__in=chunk, status=DeliveryStatus.PENDING).update(
            next_attempt_at=now + REQUEUE_AFTER
        )
        try:
            job.apply_async(args=[chunk], retry=False)
        except Exception:
            Notification.objects.filter(pk__in=chunk, status=DeliveryStatus.PENDING).update(next_attempt_at=now)
            logger.warning(
                "could not queue deliveries; %d wait for the next dispatch", len(ids) - handed, exc_info=True
            )
            break
        handed += len(chunk)
    return handed
