"""Reports asked for in the browser: checked at once, made at once when small, by the worker when large,
stored with their checksum."""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from reform.queue import publish_after_commit
from reports.documents import Asked, render, resolve
from reports.models import GeneratedReport, ReportStatus
from tasks.models import Assignment

logger = logging.getLogger(__name__)


def report_request(kind: str, user, **params) -> GeneratedReport:
    """Record the request (refused with ValidationError or PermissionDenied when it cannot be met)
    and make the report now if it is small, else hand it to the worker."""
    asked = resolve(kind, user, **params)
    report = GeneratedReport.objects.create(
        kind=asked.kind, plan=asked.plan, unit=asked.unit, task=asked.task, as_of=asked.as_of, created_by=user
    )
    if _rows(asked, user) <= settings.REPORT_INLINE_ROWS:
        report_make(report.pk)
    else:
        from reports import jobs

        publish_after_commit(jobs.make_report, report.pk)
    return report


def _rows(asked: Asked, user) -> int:
    """How much a report has to lay out: the units' assignments it lists."""
    visible = Assignment.objects.visible_to(user)
    if asked.plan is not None:
        return visible.filter(task__plan=asked.plan).count()
    if asked.unit is not None:
        return visible.filter(unit=asked.unit).count()
    return 0


def report_make(report_id: int) -> None:
    """Make a requested report, once: a second run (a redelivered job) finds it made and stops."""
    started = GeneratedReport.objects.filter(
        pk=report_id, status__in=[ReportStatus.QUEUED, ReportStatus.RENDERING]
    ).update(status=ReportStatus.RENDERING, progress=10)
    if not started:
        return
    report = GeneratedReport.objects.select_related("created_by", "plan", "unit", "task__plan").get(pk=report_id)
    asked = Asked(report.kind, plan=report.plan, unit=report.unit, task=report.task, as_of=report.as_of)
    try:
        rendered, filename = render(asked, report.created_by)
    except Exception as error:
        logger.exception("report %s could not be made", report_id)
        GeneratedReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        return
    report.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(rendered.content), save=False)
    GeneratedReport.objects.filter(pk=report_id).update(
        file=report.file.name,
        filename=filename,
        size=len(rendered.content),
        sha256=hashlib.sha256(rendered.content).hexdigest(),
        code=rendered.code,
        pages=rendered.pages,
        status=ReportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
