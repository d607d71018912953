"""A large plan goes through a real Celery worker: read, then imported, while the page waits."""

import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.choices import UnitKind
from orgs.services import unit_create, unit_group_set_members
from tasks.choices import ImportStatus
from tasks.models import Plan, PlanImport
from tests.factories import UnitFactory, UnitGroupFactory
from tests.processes import database_url, process_env, running
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


WORKER = ["celery", "-A", "reform", "worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle"]


def worker_env():
    """The worker's environment: this test's database, files and broker."""
    return process_env(
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DATA_DIR=str(settings.DATA_DIR),
        REDIS_URL=settings.REDIS_URL,
    )


def wait_for(staged, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        staged.refresh_from_db()
        if staged.status == status:
            return
        time.sleep(0.3)
    raise AssertionError(f"still {staged.status} ({staged.error}) after {timeout} s")


def test_a_worker_reads_and_imports_a_large_plan(client, staff, tmp_path):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    unit_group_set_members(group=UnitGroupFactory(name="各市属企业"), units=UnitFactory.create_batch(2))
    settings.IMPORT_INLINE_BYTES, settings.IMPORT_INLINE_TASKS = 0, 1
    env = worker_env()
    client.force_login(staff)

    with running(WORKER, env, tmp_path / "worker.log"):
        client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile("方案.txt", CITY_PLAN.encode())})
        staged = PlanImport.objects.get()
        wait_for(staged, ImportStatus.READY)
        client.post(reverse("tasks:import_detail", args=[staged.pk]), {"action": "confirm"})
        wait_for(staged, ImportStatus.DONE)

    plan = Plan.objects.get()
    assert staged.plan == plan
    assert plan.tasks.count() == 4
    assert plan.tasks.get(position=0).assignments.count() == 1 + 1 + 2


def test_a_worker_reads_a_scan_by_ocr_while_the_page_shows_its_progress(client, staff, tmp_path):
    from tests.tasks.importing import documents

    scan = documents.image_pdf(documents.page_images(documents.official_pdf(CITY_PLAN)))
    env = worker_env()
    client.force_login(staff)

    with running(WORKER, env, tmp_path / "worker.log"):
        client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile("扫描件.pdf", scan)})
        staged = PlanImport.objects.get()
        assert staged.status == ImportStatus.RECEIVED  # the web process handed it on and returned
        wait_for(staged, ImportStatus.READY, timeout=120)

    assert [task["title"] for task in staged.parsed["tasks"]] == [
        "推进战略性重组",
        "清理低效资产",
        "加强董事会建设",
        "健全考核机制",
    ]
    page = client.get(reverse("tasks:import_detail", args=[staged.pk])).content.decode()
    assert "文字是从图像中识别的" in page
