"""Every labelled document beside the project, imported exactly as its labels say.

The seeds of ``shared/plans`` against their acceptance files and the corpus of
``shared/corpus`` against its gold files, compared the way ``bench/import_accuracy.py``
does (``shared/README.md``): every row right in title, units and deadlines, each task
in its place, and for the seeds the plan's own fields.
"""

import os
from pathlib import Path

import pytest

from bench.import_accuracy import documents, score
from tests.conftest import ROOT, find_shared_dir


def labelled():
    shared = os.environ.get("SHARED_DIR", ROOT.parent / "shared")
    found = [pytest.param(kind, path, labels, id=path.stem) for kind, path, labels in documents(Path(shared))]
    # Without the documents, one case that skips (or, under CI, fails) saying where they were looked for.
    return found or [pytest.param(None, None, None, id="no-shared-documents")]


@pytest.mark.parametrize(("kind", "path", "labels"), labelled())
def test_a_labelled_document_is_imported_as_labelled(kind, path, labels):
    if path is None:
        find_shared_dir()
    result = score(path, labels, months=kind == "corpus")

    assert result.misses == []
    assert (result.found, result.share) == (result.expected, 1.0)
    assert result.wrong_plan_fields == []
