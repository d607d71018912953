"""Many people at once on the pages that matter, through the browser's own doors.

    python bench/generate.py --scale city      # first, once per database (PostgreSQL)
    python bench/load.py [--scale city] [--clients 50] [--seconds 60] [--workers 4]

Copies the configured database (bench.scratch: what the load writes is dropped with the copy),
starts scripts/web (gunicorn, production settings) on the copy and a scratch Redis database, and
signs in ``--clients`` reporters of the generated plan, each of another unit, through the login form.
Each then loops for ``--seconds``: the task list, a task page, the dashboard, and every third
round a progress report posted through the task page's form (CSRF token and version read from
the page, the redirect followed as a browser does). Prints, for each kind of request and in all,
requests per second, the median and 99th percentile latency and the answers by status; then counts
the reports sent against those stored: none may be lost or stored twice, and no answer may be a
5xx. Exits non-zero when any of that fails, or when a client found no report form.
"""

import argparse
import os
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

import requests  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.generate import generated_plan  # noqa: E402
from bench.scratch import database_copy, scratch_redis  # noqa: E402
from bench.web import running_web  # noqa: E402
from orgs.choices import Role  # noqa: E402
from orgs.models import User  # noqa: E402
from tasks.choices import AssignmentStatus  # noqa: E402
from tasks.models import Assignment, ProgressReport  # noqa: E402
from tests.processes import browser_session  # noqa: E402

PASSWORD = "Bench-Load-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'class="report-form"[^>]*>.*?name="version" value="(\d+)"', re.S)
REPORTED = "已报送进展"


class Client(threading.Thread):
    """One person: signed in, then round after round until the deadline."""

    def __init__(self, base, username, assignment, plan_id, deadline, marker, results):
        super().__init__(daemon=True)
        self.base, self.username, self.assignment = base, username, assignment
        # Signed in before the clock starts: 50 password hashes at once are a sign-in storm, not the load.
        self.session = browser_session(base, username, PASSWORD, timeout=120)
        self.plan_id, self.deadline, self.marker, self.results = plan_id, deadline, marker, results
        self.sent: list[str] = []  # texts of reports the platform said it stored
        self.unsure: list[str] = []  # texts sent whose answer never came

    def timed(self, kind, method, url, **kwargs):
        started = time.perf_counter()
        try:
            answer = self.session.request(method, f"{self.base}{url}", timeout=60, **kwargs)
        except requests.RequestException:
            self.results.append((kind, time.perf_counter() - started, "failed"))
            return None
        self.results.append((kind, time.perf_counter() - started, answer.status_code))
        return answer

    def run(self):
        task_page = f"/tasks/{self.assignment.task_id}/"
        rounds = 0
        while time.monotonic() < self.deadline:
            rounds += 1
            self.timed("task list", "GET", f"/tasks/?plan={self.plan_id}")
            page = self.timed("task page", "GET", task_page)
            self.timed("dashboard", "GET", "/dashboard/")
            if rounds % 3 == 0 and page is not None and page.status_code == 200:
                self.report(page.text)

    def report(self, page: str):
        token, version = CSRF.search(page), VERSION.search(page)
        if not (token and version):
            self.results.append(("report", 0.0, "no form"))
            return
        text = f"{self.marker} {self.username} {uuid.uuid4().hex[:8]}"
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "version": version.group(1),
            "period": timezone.localdate().strftime("%Y-%m"),
            "percent": "50",
            "text": text,
        }
        answer = self.timed(
            "report",
            "POST",
            f"/assignments/{self.assignment.pk}/report/",
            data=data,
            headers={"Referer": f"{self.base}/tasks/{self.assignment.task_id}/"},
        )
        if answer is None:
            self.unsure.append(text)
        elif answer.status_code == 200 and REPORTED in answer.text:
            self.sent.append(text)


def prepare(scale: str, clients: int):
    plan = generated_plan(scale)
    if plan is None:
        raise SystemExit(f"no generated {scale} plan here: run bench/generate.py --scale {scale} first")
    # Reporters of units with work in the plan, one per unit: the people who post reports.
    reporters = list(
        User.objects.filter(role=Role.REPORTER, is_active=True, unit__assignments__task__plan=plan)
        .order_by("unit_id", "pk")
        .distinct("unit_id")[:clients]
    )
    if len(reporters) < clients:
        raise SystemExit(f"the {scale} plan has {len(reporters)} reporters; ask for --clients {len(reporters)} at most")
    open_work = [AssignmentStatus.NOT_STARTED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.RETURNED]
    picked = []
    for user in reporters:
        user.set_password(PASSWORD)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        work = Assignment.objects.filter(task__plan=plan, unit=user.unit, status__in=open_work).order_by("pk").first()
        if work is None:
            raise SystemExit(f"{user.unit} has no open work in the {scale} plan to report on")
        picked.append((user.username, work))
    return plan, picked


def summary(results, seconds):
    print(f"{'request':<10} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  answers")
    kinds = defaultdict(list)
    for kind, took, status in results:
        kinds[kind].append((took, status))
    for kind, rows in [*sorted(kinds.items()), ("all", [(t, s) for _, t, s in results])]:
        times = sorted(took for took, _ in rows)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0
        statuses = Counter(status for _, status in rows)
        answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str))
        print(
            f"{kind:<10} {len(rows):>7} {len(rows) / seconds:>7.1f} {statistics.median(times) * 1000:>8.0f} "
            f"{p99 * 1000:>8.0f}  {answers}"
        )
    return sum(1 for _, _, status in results if isinstance(status, int) and status >= 500)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="city")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("run it against PostgreSQL: DATABASE_URL=postgres://…")

    with scratch_redis() as redis_url, database_copy() as database_url:
        plan, picked = prepare(args.scale, args.clients)
        marker = f"[load-{uuid.uuid4().hex[:6]}]"
        with running_web(args.workers, database_url, redis_url) as base:
            results: list = []
            deadline = time.monotonic() + 3600  # set once everyone is signed in
            clients = [Client(base, username, work, plan.pk, deadline, marker, results) for username, work in picked]
            started = time.monotonic()
            for client in clients:
                client.deadline = started + args.seconds
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.monotonic() - started
        stored = Counter(ProgressReport.objects.filter(text__startswith=marker).values_list("text", flat=True))
    return verdict(args, clients, results, elapsed, stored)


def verdict(args, clients, results, elapsed, stored) -> int:
    print(
        f"{args.scale} plan on PostgreSQL, scripts/web with {args.workers} gunicorn processes, {args.clients} clients, "
        f"{elapsed:.0f} s, {os.cpu_count()} cores shared by server, database and clients"
    )
    server_errors = summary(results, elapsed)
    sent = [text for client in clients for text in client.sent]
    unsure = [text for client in clients for text in client.unsure]
    lost = [text for text in sent if text not in stored]
    doubled = [text for text, count in stored.items() if count > 1]
    unexpected = [text for text in stored if text not in sent and text not in unsure]
    print(
        f"reports: {len(sent)} confirmed sent, {sum(stored.values())} stored, {len(lost)} lost, "
        f"{len(doubled)} stored twice, {len(unexpected)} stored but refused, {len(unsure)} without an answer"
    )
    formless = sum(1 for kind, _, status in results if status == "no form")
    failed = server_errors or lost or doubled or unexpected or formless
    print("FAILED" if failed else "OK: no 5xx, every report form found, no report lost or stored twice")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
