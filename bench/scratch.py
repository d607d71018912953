"""Benches leave the data as they found it.

A bench that only reads runs in a transaction rolled back at its end (``rolled_back``): the sessions
its test client signs in with and the versions it raises go with it. A bench whose server writes
(reports posted, tokens made, passwords set) runs on a copy of the database made for it and dropped
after (``database_copy``). Both keep their cache and queue apart (``scratch_redis``): a cached page
of the copy, or of a version rolled back, must never answer for the real data once its version
number comes round again, nor a queued job run against it.
"""

import argparse
import statistics
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import override_settings

# The Redis database a bench's cache and queue live in, emptied after: this platform's own use is
# the database its REDIS_URL names (0 by default).
SCRATCH_REDIS_DB = 15


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """The block in a transaction that is rolled back at its end, whatever the block wrote."""
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def scratch_redis_url(redis_url: str | None) -> str | None:
    if not redis_url:
        return None
    parts = urlsplit(redis_url)
    return urlunsplit(parts._replace(path=f"/{SCRATCH_REDIS_DB}"))


@contextmanager
def scratch_redis():
    """This process's cache on the scratch Redis database for the block, emptied after; yields its
    URL for servers the bench starts (None when the platform runs without Redis)."""
    url = scratch_redis_url(settings.REDIS_URL)
    if url is None:
        yield None
        return
    scratch = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    # Django's own handler of changed settings opens the cache again on the new location.
    with override_settings(CACHES=scratch):
        caches["default"].clear()
        try:
            yield url
        finally:
            caches["default"].clear()


def _maintenance(db: dict):
    link = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"]
    )
    link.autocommit = True
    return link


@contextmanager
def database_copy():
    """The configured PostgreSQL database copied for the block (this process switched to the copy),
    dropped after; yields the copy's URL for the servers the bench starts."""
    db = connection.settings_dict
    original = db["NAME"]
    copy = f"{original}_bench_{uuid.uuid4().hex[:8]}"
    connection.close()
    link = _maintenance(db)
    try:
        with link.cursor() as cursor:
            try:
                # The files copied as they are: much quicker than replaying them for a large database.
                cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{original}" STRATEGY FILE_COPY')
            except psycopg2.errors.ObjectInUse as error:
                raise SystemExit(
                    f"cannot copy {original} while others use it (a server or worker on it?): {error}"
                ) from error
        db["NAME"] = copy
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        try:
            yield f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{copy}"
        finally:
            connection.close()
            db["NAME"] = original
            with link.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    finally:
        link.close()


def measure_scales(argv, doc: str, *, runs: int, measure) -> None:
    """The command line of a bench that reads (``--scales``, ``--runs``): ``measure(scale, plan, runs)``
    for each generated plan asked for, rolled back, on the scratch Redis."""
    from bench.generate import generated_plan

    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--scales", nargs="+", default=["district", "city", "province"])
    parser.add_argument("--runs", type=int, default=runs)
    args = parser.parse_args(argv)
    with scratch_redis(), rolled_back():
        for scale in args.scales:
            plan = generated_plan(scale)
            if plan is not None:
                measure(scale, plan, args.runs)


def side_by_side(runs: int, *steps) -> list[float]:
    """The median milliseconds of each of ``steps``, run in turn ``runs`` times, the order turned each
    time: a ratio of two of them is then taken under the same conditions, which on a shared machine
    drift by half within a minute. A step is a callable, or (what to do first, untimed; the callable)."""
    pairs = [step if isinstance(step, tuple) else (None, step) for step in steps]
    times: list[list[float]] = [[] for _ in pairs]
    for run in range(runs):
        for offset in range(len(pairs)):
            index = (run + offset) % len(pairs)
            before, step = pairs[index]
            if before:
                before()
            started = time.perf_counter()
            step()
            times[index].append((time.perf_counter() - started) * 1000)
    return [statistics.median(each) for each in times]


def requested(client, url: str):
    """One call requests ``url``; an answer other than 200 stops the bench."""

    def get():
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)

    return get
