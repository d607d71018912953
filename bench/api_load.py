"""Load the API's list endpoints under gunicorn and print what they hold.

    python bench/generate.py --scale city      # first, once per database (PostgreSQL)
    python bench/api_load.py [--scale city] [--connections 8] [--seconds 15] [--workers 4]

Starts gunicorn on 127.0.0.1 (production settings, the configured database) and drives, with wrk
and one connection per client, the task list and the assignment list of the generated plan as its
staff and as one unit's reporter, beside ``users/me/`` (a signed-in answer that reads one row: the
framework's floor) in the same run. Prints requests per second, the median, 95th and 99th
percentile latency and the errors (failed connections and non-2xx answers) of each, and checks the
targets: p95 under 50 ms, at least a tenth of the floor's throughput, no error.

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
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.generate import generated_plan  # noqa: E402
from orgs.models import User  # noqa: E402
from tests.processes import ROOT, free_port  # noqa: E402

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
SHARE_OF_FLOOR = 0.1


def start_gunicorn(port: int, workers: int, cache_seconds: str | None) -> subprocess.Popen:
    env = {
        **os.environ,
        **({"API_CACHE_SECONDS": cache_seconds} if cache_seconds is not None else {}),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_USER_RATE": "100000000/minute",  # the load is the point here, not the throttle
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "reform.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=1)
        except urllib.error.HTTPError:
            return server  # 401: it answers
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer within 30 s")


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
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print(f"measuring on {connection.vendor}: point DATABASE_URL at PostgreSQL for the figures that count")
    plan = generated_plan(args.scale)
    if plan is None:
        return
    staff = User.objects.get(username=f"bench-{args.scale}-staff")
    reporter = User.objects.filter(username__startswith=f"bench-{args.scale}-", role="reporter").order_by("pk")[0]
    tokens = {user.username: Token.objects.get_or_create(user=user)[0].key for user in (staff, reporter)}
    for title, cache_seconds in (("as configured (pages kept until the data changes)", None), ("cache off", "0")):
        print(
            f"{args.scale} on {connection.vendor}, gunicorn {args.workers} workers, {args.connections} clients "
            f"for {args.seconds} s each, {title}:"
        )
        results = run(plan, staff, reporter, tokens, args, cache_seconds)
        report(results)


def run(plan, staff, reporter, tokens, args, cache_seconds) -> dict:
    port = free_port()
    server = start_gunicorn(port, args.workers, cache_seconds)
    base = f"http://127.0.0.1:{port}/api/v1"
    runs = [
        ("floor: users/me/ (staff)", f"{base}/users/me/", staff),
        ("task list (staff)", f"{base}/tasks/?plan={plan.pk}", staff),
        ("assignment list (staff)", f"{base}/assignments/?plan={plan.pk}", staff),
        ("task list (reporter)", f"{base}/tasks/?plan={plan.pk}", reporter),
        ("assignment list (reporter)", f"{base}/assignments/?plan={plan.pk}", reporter),
    ]
    results = {}
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(REPORT)
            script.flush()
            for name, url, user in runs:
                results[name] = load(url, tokens[user.username], args.connections, args.seconds, Path(script.name))
    finally:
        server.terminate()
        server.wait(timeout=30)
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
    lists = [found for name, found in results.items() if "list" in name]
    held = all(
        found["p95"] / 1000 < P95_LIMIT_MS and found["rps"] >= SHARE_OF_FLOOR * floor and not found["errors"]
        for found in lists
    )
    verdict = "held" if held else "NOT held"
    print(f"  targets (p95 < {P95_LIMIT_MS} ms, ≥ {SHARE_OF_FLOOR:.0%} of the floor, no error): {verdict}")


if __name__ == "__main__":
    main()
