"""Every benchmark still runs and prints its figures (tiny sizes: the figures are not checked)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CASES = {
    "sync": (
        ["benchmarks/bench_sync.py", "--sizes", "30", "--runs", "1", "--edits", "2", "--watch-sizes", "30"],
        ["sync 30 patterns, first run", "nothing changed", "files written: 0", "watch latency, 30 patterns"],
    ),
    "targets": (
        ["-m", "benchmarks.bench_targets", "--sizes", "30", "--runs", "1"],
        ["sync 30 patterns, all 5 targets, first run", "x claude only (issue 16: within 2x)", "files written: 0"],
    ),
    "review": (
        ["-m", "benchmarks.bench_review", "--sizes", "30", "--runs", "1"],
        ["review 30 patterns, 24-word fixes, same config", "review 30 patterns, varied fixes, config changed"],
    ),
    "startup": (
        ["-m", "benchmarks.bench_startup", "--sizes", "20", "--runs", "1"],
        ["no-op sync of 20 patterns", "without the plain reader", "without os._exit"],
    ),
    "hooks": (
        ["benchmarks/bench_hooks.py", "--runs", "1"],
        [
            "Write 1 KB clean",
            "Write 1 KB holding a secret",
            "Bash plain command",
            "Bash write, its rule already delivered",
        ],
    ),
    "llm": (["benchmarks/bench_llm.py", "--runs", "1", "--calls", "200"], ["cost report over 200 calls"]),
    "recall": (
        ["benchmarks/bench_recall.py", "--patterns", "60", "--sessions", "10", "--queries", "3", "--fts5"],
        [
            "one query, median",
            "`empathy memory recall` as a process",
            "a sync of one changed pattern",
            "FTS5 ranked as the index,",
        ],
    ),
    "mcp": (
        ["-m", "benchmarks.bench_mcp", "--patterns", "60", "--sessions", "10", "--calls", "20"],
        ["search, p95", "`python -c pass` as a process"],
    ),
    "hostile": (
        ["benchmarks/hostile_state.py", "--only", "30 bytes", "events file links"],
        ["memory: truncated to 30 bytes", "tracebacks: 0   silent wrong outputs: 0   protections off: 0"],
    ),
    "team": (
        ["benchmarks/bench_team.py", "--runs", "1", "--processes", "2", "--ops", "20"],
        [
            "Write 1 KB, lease on files",
            "Write 1 KB, lease on Redis",
            "lost updates: 0; files held by two sessions at once: 0",
        ],
    ),
    "scan": (
        ["-m", "benchmarks.bench_scan", "--files", "12", "--size-mb", "0.1", "--skip-throughput"],
        ["scan_text", "detect_secrets imported: False"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_benchmark_prints_its_figures(name, tmp_path):
    args, expected = CASES[name]
    env = {**os.environ, "ATTUNE_BENCH_WORK": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    for text in expected:
        assert text in run.stdout, f"{text!r} not in:\n{run.stdout}"
    assert re.search(r"\d+\.\d+ (ms|µs)", run.stdout)
