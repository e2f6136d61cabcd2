"""How long the real CLI takes for a one-turn `claude -p` against the fake, next to `python -c pass` in the same run.

Run from the repository root: `.venv/bin/python -m tests.e2e.measure_startup [RUNS]`. It prints
figures and asserts nothing (tests never assert wall-clock time); tests/e2e/OBSERVED.md quotes
its output.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.claude import find_cli, hook_command, on, run_claude, write_settings
from tests.fakes import replies
from tests.fakes.messages_api import FakeMessagesAPI


def _median_ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:7.1f} ms  (min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f})"


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(runs: int) -> int:
    cli, reason = find_cli()
    if cli is None:
        print(f"no usable CLI: {reason}")
        return 1
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, FakeMessagesAPI(default=replies.text("hi")) as api:
        base = Path(tmp)
        bare, hooked = base / "bare", base / "hooked"
        bare.mkdir()
        hooked.mkdir()
        command = hook_command(hooked, "noop", "import json, sys\njson.load(sys.stdin)\n")
        write_settings(hooked, {e: [on(command)] for e in ("SessionStart", "UserPromptSubmit", "Stop", "SessionEnd")})
        cases = {
            "python -c pass": lambda: subprocess.run([sys.executable, "-c", "pass"], check=True),
            "claude --version": lambda: subprocess.run([cli, "--version"], check=True, capture_output=True),
            "claude -p, one text turn": lambda: run_claude(cli, bare, "hi", api, home=base / "home"),
            "same, 4 Python no-op hooks": lambda: run_claude(cli, hooked, "hi", api, home=base / "home"),
        }
        for _ in range(runs):  # interleaved, so that drift on the machine hits every case alike
            for name, action in cases.items():
                start = time.monotonic()
                results.setdefault(name, []).append(_timed(action))
                if name.startswith("claude -p"):
                    first = next(r.at for r in api.requests if r.at >= start)
                    results.setdefault("  of which to first request", []).append(first - start)
        requests = len(api.messages())
    print(f"claude {cli.name} at {cli}, {runs} runs each, {requests} requests served by the fake")
    for name, samples in results.items():
        print(f"{name:28} {_median_ms(samples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
