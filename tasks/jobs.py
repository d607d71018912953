"""Celery jobs of the tasks app. Each takes ids and calls a service; safe to run twice."""

from celery import shared_task
from django.utils import timezone

from tasks.services.notices import notices_escalate
from tasks.services.staged_import import plan_upload_import, plan_upload_read


@shared_task(name="tasks.read_plan_upload")
def read_plan_upload(import_id: int) -> None:
    plan_upload_read(import_id=import_id)


@shared_task(name="tasks.import_plan_upload")
def import_plan_upload(import_id: int, user_id: int) -> None:
    plan_upload_import(import_id=import_id, user_id=user_id)


@shared_task(name="tasks.escalate_notices")
def escalate_notices() -> int:
    return notices_escalate(today=timezone.localdate())
