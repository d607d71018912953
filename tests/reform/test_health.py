"""/healthz says the process answers; /readyz whether the database, Redis (when configured) and a worker
that has shown itself lately are there, with the reason when one is not."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from reform.health import record_heartbeat
from reform.models import Heartbeat
from tests.processes import database_url, free_port, process_env, running


def test_alive_needs_nothing_but_the_process(client):
    answer = client.get("/healthz")  # no database here: any query would fail the test

    assert answer.status_code == 200 and answer.json() == {"status": "alive"}


@pytest.mark.django_db
def test_ready_once_a_worker_has_shown_itself_lately(client, settings):
    settings.REDIS_URL = None
    never = client.get("/readyz")
    record_heartbeat()
    seen = client.get("/readyz")
    Heartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=settings.READY_HEARTBEAT_MINUTES + 1))
    stale = client.get("/readyz")

    assert never.status_code == 503 and never.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "worker: never seen",
    }
    assert seen.status_code == 200 and seen.json()["status"] == "ready"
    assert stale.status_code == 503 and "last seen" in stale.json()["checks"]["worker"]["detail"]
    assert never["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_not_ready_while_redis_does_not_answer(client, settings):
    record_heartbeat()
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json()["checks"]["redis"]["ok"] is False and answer.json()["checks"]["database"]["ok"] is True


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_with_beat_makes_the_platform_ready(client, tmp_path):
    env = process_env(
        DATABASE_URL=database_url(),
        DATA_DIR=str(tmp_path),
        REDIS_URL=settings.REDIS_URL,
        HEARTBEAT_SECONDS="1",
    )
    worker = ["celery", "-A", "reform", "worker", "--beat", "--pool", "solo", "--without-mingle", "--loglevel", "INFO"]
    with running(worker, env, tmp_path / "worker.log"):
        deadline = time.monotonic() + 60
        while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        answer = client.get("/readyz")

    assert answer.status_code == 200, (tmp_path / "worker.log").read_text()[-3000:]
    assert answer.json()["checks"]["worker"]["ok"] is True
