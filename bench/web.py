"""scripts/web for a bench: the production set-up on 127.0.0.1 over plain HTTP, against the database
and Redis the bench names (its scratch copies, ``bench.scratch``)."""

import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.processes import ROOT, free_port, production_env, running, wait_for_http


@contextmanager
def running_web(workers: int, database_url: str, redis_url: str | None, **settings: str):
    """scripts/web with ``workers`` gunicorn processes for the block, with ``settings`` added to its
    environment; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="reform-bench-") as folder:
        data = Path(folder)
        env = production_env(data, database_url=database_url, redis_url=redis_url, **settings)
        env.update(BIND=f"127.0.0.1:{port}", WEB_WORKERS=str(workers))
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        log = data / "web.log"
        with running([str(ROOT / "scripts" / "web")], env, log) as process:
            wait_for_http(f"http://127.0.0.1:{port}/healthz", timeout=60, process=process, log=log)
            yield f"http://127.0.0.1:{port}"
