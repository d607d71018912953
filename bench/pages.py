"""Time the platform's pages and API lists on plans made by bench/generate.py.

    python bench/generate.py --scale city      # first, once per database
    python bench/pages.py [--scales district city province] [--runs 20]

For each scale, every page that grows with the data (the plan list and page, the task list plain and
filtered, a task page as its staff and as a unit's reporter, its timeline, 我的任务, the review
queue, the work list, the dashboard after a change) and the API's lists made afresh (its cache
off: as the first request after any change is), each requested ``--runs`` times through Django's
test client (no network) against the configured database. Prints the median and the 95th
percentile in milliseconds and the queries of one request, beside the floor measured in the same
run: the Django admin's changelist of the plan's assignments (a count, a page of 100 rows). Then
the targets: the task page within 0.7× that floor (the two requested in turn, twice ``--runs``
times: bench.scratch.side_by_side), and at province scale every median within
150 ms (the dashboard's, after a change, within 300 ms: bench/dashboard.py). Runs in a
transaction rolled back at its end, its cache on a scratch Redis database (bench.scratch): the
data is left as it was found.
"""

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
settings.API_CACHE_SECONDS = 0  # the API's lists made afresh every time

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.generate import api_lists  # noqa: E402
from bench.scratch import measure_scales, requested, side_by_side  # noqa: E402
from orgs.models import User  # noqa: E402
from reports.dashboard import data_changed  # noqa: E402
from tasks.models import Assignment  # noqa: E402

TASK_PAGE_SHARE = 0.7
PROVINCE_MEDIAN_MS = 150


def measure(client: Client, url: str, runs: int, before=None) -> tuple[float, float, int]:
    client.get(url)  # warm: templates compiled, connection open
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def pages(plan, staff, reporter) -> list[tuple]:
    """(name, user, url, what to do before each request) of what is timed."""
    task = plan.tasks.order_by("position").first()
    task_list = reverse("tasks:task_list")
    found = [
        ("plan list", staff, reverse("tasks:plan_list"), None),
        ("plan page", staff, reverse("tasks:plan_detail", args=[plan.pk]), None),
        ("task list", staff, f"{task_list}?plan={plan.pk}", None),
        (
            "filtered task list",
            staff,
            f"{task_list}?plan={plan.pk}&unit={reporter.unit_id}&status=in_progress&sort=due",
            None,
        ),
        ("task page", staff, reverse("tasks:task_detail", args=[task.pk]), None),
        ("task page (reporter)", reporter, reverse("tasks:task_detail", args=[task.pk]), None),
        ("task timeline", staff, reverse("tasks:task_timeline", args=[task.pk]), None),
        ("我的任务", reporter, reverse("tasks:my_tasks"), None),
        ("review queue", staff, reverse("tasks:review_queue"), None),
        ("work list (overdue)", staff, reverse("tasks:work_list") + f"?plan={plan.pk}&measure=overdue", None),
        ("dashboard after a change", staff, reverse("reports:dashboard") + f"?plan={plan.pk}", data_changed),
    ]
    for user, whose in ((staff, "staff"), (reporter, "reporter")):
        for name, path in api_lists(plan):
            found.append((f"API {name} ({whose})", user, f"/api/v1/{path}", None))
    return found


def main(argv=None) -> None:
    measure_scales(argv, __doc__, runs=20, measure=measure_scale)


def measure_scale(scale: str, plan, runs: int) -> None:
    staff = User.objects.get(username=f"bench-{scale}-staff")
    reporter = User.objects.get(username=f"bench-{scale}-001")
    admin = User.objects.create_superuser(f"bench-{scale}-admin", password=None)
    tasks, assignments = plan.tasks.count(), Assignment.objects.filter(task__plan=plan).count()
    print(f"{scale} on {connection.vendor} ({tasks:,} tasks, {assignments:,} assignments):")
    floor_url = reverse("admin:tasks_assignment_changelist") + f"?task__plan__id__exact={plan.pk}"
    clients = {}

    def client_of(user):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    floor, floor_p95, floor_queries = measure(client_of(admin), floor_url, runs)
    name = "floor: the admin changelist"
    print(f"  {name:32} median {floor:5.0f} ms, p95 {floor_p95:5.0f} ms, {floor_queries} queries")
    medians = {}
    for name, user, url, before in pages(plan, staff, reporter):
        median, p95, queries = measure(client_of(user), url, runs, before)
        medians[name] = median
        print(
            f"  {name:32} median {median:5.0f} ms, p95 {p95:5.0f} ms, {queries} queries, "
            f"{median / floor:4.2f}× the floor"
        )
    # The target's ratio taken request by request, the task page in turn with the floor.
    task_url = next(url for name, _, url, _ in pages(plan, staff, reporter) if name == "task page")
    beside, floor_beside = side_by_side(
        runs * 2, requested(client_of(staff), task_url), requested(client_of(admin), floor_url)
    )
    task_page = beside / floor_beside
    print(
        f"  target: the task page within {TASK_PAGE_SHARE}× the admin changelist, in turn with it "
        f"({beside:.0f} ms against {floor_beside:.0f} ms): {task_page:.2f}×, "
        f"{'held' if task_page <= TASK_PAGE_SHARE else 'NOT held'}"
    )
    if scale == "province":
        # The dashboard's own target after a change is bench/dashboard.py's (300 ms).
        over = {n: m for n, m in medians.items() if m > PROVINCE_MEDIAN_MS and not n.startswith("dashboard")}
        verdict = "held" if not over else "NOT held: " + ", ".join(f"{n} {m:.0f} ms" for n, m in over.items())
        print(f"  target: every median within {PROVINCE_MEDIAN_MS} ms at province scale: {verdict}")


if __name__ == "__main__":
    main()
