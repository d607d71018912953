"""Where the tests find PostgreSQL and Redis, and whether they answer."""

import os
import uuid
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlparse

import psycopg2
import redis


def redis_test_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def postgres_test_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"


@cache
def service_unavailable_reason(service: str) -> str | None:
    """None when the service answers, else why not (shown as the skip reason)."""
    try:
        if service == "redis":
            redis.Redis.from_url(redis_test_url(), socket_connect_timeout=2).ping()
        else:
            psycopg2.connect(postgres_test_url(), connect_timeout=2).close()
    except Exception as error:
        where = urlparse(redis_test_url() if service == "redis" else postgres_test_url())
        return f"{service} is not answering at {where.hostname}:{where.port} ({error.__class__.__name__})"
    return None


@contextmanager
def fresh_postgres_database(prefix: str = "reform_native"):
    """A new, empty PostgreSQL database on the test server for the block, dropped after; yields its URL."""
    base = urlparse(postgres_test_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_test_url(), connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield base._replace(path=f"/{name}").geturl()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
