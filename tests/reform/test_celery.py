"""A job makes the round trip through a real worker, on each broker the platform supports."""

import pytest

from tests.processes import celery_client, ping_worker, process_env, running
from tests.services import redis_test_url

pytestmark = pytest.mark.slow

WORKER = ["celery", "-A", "reform", "worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle"]


def test_job_round_trip_through_the_embedded_file_system_broker(tmp_path):
    env = process_env(DATA_DIR=str(tmp_path), REDIS_URL=None, DATABASE_URL=None)
    with running(WORKER, env, tmp_path / "worker.log"):
        assert ping_worker(celery_client(data_dir=tmp_path)) == "pong"


@pytest.mark.redis
def test_job_round_trip_through_redis(tmp_path):
    url = redis_test_url()
    env = process_env(DATA_DIR=str(tmp_path), REDIS_URL=url, DATABASE_URL=None)
    with running(WORKER, env, tmp_path / "worker.log"):
        assert ping_worker(celery_client(redis_url=url)) == "pong"
