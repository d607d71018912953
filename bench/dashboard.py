"""Time the leaders' dashboard on plans made by bench/generate.py.

    python bench/generate.py --scale province      # first, once per database
    python bench/dashboard.py [--scales district city province] [--runs 7]

For each scale, the dashboard of the generated plan through Django's test client (no network):
  cold          — nothing cached: today's figures and last month's (from history) computed;
  after a change — what a leader meets after any accept or report: today's figures computed again,
                  last month's still cached (a past day's figures cannot change);
  warm          — cached;
each as the median of ``--runs`` requests (after a change, twice as many), with the queries of one
request; the floor, the same grouped counts (by task and deadline, by unit and deadline) as one
hand-written SQL query with GROUPING SETS (PostgreSQL), run in turn with the requests after a change
(bench.scratch.side_by_side); and the targets: after a change within 3× that
floor, and within 300 ms at province scale. Runs in a transaction rolled back at its end, its cache
on a scratch Redis database (bench.scratch): the data is left as it was found.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False
settings.ALLOWED_HOSTS = ["testserver"]

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.scratch import measure_scales, requested, side_by_side  # noqa: E402
from orgs.models import User  # noqa: E402
from reports.dashboard import data_changed  # noqa: E402
from tasks.models import Assignment  # noqa: E402

RAW = """
SELECT a.task_id, a.unit_id, COALESCE(a.due, t.due) AS deadline,
       COUNT(*) AS all_work,
       COUNT(*) FILTER (WHERE a.status = 'accepted') AS accepted,
       COUNT(*) FILTER (WHERE a.status IN ('in_progress', 'returned')) AS in_progress,
       COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress', 'returned')
                          AND COALESCE(a.due, t.due) < %(day)s) AS overdue,
       COUNT(*) FILTER (WHERE COALESCE(a.due, t.due) BETWEEN %(day)s AND %(day)s + 30
                          AND a.status <> 'accepted') AS due_soon,
       COUNT(*) FILTER (WHERE a.status IN ('not_started', 'in_progress', 'returned')
                          AND NOT a.latest_period >= %(period)s) AS report_missing
FROM tasks_assignment a JOIN tasks_task t ON t.id = a.task_id
WHERE t.plan_id = %(plan)s AND t.withdrawn_at IS NULL AND a.status <> 'cancelled'
GROUP BY GROUPING SETS ((a.task_id, 3), (a.unit_id, 3))
"""


def median_ms(client, url: str, runs: int, before) -> float:
    (median,) = side_by_side(runs, (before, requested(client, url)))
    return median


def raw_query(plan):
    """The floor: one call runs the grouped counts as one hand-written query (PostgreSQL only)."""
    day = timezone.localdate()
    params = {"plan": plan.pk, "day": day, "period": f"{day:%Y-%m}"}

    def run():
        with connection.cursor() as cursor:
            cursor.execute(RAW, params)
            cursor.fetchall()

    return run


CHANGED_SHARE = 3
PROVINCE_CHANGED_MS = 300


def main(argv=None) -> None:
    measure_scales(argv, __doc__, runs=7, measure=measure_scale)


def measure_scale(scale: str, plan, runs: int) -> None:
    client = Client()
    client.force_login(User.objects.get(username=f"bench-{scale}-staff"))
    url = reverse("reports:dashboard") + f"?plan={plan.pk}"
    client.get(url)  # templates compiled, connection open
    cold = median_ms(client, url, runs, cache.clear)
    warm = median_ms(client, url, runs * 3, lambda: None)
    postgresql = connection.vendor == "postgresql"
    # After a change, request by request beside the floor: the ratio is the claim.
    page = (data_changed, requested(client, url))
    changed, raw = (
        side_by_side(runs * 2, page, raw_query(plan))
        if postgresql
        else (median_ms(client, url, runs, data_changed), None)
    )
    cache.clear()
    with CaptureQueriesContext(connection) as cold_queries:
        client.get(url)
    data_changed()
    with CaptureQueriesContext(connection) as changed_queries:
        client.get(url)
    with CaptureQueriesContext(connection) as warm_queries:
        client.get(url)
    assignments = Assignment.objects.filter(task__plan=plan).count()
    print(f"{scale} on {connection.vendor} ({assignments:,} assignments), dashboard median:")
    print(f"  cold {cold:.0f} ms ({len(cold_queries)} queries), after a change {changed:.0f} ms ", end="")
    print(f"({len(changed_queries)} queries), warm {warm:.0f} ms ({len(warm_queries)} queries)")
    if raw is None:
        return
    share = changed / raw
    print(f"  floor: the grouped counts as one raw SQL query (GROUPING SETS), in turn with it: {raw:.0f} ms")
    print(f"  target: after a change within {CHANGED_SHARE}× the floor: {share:.1f}×, {_held(share <= CHANGED_SHARE)}")
    if scale == "province":
        print(f"  target: after a change within {PROVINCE_CHANGED_MS} ms: {_held(changed <= PROVINCE_CHANGED_MS)}")


def _held(held: bool) -> str:
    return "held" if held else "NOT held"


if __name__ == "__main__":
    main()
