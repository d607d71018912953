"""Real processes for tests that need them: a Celery worker, the run command."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def database_url() -> str:
    """The test database, as a worker or a command in another process must reach it."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_env(**overrides: str | None) -> dict[str, str]:
    """The test process's environment with overrides; None removes a variable."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path):
    """Run ``command`` in its own process group for the block; stop the whole group after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            try:
                with contextlib.suppress(ProcessLookupError):  # the group has ended by itself
                    os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for_http(url: str, *, timeout: float, process: subprocess.Popen, log: Path) -> str:
    """GET ``url`` until it answers 200; fail with the process's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s:\n{log.read_text(errors='replace')[-4000:]}")


def celery_client(*, data_dir: Path | None = None, redis_url: str | None = None) -> Celery:
    """A Celery client on the same broker as a worker started with that DATA_DIR or REDIS_URL."""
    # Not the current app: the platform's jobs must keep publishing through the platform's own.
    if redis_url:
        return Celery("client", broker=redis_url, backend=redis_url, set_as_current=False)
    queue = str(data_dir / "broker" / "queue")
    client = Celery(
        "client", broker="filesystem://", backend=f"file://{data_dir / 'broker' / 'results'}", set_as_current=False
    )
    client.conf.broker_transport_options = {"data_folder_in": queue, "data_folder_out": queue}
    for folder in (queue, data_dir / "broker" / "results"):
        Path(folder).mkdir(parents=True, exist_ok=True)
    return client


def ping_worker(client: Celery, *, timeout: float = 60) -> str:
    return client.send_task("reform.ping").get(timeout=timeout)


def _forget_connections(app) -> None:
    # As Celery does after a fork: every pool closed and forgotten, made again from the configuration.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker(url: str):
    """The platform's Celery app publishing to ``url`` for the block, and to its own broker after."""
    from django.conf import settings

    from reform.celery import app

    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = url
    app.conf.broker_transport_options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = previous
        _forget_connections(app)
