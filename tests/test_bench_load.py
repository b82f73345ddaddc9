"""The load bench (bench/load.py) runs, small: a server on 127.0.0.1, normal clients with and without
attackers, and a table whose every row has no errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.load


def test_the_load_bench_prints_its_table(built_home: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--home",
        str(built_home),
        "--duration",
        "1.5",
        "--concurrency",
        "2",
        "--attacks",
        "none",
        "slow",
        "idle",
        "shared-idle",
        "shared-slow",
        "--slow-attackers",
        "1",
        "--idle-attackers",
        "20",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split("|") for line in done.stdout.splitlines() if line.startswith("| 2 |")]
    assert [row[2].strip() for row in rows] == ["none", "slow", "idle", "shared-idle", "shared-slow"]
    for row in rows:
        requests, errors, answered = int(row[3]), int(row[4]), float(row[5])
        assert requests > 0 and errors == 0 and answered == 100.0
    assert all(int(row[10]) > 0 for row in rows[1:])  # the attackers did attack
    # each attack's p99 against that of the run without attack, as printed in the p99 column
    # (the printed p99s are rounded to the millisecond, the ratio to a tenth)
    baseline = float(rows[0][8])
    assert rows[0][9].strip() == "–"
    for row in rows[1:]:
        ratio, p99 = float(row[9].strip().removesuffix("x")), float(row[8])
        assert (p99 - 0.5) / (baseline + 0.5) - 0.051 <= ratio <= (p99 + 0.5) / max(0.5, baseline - 0.5) + 0.051
    assert all(float(row[12]) >= 0 for row in rows)  # the load average each ran under
