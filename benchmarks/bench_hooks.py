"""Benchmark `empathy hook PreToolUse` as Claude Code runs it: a new process per tool call.

    python benchmarks/bench_hooks.py [--runs 21]

Write payloads of clean code at 1 KB, 100 KB and 1 MB, and one holding a secret, and Bash commands
(a plain one, and writes that look up the scoped rules to deliver, issue 13), each timed as a
whole process next to `python -c pass` in the same run. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "hooks"
EMPATHY = str(Path(sys.executable).parent / "empathy")
# Bytecode caching on, as in any installed package (this machine sets PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"CLAUDE_PROJECT_DIR": str(WORK)}
CODE = '''def handle(event, context):
    """Route one request to its handler and return the response body."""
    route = event.get("route", "/")
    user = context.get("user") or {}
    if route.startswith("/admin") and not user.get("is_admin"):
        return {"status": 403, "body": "forbidden"}
    items = [item for item in event.get("items", []) if item.get("active")]
    return {"status": 200, "body": {"count": len(items), "route": route}}

'''


def payload(size: int, secret: bool = False) -> bytes:
    content = (CODE * (size // len(CODE) + 1))[:size]
    if secret:  # assembled here so that no file of ours holds a real-looking key
        content += 'API_KEY = "' + "sk-" + "ant-api03-" + "Zq8Xw2Lm9Vn4Bc7Tk1Rp" * 4 + "-Qa3Ws5Ed7Rf9" + '"\n'
    data = {
        "session_id": "bench",
        "transcript_path": "",
        "cwd": str(WORK),
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": str(WORK / "app.py"), "content": content},
        "tool_use_id": "toolu_bench",
        "permission_mode": "default",
    }
    return json.dumps(data).encode()


def bash(command: str) -> bytes:
    data = {
        "session_id": "bench",
        "transcript_path": "",
        "cwd": str(WORK),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command, "description": "bench"},
        "tool_use_id": "toolu_bench",
        "permission_mode": "default",
    }
    return json.dumps(data).encode()


def _library() -> None:
    """A scoped rule in the index, already delivered to the bench session (the common case after its first write)."""
    pattern = WORK / ".empathy" / "patterns" / "debugging" / "orders.md"
    pattern.parent.mkdir(parents=True, exist_ok=True)
    pattern.write_text(
        '---\nid: orders\ntitle: "Orders"\ncategory: debugging\npaths:\n  - "src/api/**"\nstatus: active\n---\n\n'
        "Validate the quantity before pricing an order.\n"
    )
    subprocess.run([EMPATHY, "sync", "--root", str(WORK), "-q"], check=True, env=ENV)
    subprocess.run([EMPATHY, "hook", "PreToolUse"], input=bash("printf x > src/api/a.py"), env=ENV, check=True,
                   capture_output=True)  # fmt: skip


def round_robin(cases: list[tuple[list[str], bytes]], runs: int) -> list[tuple[float, bytes]]:
    """Median ms of each case. Every case is warmed up, then the cases take turns run after run, so
    that a drift of the machine (frequency, page cache, other load) falls on all of them alike."""
    samples: list[list[float]] = [[] for _ in cases]
    outputs = [b""] * len(cases)
    for _ in range(3):
        for command, stdin in cases:
            subprocess.run(command, input=stdin, capture_output=True, env=ENV, check=False)
    for _ in range(runs):
        for number, (command, stdin) in enumerate(cases):
            started = time.perf_counter()
            result = subprocess.run(command, input=stdin, capture_output=True, env=ENV, check=False)
            samples[number].append((time.perf_counter() - started) * 1000)
            outputs[number] = result.stdout
    return [(statistics.median(times), out) for times, out in zip(samples, outputs, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    (WORK / ".empathy").mkdir(parents=True, exist_ok=True)
    config = WORK / ".empathy" / "config.yaml"
    config.write_text("hooks:\n  pii: warn\n")
    os.utime(config, (time.time() - 60, time.time() - 60))  # old enough for the policy cache
    print(
        f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} interleaved runs; .pyc on"
    )
    labels = [
        "python -c pass",
        "Write 1 KB clean",
        "Write 100 KB clean",
        "Write 1 MB clean",
        "Write 1 KB holding a secret",
        "Bash plain command",
        "Bash write outside scoped folders",
        "Bash write, its rule already delivered",
    ]
    hook = [EMPATHY, "hook", "PreToolUse"]
    cases = [([sys.executable, "-c", "pass"], b"")] + [
        (hook, payload(size, secret))
        for size, secret in ((1_000, False), (100_000, False), (1_000_000, False), (1_000, True))
    ]
    _library()
    commands = ("git status --short && ls -la", "printf 'x = 1\\n' > build/out.txt", "printf 'x' > src/api/orders.py")
    cases += [(hook, bash(command)) for command in commands]
    results = round_robin(cases, args.runs)
    baseline = results[0][0]
    for label, (median, out) in zip(labels, results, strict=True):
        verdict = "" if label.startswith("python") else ("   deny" if b'"deny"' in out else "   allow")
        print(f"{label:<40}{median:8.1f} ms {median / baseline:5.1f}x{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
