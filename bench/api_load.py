"""Load the API's list endpoints under gunicorn and print what they hold.

    python bench/generate.py --scale city      # first, once per database (PostgreSQL)
    python bench/api_load.py [--scale city] [--connections 8] [--seconds 10] [--workers 4]

Starts scripts/web on 127.0.0.1 (production settings, on a copy of the configured database and a
scratch Redis database, bench.scratch: the tokens it makes go with them) and drives, with wrk
and one connection per client, the API's lists that grow with the generated plan (plans, tasks,
assignments, milestones, a task's reports, units, notifications) as its staff and as one unit's
reporter, beside ``users/me/`` (a signed-in answer that reads one row: the
framework's floor) in the same run. Prints requests per second, the median, 95th and 99th
percentile latency and the errors (failed connections and non-2xx answers) of each, and checks the
targets: p95 under 50 ms, at least 40 % of the floor's throughput, no error.

Two runs: as configured (a page asked again is answered from the cache until the data changes,
reform.api.cache), and with that cache off (API_CACHE_SECONDS=0: every page made afresh, as the
first request after any change is).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.generate import api_lists, generated_plan  # noqa: E402
from bench.scratch import database_copy, scratch_redis  # noqa: E402
from bench.web import running_web  # noqa: E402
from orgs.choices import Role  # noqa: E402
from orgs.models import User  # noqa: E402

# wrk's own summary in JSON: its latency percentiles are in microseconds.
REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors))
end
"""

P95_LIMIT_MS = 50
SHARE_OF_FLOOR = 0.4


def load(url: str, token: str, connections: int, seconds: int, script: Path) -> dict:
    header = ["-H", f"Authorization: Token {token}"]
    warm = ["wrk", "-t1", f"-c{connections}", "-d2s", *header, url]
    subprocess.run(warm, check=True, capture_output=True)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), *header, url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found = json.loads(output.strip().splitlines()[-1])
    found["rps"] = found["requests"] / found["seconds"]
    return found


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("run it against PostgreSQL: DATABASE_URL=postgres://…")
    with scratch_redis() as redis_url, database_copy() as database_url:
        plan = generated_plan(args.scale)
        if plan is None:
            return
        staff = User.objects.get(username=f"bench-{args.scale}-staff")
        reporter = User.objects.filter(role=Role.REPORTER, unit__assignments__task__plan=plan).order_by("pk")[0]
        tokens = {user.username: Token.objects.create(user=user).key for user in (staff, reporter)}
        for title, cache_seconds in (("as configured (pages kept until the data changes)", None), ("cache off", "0")):
            print(
                f"{args.scale} on {connection.vendor}, scripts/web {args.workers} workers, {args.connections} clients "
                f"for {args.seconds} s each, {title}:"
            )
            settings = {"API_USER_RATE": "100000000/minute"}  # the load is the point here, not the throttle
            if cache_seconds is not None:
                settings["API_CACHE_SECONDS"] = cache_seconds
            with running_web(args.workers, database_url, redis_url, **settings) as base:
                results = run(f"{base}/api/v1", plan, staff, reporter, tokens, args)
            report(results)


def run(base, plan, staff, reporter, tokens, args) -> dict:
    runs = [
        ("floor: users/me/ (staff)", f"{base}/users/me/", staff),
        *((f"{name} (staff)", f"{base}/{path}", staff) for name, path in api_lists(plan)),
        *((f"{name} (reporter)", f"{base}/{path}", reporter) for name, path in api_lists(plan)),
    ]
    results = {}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(REPORT)
        script.flush()
        for name, url, user in runs:
            results[name] = load(url, tokens[user.username], args.connections, args.seconds, Path(script.name))
    return results


def report(results: dict) -> None:
    floor = next(iter(results.values()))["rps"]
    for name, found in results.items():
        share = found["rps"] / floor
        print(
            f"  {name:28} {found['rps']:7.0f} req/s ({share:4.0%} of the floor), median "
            f"{found['p50'] / 1000:5.1f} ms, p95 {found['p95'] / 1000:5.1f} ms, p99 {found['p99'] / 1000:5.1f} ms, "
            f"{found['errors']} errors"
        )
    lists = [found for name, found in results.items() if not name.startswith("floor")]
    held = all(
        found["p95"] / 1000 < P95_LIMIT_MS and found["rps"] >= SHARE_OF_FLOOR * floor and not found["errors"]
        for found in lists
    )
    verdict = "held" if held else "NOT held"
    print(f"  targets (p95 < {P95_LIMIT_MS} ms, ≥ {SHARE_OF_FLOOR:.0%} of the floor, no error): {verdict}")


if __name__ == "__main__":
    main()
