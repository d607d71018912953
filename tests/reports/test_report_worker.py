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
from tests.processes import broker, celery_client, database_url, process_env, running
from tests.services import redis_test_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER = ["celery", "-A", "reform", "worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle"]


@pytest.fixture
def by_the_worker(settings):
    """Every report is large: made by the worker."""
    settings.REPORT_INLINE_ROWS = 0
    return settings


def test_a_worker_makes_a_large_report_and_the_page_follows_it(
    client, staff, chengtou_company, tmp_path, by_the_worker
):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, title="厘清权责边界", due=timezone.localdate() - datetime.timedelta(days=3))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
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


@pytest.mark.redis
def test_a_worker_process_grown_past_its_memory_limit_is_replaced_after_the_report(
    client, staff, chengtou_company, tmp_path, by_the_worker
):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    AssignmentFactory(task=TaskFactory(plan=plan, title="厘清权责边界"), unit=chengtou_company)
    redis_url = redis_test_url()
    env = process_env(
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DATA_DIR=str(settings.DATA_DIR),
        REDIS_URL=redis_url,
        REPORT_INLINE_ROWS="0",
        # Any process is "large" at 1 KiB: the limit the platform sets is the one the worker obeys.
        CELERY_WORKER_MAX_MEMORY_KB="1",
    )
    prefork = [*WORKER[:4], "--pool", "prefork", "--concurrency", "1", *WORKER[6:], "--without-gossip"]
    inspector = celery_client(redis_url=redis_url).control.inspect(timeout=2)
    client.force_login(staff)

    def pool_processes(other_than=()) -> list[int]:
        """The worker's pool processes, once it has some other than ``other_than`` (replacing one takes a moment)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for stats in (inspector.stats() or {}).values():
                if stats["pool"]["processes"] and stats["pool"]["processes"] != other_than:
                    return stats["pool"]["processes"]
            time.sleep(0.3)
        raise AssertionError((tmp_path / "worker.log").read_text()[-3000:])

    def made(kind, **params) -> GeneratedReport:
        client.post(reverse("reports:index"), {"kind": kind, **params})
        report = GeneratedReport.objects.latest("pk")
        deadline = time.monotonic() + 90
        while report.status not in {ReportStatus.DONE, ReportStatus.FAILED} and time.monotonic() < deadline:
            time.sleep(0.3)
            report.refresh_from_db()
        return report

    with broker(redis_url), running(prefork, env, tmp_path / "worker.log"):
        before = pool_processes()
        first = made("progress", plan=plan.pk)
        after = pool_processes(other_than=before)
        second = made("unit", unit=chengtou_company.pk)  # served by the new process

    log = (tmp_path / "worker.log").read_text()
    assert (first.status, second.status) == (ReportStatus.DONE, ReportStatus.DONE), log[-3000:]
    assert len(after) == 1 and after != before
