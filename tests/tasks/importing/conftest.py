"""The parser reads no date (it resolves deadlines against the document, never against today), so its
tests are left out of scripts/test-dates' runs at fixed fake moments."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.undated)
