"""Time importing a large plan into the configured database, then roll it back.

    python bench/import_speed.py [--tasks 300] [--members 20] [--runs 3]

Writes a plan of ``--tasks`` numbered tasks in 20 sections, each led by one unit with
one named department and a collective group of ``--members`` enterprises responsible
(so 300 tasks give 6,600 assignments), then times parsing, preview (parse and unit
resolution) and confirm (every row with its history) on the database DATABASE_URL
points to. Each run happens in a transaction that is rolled back: the database is
left as it was. Prints the median of each.
"""

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

# With DEBUG on, Django keeps the SQL of every query: gigabytes of bulk inserts here.
settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402

from orgs.choices import UnitKind  # noqa: E402
from orgs.models import Unit, UnitGroup  # noqa: E402
from tasks.importing import parse_document  # noqa: E402
from tasks.services.plan_import import plan_import_confirm, plan_import_preview  # noqa: E402

SECTIONS = 20


class Rollback(Exception):
    """Raised to leave the measured transaction without keeping what it wrote."""


def plan_text(tasks: int) -> str:
    lines = ["基准市国企改革深化提升行动实施方案（2023—2025年）", "二、重点任务"]
    per_section = -(-tasks // SECTIONS)
    for number in range(1, tasks + 1):
        if (number - 1) % per_section == 0:
            lines.append(f"（{'一二三四五六七八九十'[((number - 1) // per_section) % 10]}）改革领域{number}")
        lines += [
            f"{number}．基准任务第{number}项。2024年6月底前出台《基准制度{number}》，2025年全面完成。",
            "牵头单位：基准国资委",
            "责任单位：基准财政局、各基准企业",
        ]
    return "\n".join(lines)


def make_units(members: int) -> None:
    Unit.objects.create(name="基准国资委", kind=UnitKind.SASAC)
    Unit.objects.create(name="基准财政局", kind=UnitKind.DEPARTMENT)
    group = UnitGroup.objects.create(name="各基准企业")
    group.units.set(
        Unit.objects.bulk_create(Unit(name=f"基准企业{n}", kind=UnitKind.ENTERPRISE) for n in range(members))
    )


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def one_run(data: bytes, members: int) -> tuple[float, float, int]:
    figures = {}
    with contextlib.suppress(Rollback), transaction.atomic():
        make_units(members)
        holder = {}
        figures["preview"] = timed(lambda: holder.update(p=plan_import_preview(data=data, filename="基准.txt")))
        figures["confirm"] = timed(lambda: holder.update(r=plan_import_confirm(preview=holder["p"], user=None)))
        figures["assignments"] = holder["r"].assignments
        raise Rollback
    return figures["preview"], figures["confirm"], figures["assignments"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    data = plan_text(args.tasks).encode()
    parse = statistics.median(timed(lambda: parse_document(data, "基准.txt")) for _ in range(args.runs))
    with tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media
        runs = [one_run(data, args.members) for _ in range(args.runs)]
    preview = statistics.median(run[0] for run in runs)
    confirm = statistics.median(run[1] for run in runs)
    print(
        f"import of {args.tasks} tasks × group of {args.members} ({runs[0][2]:,} assignments) on {connection.vendor}: "
        f"parse {parse * 1000:.0f} ms, preview {preview * 1000:.0f} ms, confirm {confirm * 1000:.0f} ms, "
        f"total {(preview + confirm):.2f} s (median of {args.runs})"
    )


if __name__ == "__main__":
    main()
