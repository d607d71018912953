"""A large report goes through a real Celery worker while the page shows its progress."""

import datetime
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports.models import GeneratedReport, ReportStatus
from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory
from tests.processes import database_url, process_env, running

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER = ["celery", "-A", "reform", "worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle"]


def test_a_worker_makes_a_large_report_and_the_page_follows_it(client, staff, chengtou_company, tmp_path):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, title="厘清权责边界", due=timezone.localdate() - datetime.timedelta(days=3))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    settings.REPORT_INLINE_ROWS = 0
    env = process_env(
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DATA_DIR=str(settings.DATA_DIR),
        REDIS_URL=settings.REDIS_URL,
        REPORT_INLINE_ROWS="0",
    )
    client.force_login(staff)

    with running(WORKER, env, tmp_path / "worker.log"):
        client.post(reverse("reports:index"), {"kind": "progress", "plan": plan.pk})
        report = GeneratedReport.objects.get()
        deadline = time.monotonic() + 90
        while report.status not in {ReportStatus.DONE, ReportStatus.FAILED} and time.monotonic() < deadline:
            time.sleep(0.5)
            report.refresh_from_db()

    assert report.status == ReportStatus.DONE, (tmp_path / "worker.log").read_text()[-3000:]
    assert client.get(reverse("reports:report_progress", args=[report.pk]))["HX-Refresh"] == "true"
    content = b"".join(client.get(reverse("reports:report_download", args=[report.pk])).streaming_content)
    assert content.startswith(b"%PDF") and len(content) == report.size
