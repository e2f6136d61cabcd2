"""Benchmark judging a large Bash command in PreToolUse: our reading of it, the scan engine, the whole hook.

    python benchmarks/bench_commands.py [--runs 5]

Issue 10, part 5: a 1 MB command took 19 s and a 2 MB one never got a verdict. Each shape of
command is timed in-process per part (reading the command for files, the scan engine's
scan_text), then as a whole `empathy hook PreToolUse` process next to `python -c pass`.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import string
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "commands"
EMPATHY = str(Path(sys.executable).parent / "empathy")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"CLAUDE_PROJECT_DIR": str(WORK)}


def shapes(size: int) -> dict[str, str]:
    rng = random.Random(size)
    noise = "".join(rng.choice(string.ascii_letters + string.digits + "+/=") for _ in range(size))
    return {
        "one long word": "echo " + "a" * size,
        "one quoted string": 'echo "' + ("hello world " * (size // 12 + 1))[:size] + '"',
        "base64 noise": f"echo '{noise}' | base64 -d > blob",
        "many short commands": ("ls -la src | grep foo && x=1; " * (size // 30 + 1))[:size],
        "python -c code": 'python -c "' + ("print(open(name).read()); " * (size // 26 + 1))[:size] + '"',
        "a tool with many file arguments": "mytool " + " ".join(f"data/f{i}.txt" for i in range(size // 15)),
        "nested substitutions": " ".join("echo $(cat a$(ls b))" for _ in range(size // 21)),
    }


def timed(function: object, *args: object) -> float:
    started = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    from attune import scan
    from attune.hooks import exposure, reads
    from attune.hooks.policy import DEFAULT

    def judge(command: str) -> None:
        exposure.sensitive_use(reads.uses(command), str(WORK), DEFAULT)

    scan.scan_text("warm up", "command.sh", pii=False)
    print(f"python {sys.version.split()[0]}; in-process medians of {args.runs} runs (ms)")
    print(f"{'command':<34}{'size':>8}{'reads':>10}{'scan_text':>11}")
    for size in (100_000, 1_000_000, 2_000_000):
        for label, command in shapes(size).items():
            ours = statistics.median(timed(judge, command) for _ in range(args.runs))
            engine = statistics.median(timed(scan.scan_text, command, "command.sh") for _ in range(args.runs))
            print(f"{label:<34}{size:>8}{ours:>10.0f}{engine:>11.0f}")
    baseline = statistics.median(
        timed(subprocess.run, [sys.executable, "-c", "pass"]) for _ in range(max(args.runs, 5))
    )
    print(f"\nwhole hook processes (python -c pass: {baseline:.1f} ms)")
    for size in (1_000_000, 2_000_000):
        command = shapes(size)["one quoted string"]
        payload = {"cwd": str(WORK), "tool_name": "Bash", "tool_input": {"command": command}}
        data = json.dumps(payload).encode()

        def hook(stdin: bytes = data) -> None:
            subprocess.run([EMPATHY, "hook", "PreToolUse"], input=stdin, capture_output=True, env=ENV, check=False)

        median = statistics.median(timed(hook) for _ in range(args.runs))
        print(f"PreToolUse Bash {size // 1000} KB quoted string   {median:8.0f} ms {median / baseline:6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
