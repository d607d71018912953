"""Writes of the reminders' pages: reading, channel choices, rules, a failed message sent again."""

from django.db import transaction
from django.utils import timezone

from tasks.reminders.choices import DeliveryStatus
from tasks.reminders.models import ChannelChoice, Notification
from tasks.reminders.selectors import inbox


def mark_read(user, *, ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones without ``ids``)."""
    rows = inbox(user).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def channels_choose(user, *, in_app: bool, email: bool, address: str) -> ChannelChoice:
    chosen, _created = ChannelChoice.objects.update_or_create(user=user, defaults={"in_app": in_app, "email": email})
    if address != user.email:
        user.email = address
        user.save(update_fields=["email"])
    return chosen


def rules_save(form, user):
    rules = form.save(commit=False)
    rules._history_user = user
    rules.save()
    return rules


def delivery_retry(notification_id: int) -> bool:
    """Send a failed message again, as if new: a conditional update, so twice is once."""
    return bool(
        Notification.objects.filter(pk=notification_id, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by="", error=""
        )
    )
