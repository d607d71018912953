"""Score the plan parser against the acceptance files and time it.

    python bench/import_accuracy.py [--shared ../shared] [--runs 20]

For each plan in ``shared/plans`` with an acceptance file: tasks found against expected,
and how many titles, lead units, responsible units and deadline years are right, plus
the plan's metadata; then the median parse time. Both sides are compared after
normalising (NFKC, traditional to simplified, spaces and punctuation dropped), as
``shared/README.md`` describes. Exits non-zero when any figure is short of full marks.
"""

import argparse
import json
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.importing import parse_document
from tasks.importing.normalize import fold

PLAN_FIELDS = ("title", "doc_number", "issuer", "issued_on", "kind")


def normalise(value):
    if value is None:
        return None
    if isinstance(value, list):
        return [normalise(item) for item in value]
    text = fold(unicodedata.normalize("NFKC", str(value)))
    return "".join(char for char in text if not unicodedata.category(char).startswith(("P", "Z", "S")) and char.strip())


def deadline_years(task) -> list[str]:
    years = {str(m.due.year) for m in task.milestones if m.due}
    if task.due and not task.due_inherited:
        years.add(str(task.due.year))
    return sorted(years)


def score(plan_path: Path, expected: dict) -> dict:
    parsed = parse_document(plan_path.read_bytes(), plan_path.name)
    found = {
        "title": parsed.title,
        "doc_number": parsed.doc_number,
        "issuer": parsed.issuer,
        "issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None,
        "kind": parsed.kind,
    }
    wrong_fields = [name for name in PLAN_FIELDS if normalise(found[name]) != normalise(expected["plan"][name])]
    rows = {"tasks": 0, "titles": 0, "lead": 0, "responsible": 0, "deadlines": 0, "deadlines_scored": 0}
    misses = []
    for want, got in zip(expected["tasks"], parsed.tasks, strict=False):
        rows["tasks"] += normalise([want["section"], want["number"]]) == normalise([got.section, got.number])
        checks = {
            "titles": (want["title"], got.title),
            "lead": (want["lead_units"], got.lead_units),
            "responsible": (want["responsible_units"], got.responsible_units),
        }
        if want["deadlines"] is not None:
            rows["deadlines_scored"] += 1
            checks["deadlines"] = (sorted(want["deadlines"]), deadline_years(got))
        for name, (a, b) in checks.items():
            if normalise(a) == normalise(b):
                rows[name] += 1
            else:
                misses.append(f"  {want['section']}{want['number']} {name}: expected {a!r}, found {b!r}")
    return {
        "expected": len(expected["tasks"]),
        "found": len(parsed.tasks),
        "rows": rows,
        "wrong_fields": wrong_fields,
        "misses": misses,
        "notices": len(parsed.notices),
    }


def parse_millis(path: Path, runs: int) -> float:
    data = path.read_bytes()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        parse_document(data, path.name)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    perfect = True
    for acceptance in sorted((args.shared / "acceptance").glob("*.json")):
        expected = json.loads(acceptance.read_text(encoding="utf-8"))
        plan_path = args.shared / "plans" / expected["source"]
        result = score(plan_path, expected)
        rows, n = result["rows"], result["expected"]
        deadlines = f"{rows['deadlines']}/{rows['deadlines_scored']}" if rows["deadlines_scored"] else "not scored"
        print(
            f"{plan_path.name}: tasks {result['found']}/{n} (in place {rows['tasks']}), titles {rows['titles']}/{n}, "
            f"lead units {rows['lead']}/{n}, responsible units {rows['responsible']}/{n}, deadline years {deadlines}, "
            f"plan fields {len(PLAN_FIELDS) - len(result['wrong_fields'])}/{len(PLAN_FIELDS)}"
            f"{' (wrong: ' + ', '.join(result['wrong_fields']) + ')' if result['wrong_fields'] else ''}, "
            f"notices {result['notices']}, parse {parse_millis(plan_path, args.runs):.1f} ms median"
        )
        for miss in result["misses"]:
            print(miss)
        perfect &= (
            result["found"] == n
            and all(rows[key] == n for key in ("tasks", "titles", "lead", "responsible"))
            and rows["deadlines"] == rows["deadlines_scored"]
            and not result["wrong_fields"]
        )
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main())
