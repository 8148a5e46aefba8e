"""The benchmark script still runs: a tiny run on SQLite (figures are not checked).

The real run (1,000,000 transactions) is not part of the tests; see benchmarks/README.md.
This only keeps the script working as the code it measures changes: generated books
that verify, every report measured, the page served, posting through the service.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ledger.test_concurrency import clean_env

ROOT = Path(__file__).resolve().parents[1]


def test_the_ledger_benchmark_runs_on_tiny_books(tmp_path: Path) -> None:
    out = tmp_path / "ledger.json"
    result = subprocess.run(  # noqa: S603 - our own script with the venv's Python
        [
            sys.executable,
            str(ROOT / "benchmarks" / "ledger_bench.py"),
            "--entries=300",
            "--years=2",
            "--accounts=120",
            "--post=40",
            "--post-batch=25",
            "--post-single=3",
            "--peer-timeout=60",
            f"--out={out}",
        ],
        env=clean_env(tmp_path / "data", None),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    figures = json.loads(out.read_text())
    assert figures["database"] == "sqlite"
    assert figures["entries"] == 300
    assert 600 <= figures["lines"] <= 1200  # 2 to 4 lines each
    for report in ("trial_balance", "income_statement", "balance_sheet"):
        assert figures[report]["ours_s"] > 0 and figures[report]["bare_sql_s"] > 0
    assert figures["trial_balance_page"]["seconds"] > 0
    assert figures["post"]["entries"] == 40
    assert figures["verify"] == {
        "seconds": figures["verify"]["seconds"],
        "findings": [],
        "entries": 383,
    }
