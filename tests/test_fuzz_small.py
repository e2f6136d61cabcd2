"""The hook fuzzer and the sync killer still run and print their summary (tiny sizes; the counts are not checked)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(args: list[str], work: Path) -> str:
    env = {**os.environ, "ATTUNE_BENCH_WORK": str(work)}
    run = subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def test_fuzz_hooks_prints_its_summary(tmp_path):
    out = _run(
        ["benchmarks.fuzz_hooks", "--count", "50", "--batch", "25", "--process-share", "0.5", "--deadline", "5"],
        tmp_path,
    )
    columns = " ".join(
        rf"{name}=\d+"
        for name in ("crashes", "bad_exit", "hangs", "false_blocks", "leaked_to_file", "passed_guard", "echoed")
    )
    assert re.search(rf"^fuzz_hooks: payloads=50 {columns} recall=\d+\.\d%$", out, re.M), out
    shares = re.search(r"\((\d+) as processes, (\d+) in-process\)", out)
    assert shares and int(shares[1]) > 0 and int(shares[2]) > 0, out  # both ways of running a hook were used
    assert "formats the engine knows" in out


def test_kill_sync_prints_its_summary(tmp_path):
    out = _run(["benchmarks.kill_sync", "--patterns", "50", "--kills", "3", "--watch-kills", "1"], tmp_path)
    columns = " ".join(
        rf"{name}=\d+"
        for name in (
            "workers_at_kill",
            "incomplete",
            "tmp_after_kill",
            "orphan_workers",
            "stale_tmp_after_next_sync",
            "wrong_after_next_sync",
            "next_sync_failed",
        )
    )
    assert re.search(rf"^kill_sync: kills=\d+ {columns}$", out, re.M), out
    assert "rules identical to the mirror's: True" in out  # the reference the rounds are compared with holds
