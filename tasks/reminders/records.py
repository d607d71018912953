"""Recording notifications: built alike for sweeps and events, inserted once, handed over after the commit."""

from django.db.models import Max
from django.utils import timezone

from reform.queue import publish_after_commit
from tasks.reminders.choices import Channel, DeliveryStatus
from tasks.reminders.messages import Message
from tasks.reminders.models import Notification


def build(addressed, *, message: Message, link: str, **about) -> list[Notification]:
    """One unsaved notification per (recipient key, user id, channel) of ``addressed``; ``about`` gives
    kind, unit_id, assignment_id, milestone_id, subject_key, key_date and step."""
    now = timezone.now()
    made = []
    for recipient_key, user_id, channel in addressed:
        # In the platform a notification is delivered by being recorded; the rest wait for the worker.
        if channel == Channel.IN_APP:
            state = {"status": DeliveryStatus.SENT, "sent_at": now}
        else:
            state = {"status": DeliveryStatus.PENDING, "next_attempt_at": now}
        made.append(
            Notification(
                channel=channel,
                recipient_id=user_id,
                recipient_key=recipient_key,
                title=message.title,
                body=message.body,
                link=link,
                **about,
                **state,
            )
        )
    return made


def record(notifications: list[Notification]) -> int:
    """Insert those not recorded before (a conflict on the unique key is a repeat); returns how many
    are new. Call inside a transaction: the dispatcher is told after the commit."""
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=2000)
    created = Notification.objects.filter(pk__gt=before).count()
    if created and any(n.channel != Channel.IN_APP for n in notifications):
        from tasks.reminders import jobs

        publish_after_commit(jobs.dispatch_notifications)
    return created
