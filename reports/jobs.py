"""Celery jobs of the reports: large reports are made by the worker, under the job time limit."""

from celery import shared_task
from django.conf import settings

from reports.services import REPORT_GRACE_SECONDS, report_make


# Told to stop at REPORT_TIME_LIMIT (it fails with the reason), killed a little later if it does not.
# A worker that vanishes puts the job back (reject_on_worker_lost); report_make limits the attempts.
@shared_task(
    name="reports.make",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + REPORT_GRACE_SECONDS,
)
def make_report(report_id: int) -> None:
    report_make(report_id)
