"""Time the daily reminder sweep on plans made by bench/generate.py.

    python bench/generate.py --scale province      # first, once per database
    python bench/reminders.py [--scales district city province] [--dates 2022-01-04 …]

For each scale and day, inside a transaction rolled back at the end: the tasks of every other
plan are withdrawn (the sweep reads past them, as it reads past withdrawn tasks in real use), the
sweep history is cleared, and the sweep runs for the day. The default days are the heavy ones of
the generated plans: 2022-01-04, the first working day after a quarter of the tasks fell due
(overdue reminders for all their open work); Monday 2022-04-25, a report day and a digest day
months after the last reports; 2022-12-01, 30 days before another quarter falls due. Prints the
open assignments, the notifications recorded, the time and the number of queries.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.generate import generated_plan  # noqa: E402
from tasks.models import Assignment, Plan, Task  # noqa: E402
from tasks.reminders.models import SweepRun  # noqa: E402
from tasks.reminders.sweep import OWING, sweep  # noqa: E402


class RolledBack(Exception):
    """Carries the figures out of the transaction it undoes."""


def measure(plan: Plan, day: datetime.date) -> tuple[int, int, float, int]:
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Foreign keys are checked at commit, which never comes here: check them as rows go in.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            Task.objects.exclude(plan=plan).update(withdrawn_at=timezone.now())
            SweepRun.objects.all().delete()
            owing = Assignment.objects.filter(task__plan=plan, status__in=OWING).count()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                outcome = sweep(today=day)
                seconds = time.perf_counter() - started
            raise RolledBack((owing, outcome.created, seconds, len(queries)))
    except RolledBack as result:
        return result.args[0]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", nargs="+", default=["district", "city", "province"])
    parser.add_argument(
        "--dates", nargs="+", type=datetime.date.fromisoformat, default=["2022-01-04", "2022-04-25", "2022-12-01"]
    )
    args = parser.parse_args(argv)
    for scale in args.scales:
        plan = generated_plan(scale)
        if plan is None:
            continue
        assignments = Assignment.objects.filter(task__plan=plan).count()
        for day in args.dates:
            day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
            owing, created, seconds, queries = measure(plan, day)
            print(
                f"{scale} on {connection.vendor}: {assignments:,} assignments, {owing:,} owing work; "
                f"sweep for {day}: {created:,} notifications in {seconds:.2f} s, {queries} queries"
            )


if __name__ == "__main__":
    main()
