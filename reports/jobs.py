"""Celery jobs of the reports: large reports are made by the worker, under the job time limit."""

from celery import shared_task

from reports.services import report_make


@shared_task(name="reports.make", acks_late=True, reject_on_worker_lost=True)
def make_report(report_id: int) -> None:
    report_make(report_id)
