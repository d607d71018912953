"""The Chinese interface is whole: every message of the catalogue has its translation, none is marked
fuzzy (a guess makemessages made, which gettext does not use), and the catalogue holds every message
the code and the templates have — so nothing shows in English because it was never translated."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import ROOT

CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ("manage.py", "reform", "orgs", "tasks", "reports", "templates", "locale")


def entries(path: Path) -> list[dict]:
    """The catalogue's messages: context, id, translations, flags (the header left out)."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "msgctxt": "", "msgid": "", "msgstr": []}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                _append(entry, field, json.loads(line))
            else:
                field, _, value = line.partition(" ")
                if field.startswith("msgstr"):
                    entry["msgstr"].append(json.loads(value))
                else:
                    entry[field] = json.loads(value)
        if entry["msgid"]:
            found.append(entry)
    return found


def _append(entry, field, text):
    if field.startswith("msgstr"):
        entry["msgstr"][-1] += text
    else:
        entry[field] += text


def test_every_message_is_translated_and_none_is_fuzzy():
    messages = entries(CATALOGUE)
    assert len(messages) > 900
    untranslated = [m["msgid"] for m in messages if not m["msgstr"] or not all(m["msgstr"])]
    fuzzy = [m["msgid"] for m in messages if "fuzzy" in m["flags"]]
    assert not untranslated, f"without a Chinese translation: {untranslated}"
    assert not fuzzy, f"marked fuzzy (a guess gettext does not use): {fuzzy}"


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def test_placeholders_survive_translation():
    broken = [
        m["msgid"]
        for m in entries(CATALOGUE)
        for translation in m["msgstr"]
        if set(PLACEHOLDER.findall(translation)) != set(PLACEHOLDER.findall(m["msgid"]))
    ]
    assert not broken, broken


@pytest.mark.slow  # a process of its own; nothing in it depends on the day
def test_the_catalogue_holds_every_message_of_the_code(tmp_path):
    """makemessages over a copy of the sources finds no message the catalogue lacks, nor one it keeps
    that the code no longer has."""
    copy = tmp_path / "sources"
    copy.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, copy / name)
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "--no-wrap",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "DATA_DIR": str(tmp_path / "data")},
    )
    assert done.returncode == 0, done.stderr[-2000:]

    def ids(path):
        return {(m["msgctxt"], m["msgid"]) for m in entries(path)}

    made = ids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    kept = ids(CATALOGUE)
    assert len(made) > 900, done.stdout[-2000:]
    assert not made - kept, f"in the code, not in the catalogue (run makemessages, translate): {sorted(made - kept)}"
    assert not kept - made, f"in the catalogue, no longer in the code: {sorted(kept - made)}"
