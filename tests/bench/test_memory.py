"""The benches' peak memory of a process they start is that process's own."""

import subprocess
import sys
from pathlib import Path

from bench.memory import peak_mib

ROOT = Path(__file__).resolve().parents[2]


def test_a_child_of_a_large_process_reports_its_own_peak_not_its_parents():
    held = bytearray(300 * 1024 * 1024)  # touched, so resident
    held[::4096] = b"x" * len(held[::4096])

    child = subprocess.run(
        [sys.executable, "-c", "from bench.memory import peak_mib; print(peak_mib())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert peak_mib() >= 300
    assert float(child.stdout) < 100
