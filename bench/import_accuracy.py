"""Score the plan parser against the labelled documents and time it.

    python bench/import_accuracy.py [--shared ../shared] [--runs 20] [--misses]

Scores every plan of ``shared/plans`` against its acceptance file and every document of
``shared/corpus`` against its gold file. A row is right when its title, lead units,
responsible units and deadlines all are; the share of right rows is taken over the longer
of the two task lists, so a missed task and an extra one each cost a row. Rows are paired
in document order by their titles (a replaced task still pairs with the one it replaced).
Both sides are compared after normalising (NFKC, traditional to simplified, spaces and
punctuation dropped), as ``shared/README.md`` describes. Prints each document's figures,
the corpus mean and the median parse time; exits non-zero when a target is missed.
"""

import argparse
import difflib
import json
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.importing import parse_document
from tasks.importing.normalize import fold

PLAN_FIELDS = ("title", "doc_number", "issuer", "issued_on", "kind")
ROW_FIELDS = ("title", "lead", "responsible", "deadlines")
TARGETS = {"seed": 1.0, "corpus_mean": 0.98, "corpus_each": 0.95, "parse_ms": 50.0}


def normalise(value):
    if value is None:
        return None
    if isinstance(value, list):
        return [normalise(item) for item in value]
    text = fold(unicodedata.normalize("NFKC", str(value)))
    return "".join(char for char in text if not unicodedata.category(char).startswith(("P", "Z", "S")) and char.strip())


def deadline_labels(task, *, months: bool) -> list[str]:
    """The task's own deadlines: "2021", or "2021-06" where the text names the month and ``months``."""
    dated = [(m.due, m.precision) for m in task.milestones if m.due]
    if task.due and not task.due_inherited:
        dated.append((task.due, task.due_precision))
    labels = set()
    for due, precision in dated:
        labels.add(f"{due.year}-{due.month:02d}" if months and precision in ("month", "day") else str(due.year))
    return sorted(labels)


@dataclass
class Score:
    name: str
    expected: int
    found: int
    right_rows: int = 0
    fields: dict = field(default_factory=lambda: dict.fromkeys(ROW_FIELDS, 0))
    numbers: int = 0
    wrong_plan_fields: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    notices: int = 0

    @property
    def share(self) -> float:
        longer = max(self.expected, self.found)
        return self.right_rows / longer if longer else 1.0


def pairs(expected: list[dict], found: list) -> list[tuple[dict | None, object | None]]:
    """Expected and found rows paired in order by their titles; a row with no partner pairs with None."""
    keys_a = [normalise(task["title"]) for task in expected]
    keys_b = [normalise(task.title) for task in found]
    paired = []
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            common = min(a1 - a0, b1 - b0)
            paired += [(expected[a0 + k], found[b0 + k]) for k in range(common)]
            paired += [(task, None) for task in expected[a0 + common : a1]]
            paired += [(None, task) for task in found[b0 + common : b1]]
        elif tag == "delete":
            paired += [(task, None) for task in expected[a0:a1]]
        else:
            paired += [(None, task) for task in found[b0:b1]]
    return paired


def score(path: Path, expected: dict, *, months: bool = False) -> Score:
    return score_parsed(path.name, parse_document(path.read_bytes(), path.name), expected, months=months)


def score_parsed(name: str, parsed, expected: dict, *, months: bool = False) -> Score:
    """The score of a plan already parsed (bench/import_formats.py parses each format itself)."""
    result = Score(name, len(expected["tasks"]), len(parsed.tasks), notices=len(parsed.notices))
    if "plan" in expected:
        found = {
            "title": parsed.title,
            "doc_number": parsed.doc_number,
            "issuer": parsed.issuer,
            "issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None,
            "kind": parsed.kind,
        }
        result.wrong_plan_fields = [n for n in PLAN_FIELDS if normalise(found[n]) != normalise(expected["plan"][n])]
    for want, got in pairs(expected["tasks"], parsed.tasks):
        if want is None or got is None:
            task = want["title"] if want else got.title
            result.misses.append(f"  {'missed' if want else 'extra'}: {task[:40]}")
            continue
        in_place = normalise(want["number"]) == normalise(got.number)
        result.numbers += in_place
        if not in_place or normalise(want.get("section", got.section)) != normalise(got.section):
            result.misses.append(
                f"  {want['number']} place: expected {want.get('section', '')}{want['number']}, "
                f"found {got.section}{got.number}"
            )
        checks = {
            "title": (want["title"], got.title),
            "lead": (want["lead_units"], got.lead_units),
            "responsible": (want["responsible_units"], got.responsible_units),
        }
        if want["deadlines"] is not None:
            checks["deadlines"] = (sorted(want["deadlines"]), deadline_labels(got, months=months))
        right = True
        for name, (a, b) in checks.items():
            if normalise(a) == normalise(b):
                result.fields[name] += 1
            else:
                right = False
                result.misses.append(f"  {want['number']} {name}: expected {a!r}, found {b!r}")
        result.fields["deadlines"] += want["deadlines"] is None
        result.right_rows += right
    return result


def documents(shared: Path) -> list[tuple[str, Path, dict]]:
    """(kind, path, labels) of every labelled document: the seeds, then the corpus."""
    found = []
    for acceptance in sorted((shared / "acceptance").glob("*.json")):
        expected = json.loads(acceptance.read_text(encoding="utf-8"))
        found.append(("seed", shared / "plans" / expected["source"], expected))
    for gold in sorted((shared / "corpus").glob("*.json")):
        found.append(("corpus", gold.with_suffix(".txt"), json.loads(gold.read_text(encoding="utf-8"))))
    return found


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
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    met, corpus_shares = True, []
    for kind, path, expected in documents(args.shared):
        refused = ""
        try:
            result = score(path, expected, months=kind == "corpus")
        except Exception as error:  # a refused document scores nothing, and the run goes on
            result, millis, refused = Score(path.name, len(expected["tasks"]), 0), 0.0, f" (refused: {error!r})"
        else:
            millis = parse_millis(path, args.runs)
        f = result.fields
        plan_fields = ""
        if kind == "seed":
            wrong = result.wrong_plan_fields
            plan_fields = f", plan fields {len(PLAN_FIELDS) - len(wrong)}/{len(PLAN_FIELDS)}"
            plan_fields += f" (wrong: {', '.join(wrong)})" if wrong else ""
        print(
            f"{path.name}: rows right {result.share:.2f} ({result.right_rows}/{max(result.expected, result.found)}), "
            f"tasks {result.found}/{result.expected}, numbers {result.numbers}, titles {f['title']}, "
            f"lead {f['lead']}, responsible {f['responsible']}, deadlines {f['deadlines']}{plan_fields}, "
            f"notices {result.notices}, parse {millis:.1f} ms{refused}"
        )
        if args.misses:
            print("\n".join(result.misses))
        if kind == "seed":
            met &= result.share >= TARGETS["seed"] and not result.wrong_plan_fields
        else:
            corpus_shares.append(result.share)
            met &= result.share >= TARGETS["corpus_each"]
        met &= millis < TARGETS["parse_ms"]
    if corpus_shares:
        mean = statistics.mean(corpus_shares)
        print(f"corpus mean rows right {mean:.3f} over {len(corpus_shares)} documents")
        met &= mean >= TARGETS["corpus_mean"]
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
