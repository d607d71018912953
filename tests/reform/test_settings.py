"""Settings come from the environment; each variable switches to a real service, bad values fail loudly."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import ROOT, process_env

# Settings read from the environment: no date in them.
pytestmark = pytest.mark.undated

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from reform.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "host": settings.DATABASES["default"].get("HOST"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "broker": app.conf.broker_url,
    "email": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", None),
    "media": str(settings.MEDIA_ROOT),
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE,
}))
"""

BARE = dict.fromkeys(("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MEDIA_ROOT"))


def settings_under(tmp_path, **env):
    answer = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=process_env(DJANGO_SETTINGS_MODULE="reform.settings", DATA_DIR=str(tmp_path), **{**BARE, **env}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if answer.returncode:
        raise RuntimeError(answer.stderr)
    return json.loads(answer.stdout)


def test_no_variable_gives_the_embedded_default(tmp_path):
    found = settings_under(tmp_path)

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "db.sqlite3")
    assert found["cache"].endswith("LocMemCache")
    assert found["broker"] == "filesystem://"
    assert (tmp_path / "broker" / "queue").is_dir()
    assert found["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert found["media"] == str(tmp_path / "media")
    assert found["debug"] is True
    assert "127.0.0.1" in found["hosts"]
    assert (found["language"], found["time_zone"]) == ("zh-hans", "Asia/Shanghai")
    assert found["languages"] == ["zh-hans", "en"]


def test_service_urls_switch_to_postgresql_redis_and_smtp(tmp_path):
    found = settings_under(
        tmp_path,
        DATABASE_URL="postgres://reform:secret@db.example:5432/reform",
        REDIS_URL="redis://cache.example:6379/2",
        EMAIL_URL="smtp://mailer:pw@mail.example:587/?tls=True",
        MEDIA_ROOT=str(tmp_path / "evidence"),
    )

    assert (found["engine"], found["name"], found["host"]) == (
        "django.db.backends.postgresql",
        "reform",
        "db.example",
    )
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://cache.example:6379/2"
    assert found["broker"] == "redis://cache.example:6379/2"
    assert (found["email"], found["email_host"]) == ("django.core.mail.backends.smtp.EmailBackend", "mail.example")
    assert found["media"] == str(tmp_path / "evidence")


def test_production_takes_its_hosts_from_the_environment(tmp_path):
    found = settings_under(tmp_path, DEBUG="false", SECRET_KEY="s" * 50, ALLOWED_HOSTS="gzw.example, 10.0.0.5")

    assert found["debug"] is False
    assert found["hosts"] == ["gzw.example", "10.0.0.5"]


PG = "postgres://postgres@127.0.0.1:5432/unused"  # read, never connected to


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DB_CONN_MAX_AGE": "ten"}, "DB_CONN_MAX_AGE must be an integer"),
        (
            {"DATABASE_URL": PG, "DATABASE_RANDOM_PAGE_COST": "fast"},
            "DATABASE_RANDOM_PAGE_COST must be a number greater than 0",
        ),
        (
            {"DATABASE_URL": PG, "DATABASE_RANDOM_PAGE_COST": "0"},
            "DATABASE_RANDOM_PAGE_COST must be a number greater than 0",
        ),
        (
            {"DATABASE_URL": PG, "DATABASE_RANDOM_PAGE_COST": "1 -c work_mem=1GB"},
            "DATABASE_RANDOM_PAGE_COST must be a number",
        ),
    ],
)
def test_a_bad_value_stops_the_start_with_a_clear_message(tmp_path, env, complaint):
    with pytest.raises(RuntimeError, match=complaint):
        settings_under(tmp_path, **env)


def test_the_suite_runs_on_the_database_it_was_given():
    # .ci/run runs the suite twice; this says which engine each run really used.
    expected = "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.postgres
def test_postgresql_round_trip_through_the_configured_engine(tmp_path):
    from tests.services import postgres_test_url

    found = settings_under(tmp_path, DATABASE_URL=postgres_test_url())
    answer = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; connection.ensure_connection(); print(connection.vendor)",
        ],
        cwd=ROOT,
        env=process_env(DATA_DIR=str(tmp_path), DATABASE_URL=postgres_test_url()),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert found["engine"] == "django.db.backends.postgresql"
    assert answer.stdout.split()[-1] == "postgresql", answer.stderr


@pytest.mark.postgres
def test_postgresql_connections_carry_the_planner_settings_given(tmp_path):
    from tests.services import postgres_test_url

    show = "; ".join(
        f"c.execute('SHOW {name}'); print(c.fetchone()[0])"
        for name in ("random_page_cost", "work_mem", "jit", "max_parallel_workers_per_gather")
    )
    answer = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.db import connection; c = connection.cursor(); {show}",
        ],
        cwd=ROOT,
        env=process_env(
            DATA_DIR=str(tmp_path),
            DATABASE_URL=postgres_test_url(),
            DATABASE_RANDOM_PAGE_COST="1.5",
            DATABASE_WORK_MEM="8MB",
            DATABASE_PARALLEL_WORKERS="1",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert answer.stdout.split()[-4:] == ["1.5", "8MB", "off", "1"], answer.stderr
