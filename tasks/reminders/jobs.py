"""Celery jobs of the reminders: the daily sweep, the dispatcher and delivery. None uses a countdown
or an ETA (with Redis they run twice once they outlive the visibility timeout): the database says
what is due, and the dispatcher, run by beat every few minutes, hands it over."""

import datetime

from celery import shared_task
from django.utils import timezone

from tasks.reminders import delivery
from tasks.reminders.sweep import sweep


@shared_task(name="reminders.sweep")
def sweep_reminders(day: str | None = None) -> int:
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return sweep(today=today).created


@shared_task(name="reminders.dispatch")
def dispatch_notifications() -> int:
    return delivery.dispatch(deliver_notifications)


# Acknowledged after it ran, and given back to the broker if its worker dies: none is lost;
# the claim on each row keeps a second run from sending it again.
@shared_task(bind=True, name="reminders.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver_notifications(self, notification_ids: list[int]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for notification_id in notification_ids:
        outcome = delivery.deliver(notification_id, job_id=self.request.id or "inline")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
