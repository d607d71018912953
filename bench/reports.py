"""Time the PDF reports on the city-scale plan made by bench/generate.py.

    python bench/generate.py --scale city      # first, once per database
    python bench/reports.py [--scale city]

Each kind (progress report, overdue bulletin, a unit's report, a task's dossier) is made in a
process of its own, so that its peak memory is its own: prints seconds, pages, peak memory, file
size, and the share of the time spent outside WeasyPrint's layout and PDF writing (queries,
templates, charts). Then the progress report's ledger rows, as they are and six times over, are
laid out by WeasyPrint twice: as one plain <table> (automatic table layout) and as the report lays
them out (a block per task), and both times are printed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.template import Context, Template  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from bench.generate import generated_plan  # noqa: E402
from bench.memory import peak_mib  # noqa: E402
from orgs.models import User  # noqa: E402
from reports import progress  # noqa: E402
from reports.documents import render, resolve  # noqa: E402
from reports.progress import task_lines  # noqa: E402
from reports.snapshot import snapshot  # noqa: E402
from tasks.models import Assignment  # noqa: E402

KINDS = ("progress", "overdue", "unit", "dossier")


def one(kind: str, scale: str) -> dict:
    """Make one report in this process and say what it cost."""
    plan = generated_plan(scale)
    staff = User.objects.get(username=f"bench-{scale}-staff")
    unit = Assignment.objects.filter(task__plan=plan).values_list("unit", flat=True).first()
    params = {"plan": plan.pk, "unit": unit, "task": plan.tasks.order_by("position").first().pk}
    weasy = [0.0]
    real_html = progress.HTML

    class TimedHTML:
        """WeasyPrint's HTML, its layout and PDF writing timed."""

        def __init__(self, **kwargs):
            self.html = real_html(**kwargs)

        def render(self):
            started = time.perf_counter()
            document = self.html.render()
            weasy[0] += time.perf_counter() - started
            write = document.write_pdf

            def write_pdf(*args, **kwargs):
                started = time.perf_counter()
                content = write(*args, **kwargs)
                weasy[0] += time.perf_counter() - started
                return content

            document.write_pdf = write_pdf
            return document

    progress.HTML = TimedHTML
    started = time.perf_counter()
    # Laid out as issued, not stored: the benchmark times the making.
    report, _name = render(resolve(kind, staff, **params), staff, code="BENC-HMAR-KCOD-E000")
    seconds = time.perf_counter() - started
    return {
        "kind": kind,
        "seconds": seconds,
        "pages": report.pages,
        "peak_mib": peak_mib(),
        "kib": len(report.content) / 1024,
        "outside": (seconds - weasy[0]) / seconds,
    }


def table_seconds(scale: str, layout: str, copies: int) -> dict:
    """The ledger rows (``copies`` times over) laid out as one plain table or as the report does."""
    plan = generated_plan(scale)
    lines = task_lines(snapshot(plan, User.objects.get(username=f"bench-{scale}-staff"))) * copies
    if layout == "ours":
        html = Template(
            '{% extends "reports/pdf/base.html" %}{% block body %}{% include "reports/pdf/includes/ledger.html" %}'
            "{% endblock %}"
        ).render(Context({"lines": lines}))
    else:
        cells = "".join(
            f"<tr><td>{line.task.section}</td><td>{line.task.number}</td><td>{line.task.title}</td>"
            f"<td>{'、'.join(line.task.lead_units)}</td><td>{line.responsible}</td><td>{line.task.due}</td>"
            f"<td>{line.accepted}/{line.total}</td><td>{line.latest[:80]}</td></tr>"
            for line in lines
        )
        html = (
            '<html><body style="font-family: Noto Serif CJK SC; font-size: 9pt"><table border="1">'
            f"<thead><tr>{'<th>列</th>' * 8}</tr></thead><tbody>{cells}</tbody></table></body></html>"
        )
    started = time.perf_counter()
    HTML(string=html).render().write_pdf()
    return {"rows": len(lines), "seconds": time.perf_counter() - started}


def in_own_process(scale: str, *args: str) -> dict:
    """Run this script with ``args`` in a fresh process (its memory and heap its own): its JSON answer."""
    out = subprocess.run(
        [sys.executable, __file__, "--scale", scale, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--one", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--table", choices=("plain", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--copies", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    translation.activate(settings.LANGUAGE_CODE)
    if args.one:
        print(json.dumps(one(args.one, args.scale)))
        return
    if args.table:
        print(json.dumps(table_seconds(args.scale, args.table, args.copies)))
        return
    if generated_plan(args.scale) is None:
        return
    print(f"reports of the {args.scale}-scale plan:")
    for kind in KINDS:
        r = in_own_process(args.scale, "--one", kind)
        print(
            f"  {kind}: {r['seconds']:.1f} s, {r['pages']} pages, peak {r['peak_mib']:.0f} MiB, "
            f"{r['kib']:.0f} KiB, {r['outside']:.0%} of the time outside WeasyPrint"
        )
    for copies in (1, 6):
        plain, ours = (in_own_process(args.scale, "--table", how, "--copies", str(copies)) for how in ("plain", "ours"))
        rows, plain, ours = plain["rows"], plain["seconds"], ours["seconds"]
        print(
            f"  {rows} ledger rows: one plain <table> {plain:.1f} s, as the report lays them out {ours:.1f} s "
            f"({ours / plain:.0%})"
        )


if __name__ == "__main__":
    main()
