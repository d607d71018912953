"""Real processes for tests that need them: a Celery worker, the run command."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import requests
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


NATIVE_SCRIPTS = ("migrate", "web", "worker", "beat")


def production_env(data_dir: Path, *, database_url: str, redis_url: str, **overrides: str | None) -> dict[str, str]:
    """The environment of a production set-up on 127.0.0.1 over plain HTTP (no TLS proxy in a test)."""
    return process_env(
        DEBUG="false",
        SECRET_KEY="native-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DATA_DIR=str(data_dir),
        MEDIA_ROOT=str(data_dir / "media"),
        LOG_FORMAT="json",
        DJANGO_ALLOW_ASYNC_UNSAFE=None,
        **overrides,
    )


def run_script(name: str, env: dict[str, str], log: Path, *args: str, timeout: float = 300) -> None:
    """Run scripts/<name> (or manage.py when name is a management command) to its end; fail with its log."""
    command = [str(ROOT / "scripts" / name)] if name in NATIVE_SCRIPTS else [sys.executable, "manage.py", name]
    with log.open("ab") as out:
        done = subprocess.run(
            [*command, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if done.returncode:
        raise AssertionError(f"{name} exited with {done.returncode}:\n{log.read_text(errors='replace')[-4000:]}")


@contextmanager
def native_services(env: dict[str, str], logs: Path, *, webs: int = 1, workers: int = 1, beats: int = 1):
    """scripts/web (``webs`` of them, each on its own port), scripts/worker and scripts/beat (so many
    of each) running for the block; yields the web nodes' base URLs once each answers /healthz."""
    with contextlib.ExitStack() as stack:
        urls = []
        for n in range(webs):
            port = free_port()
            log = logs / f"web{n}.log"
            web = stack.enter_context(
                running([str(ROOT / "scripts/web")], {**env, "BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "2"}, log)
            )
            urls.append((f"http://127.0.0.1:{port}", web, log))
        for n in range(workers):
            stack.enter_context(running([str(ROOT / "scripts/worker")], env, logs / f"worker{n}.log"))
        for n in range(beats):
            schedule = str(logs / f"beat{n}-schedule")
            stack.enter_context(
                running([str(ROOT / "scripts/beat")], {**env, "BEAT_SCHEDULE": schedule}, logs / f"beat{n}.log")
            )
        for url, web, log in urls:
            wait_for_http(f"{url}/healthz", timeout=60, process=web, log=log)
        yield [url for url, _, _ in urls]


def browser_session(base: str, username: str, password: str, *, timeout: float = 10):
    """Signed in through the login form of one node, as a browser is."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=timeout)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=timeout,
    )
    assert answer.status_code == 302, answer.text[-2000:]
    return session
