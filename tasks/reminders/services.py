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
def channels_of(user) -> tuple[bool, bool]:
    """(in the platform, by e-mail) as the user's settings page shows them: their choice, else the
    default — by e-mail only if there is an address to send to."""
    chosen = ChannelChoice.objects.filter(user=user).first()
    if chosen is not None:
        return chosen.in_app, chosen.email
    default = ChannelChoice(user=user)
    return default.in_app, default.email and bool(user.email)


@transaction.atomic
def channels_choose(user, *, in_app: bool, email: bool, address: str) -> None:
    """The user's channels and address; what is sent back as shown is not saved again. (The address
    first: the default by e-mail depends on it.)"""
    if address != user.email:
        user.email = address
        user.save(update_fields=["email"])
    if (in_app, email) != channels_of(user):
        ChannelChoice.objects.update_or_create(user=user, defaults={"in_app": in_app, "email": email})


def rules_save(form, user):
    """The rules as staff set them; sent back as they were shown, nothing is saved (nor kept in history)."""
    if not form.has_changed():
        return form.instance
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
