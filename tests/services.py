"""Where the tests find PostgreSQL and Redis, and whether they answer."""

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from functools import cache
from pathlib import Path
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


def wait_until(check, *, timeout: float, what: str, step: float = 0.2):
    """``check()``'s first truthy answer, asked every ``step`` seconds; fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(step)
    raise AssertionError(f"waited {timeout} s for {what}")


def _redis_answers(port: int) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@contextmanager
def own_redis(port: int):
    """A Redis server of the test's own on ``port``, stopped and started at will; the machine's is
    left alone. Yields (stop, start)."""

    def start():
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: _redis_answers(port), timeout=20, what="redis to start")
        return process

    state = {"process": start()}

    def stop():
        state["process"].terminate()
        state["process"].wait(timeout=10)

    def restart():
        state["process"] = start()

    try:
        yield stop, restart
    finally:
        if state["process"].poll() is None:
            stop()


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    return found[-1].parent


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and the server refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def own_postgres(port: int):
    """A PostgreSQL server of the test's own (initdb in a temporary folder, trust sign-in on
    127.0.0.1:``port``), stopped and started at will; the machine's is left alone.
    Yields (url, stop, start)."""
    bin_dir = _postgres_bin()
    # Not under pytest's tmp_path: root's folders there are closed to the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="reform-pg-"))
    data = folder / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        folder.chmod(0o755)
    subprocess.run(
        _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    log = data / "server.log"
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start():
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
            check=True,
            capture_output=True,
        )

    def stop():
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=True,
            capture_output=True,
        )

    start()
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres", stop, start
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)
