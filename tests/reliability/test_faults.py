"""Faults: PostgreSQL restarted under a running web node, a disk that fills up during an upload,
Redis gone from under the cache, a worker killed in the middle of a PDF job. Each test that stops a
service starts its own (initdb in a temporary folder, redis-server on another port)."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import GeneratedReport, ReportStatus
from reports.services import report_request
from tasks.models import Evidence, PlanImport, ProgressReport
from tests.conftest import skip_or_fail
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory
from tests.processes import (
    browser_session,
    celery_client,
    database_url,
    free_port,
    native_services,
    process_env,
    production_env,
    run_script,
    running,
)
from tests.services import own_postgres, own_redis, redis_test_url, wait_until

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Fault-Test-2026"


# --- PostgreSQL restarted while the platform runs --------------------------------------------------------

CREATE_STAFF = f"""
from orgs.choices import Role, UnitKind
from orgs.models import Unit, User
office = Unit.objects.create(name="国资局", kind=UnitKind.SASAC)
User.objects.create_user("staff", password="{PASSWORD}", role=Role.STAFF, unit=office)
"""


def answers(url: str, **kwargs) -> requests.Response | None:
    try:
        return requests.get(url, timeout=10, **kwargs)
    except requests.RequestException:
        return None


@pytest.mark.slow
def test_postgresql_restarted_under_a_running_web_node_fails_cleanly_and_recovers(tmp_path, collected_static):
    if os.geteuid() != 0 and not shutil.which("runuser"):
        skip_or_fail("starting a PostgreSQL of the test's own needs root (runuser) or a postgres user")
    with own_postgres(free_port()) as (url, stop, start):
        env = production_env(tmp_path, database_url=url, redis_url=None, STATIC_ROOT=str(collected_static))
        log = tmp_path / "setup.log"
        run_script("migrate", env, log)
        run_script("shell", env, log, "--no-imports", "-c", CREATE_STAFF)
        with native_services(env, tmp_path, webs=1, beats=0, workers=0) as (base,):
            browser = browser_session(base, "staff", PASSWORD)
            token = requests.post(
                f"{base}/api/v1/auth/token/", json={"username": "staff", "password": PASSWORD}, timeout=10
            ).json()["token"]
            headers = {"Authorization": f"Token {token}"}
            assert requests.get(f"{base}/api/v1/plans/", headers=headers, timeout=10).status_code == 200

            stop()
            api = requests.get(f"{base}/api/v1/plans/", headers=headers, timeout=30)
            page = browser.get(f"{base}/tasks/", timeout=30)
            alive = requests.get(f"{base}/healthz", timeout=10)
            ready = requests.get(f"{base}/readyz", timeout=30)

            assert api.status_code == 503
            assert api.json()["code"] == "database_unavailable" and "数据库暂时无法连接" in api.json()["detail"]
            assert api.headers["Retry-After"] == "60"
            assert page.status_code == 503 and "数据库暂时无法连接" in page.text and "Traceback" not in page.text
            assert alive.status_code == 200  # the process itself is fine
            assert ready.status_code == 503 and not ready.json()["checks"]["database"]["ok"]

            start()
            back = wait_until(
                lambda: (
                    (r := answers(f"{base}/api/v1/plans/", headers=headers)) is not None and r.status_code == 200 and r
                ),
                timeout=30,
                what="the API to answer again without restarting the web node",
            )
            assert back.json()["count"] == 0

    web_log = (tmp_path / "web0.log").read_text()
    assert "Traceback" not in api.text and "OperationalError" not in api.text
    assert "OperationalError" in web_log  # the fault is in the log, with its request id


# --- A disk that fills up during an upload ---------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path, settings):
    """MEDIA_ROOT on a file system of 256 KB, nearly full."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        skip_or_fail(f"mounting a small file system needs root: {done.stderr.decode().strip()}")
    try:
        (mount / "filler").write_bytes(b"\0" * 160 * 1024)
        settings.MEDIA_ROOT = str(mount / "media")
        yield mount / "media"
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_report_whose_evidence_fills_the_disk_is_refused_plainly_and_leaves_nothing(
    client, chengtou_reporter, chengtou_company, small_disk
):
    work = AssignmentFactory(unit=chengtou_company)
    client.force_login(chengtou_reporter)

    answer = client.post(
        reverse("tasks:report_submit", args=[work.pk]),
        {
            "period": time.strftime("%Y-%m"),
            "percent": 50,
            "text": "附件较大",
            "version": work.version,
            # The first fits, the second does not: neither is kept.
            "files": [
                SimpleUploadedFile("小附件.pdf", PDF + b"0" * 20_000),
                SimpleUploadedFile("大附件.pdf", PDF + b"0" * 200_000),
            ],
        },
        follow=True,
    )

    assert answer.status_code == 200
    assert "服务器存储空间已满" in answer.content.decode() and "大附件.pdf" in answer.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert stored_files(small_disk) == []


@pytest.mark.django_db
def test_a_plan_upload_that_fills_the_disk_is_refused_plainly_and_leaves_nothing(client, staff, small_disk):
    client.force_login(staff)
    document = ("一、总体要求\n" + "1. 推进国有企业改革。牵头单位：区国资局。\n" * 3000).encode()

    answer = client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile("方案.txt", document)})

    assert "服务器存储空间已满" in answer.content.decode()
    assert not PlanImport.objects.exists()
    assert stored_files(small_disk) == []


# --- Redis gone from under the cache ---------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_and_api_lists_answer_while_the_cache_redis_is_down_and_use_it_again_after(
    client, staff, chengtou_company, settings
):
    port = free_port()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    AssignmentFactory(unit=chengtou_company)
    client.force_login(staff)
    with own_redis(port) as (stop, start):
        assert client.get("/api/v1/assignments/").status_code == 200
        stop()
        for url in ("/api/v1/assignments/", reverse("reports:dashboard"), reverse("tasks:task_list")):
            assert client.get(url).status_code == 200, url
        start()
        assert client.get("/api/v1/assignments/").status_code == 200
        import redis

        assert redis.Redis(port=port).dbsize() > 0  # cached again once Redis is back


# --- A worker killed in the middle of a PDF job ----------------------------------------------------------

WORKER = ["celery", "-A", "reform", "worker", "--pool", "solo", "--without-mingle", "--without-gossip", "-l", "INFO"]


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_a_pdf_job_leaves_it_to_the_next_worker_never_stuck(staff, tmp_path, settings):
    settings.REPORT_INLINE_ROWS = 0  # made by the worker
    plan = PlanFactory(title="国企改革三年行动实施方案")
    units = [UnitFactory() for _ in range(8)]
    for number in range(1, 201):  # enough work for the PDF to take a few seconds
        task = TaskFactory(plan=plan, number=str(number), title=f"第{number}项改革任务：完善现代企业制度")
        for unit in units:
            AssignmentFactory(task=task, unit=unit)
    redis_url = redis_test_url()
    celery_client(redis_url=redis_url).control.purge()
    # A job whose worker vanished goes back to the queue after 3 s instead of an hour.
    env = process_env(
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        REDIS_VISIBILITY_TIMEOUT="3",
        REDIS_RESTORE_SECONDS="1",
    )
    from tests.processes import broker

    with broker(redis_url):
        report = report_request("progress", staff, plan=plan.pk)
    with running(WORKER, env, tmp_path / "first.log") as first:
        wait_until(
            lambda: GeneratedReport.objects.get(pk=report.pk).status == ReportStatus.RENDERING,
            timeout=60,
            what="the first worker to start the PDF",
        )
        os.killpg(first.pid, signal.SIGKILL)
    assert GeneratedReport.objects.get(pk=report.pk).status == ReportStatus.RENDERING  # killed mid-way

    with running(WORKER, env, tmp_path / "second.log"):
        finished = wait_until(
            lambda: (
                (found := GeneratedReport.objects.get(pk=report.pk)).status in (ReportStatus.DONE, ReportStatus.FAILED)
                and found
            ),
            timeout=120,
            what="the second worker to finish the job",
        )

    assert finished.status == ReportStatus.DONE, finished.error
    assert finished.attempts == 2
    assert finished.file.open("rb").read(5) == b"%PDF-"
