"""The platform's own background job: the worker's heartbeat, sent by beat."""

from celery import shared_task

from reform.health import record_heartbeat


@shared_task(name="reform.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Seen by /readyz: a worker takes jobs from the broker."""
    record_heartbeat()
