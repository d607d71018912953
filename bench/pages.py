"""Time the supervision pages on plans made by bench/generate.py.

    python bench/generate.py --scale city      # first, once per database
    python bench/pages.py [--scales district city] [--runs 20]

For each scale: the plan page, a task page, 我的任务 of one unit's reporter and a task list
filtered by unit and status, each requested ``--runs`` times through Django's test client
(no network) against the configured database. Prints the median and the 95th percentile in
milliseconds and the number of queries of one request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

# With DEBUG on, Django keeps the SQL of every query in memory.
settings.DEBUG = False
settings.ALLOWED_HOSTS = ["testserver"]

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.generate import generated_plan  # noqa: E402
from orgs.models import User  # noqa: E402
from tasks.models import Assignment  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm: templates compiled, connection open
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", nargs="+", default=["district", "city"])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    for scale in args.scales:
        plan = generated_plan(scale)
        if plan is None:
            continue
        staff = User.objects.get(username=f"bench-{scale}-staff")
        reporter = User.objects.get(username=f"bench-{scale}-001")
        task = plan.tasks.order_by("position").first()
        pages = [
            ("plan page", staff, reverse("tasks:plan_detail", args=[plan.pk])),
            ("task page", staff, reverse("tasks:task_detail", args=[task.pk])),
            ("我的任务", reporter, reverse("tasks:my_tasks")),
            (
                "filtered task list",
                staff,
                reverse("tasks:task_list") + f"?plan={plan.pk}&unit={reporter.unit_id}&status=in_progress&sort=due",
            ),
        ]
        tasks, assignments = plan.tasks.count(), Assignment.objects.filter(task__plan=plan).count()
        print(f"{scale} on {connection.vendor} ({tasks:,} tasks, {assignments:,} assignments):")
        for name, user, url in pages:
            client = Client()
            client.force_login(user)
            median, p95, queries = measure(client, url, args.runs)
            print(f"  {name}: median {median:.0f} ms, p95 {p95:.0f} ms, {queries} queries")


if __name__ == "__main__":
    main()
