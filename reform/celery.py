"""The Celery app. Jobs live in each app's ``jobs.py``."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

app = Celery("reform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


def _ensure_broker_folders() -> None:
    # The file-system transport needs its folders before the first publish, in the web
    # process as much as in the worker.
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        folder = (app.conf.broker_transport_options or {}).get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
    backend = app.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare(sender, **kwargs):
    _ensure_broker_folders()


@app.task(name="reform.ping", ignore_result=False)
def ping() -> str:
    """Answer 'pong': proves a worker takes jobs from the broker and returns results."""
    return "pong"
