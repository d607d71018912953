"""The platform's own background jobs: the worker's heartbeat, the audit log's retention."""

from celery import shared_task

from reform import audit
from reform.health import record_heartbeat


@shared_task(name="reform.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Seen by /readyz: a worker takes jobs from the broker."""
    record_heartbeat()


@shared_task(name="reform.purge_audit", ignore_result=True)
def purge_audit() -> None:
    """Audit events older than AUDIT_RETENTION_DAYS go; younger ones stay, whatever asks."""
    audit.purge_expired()
