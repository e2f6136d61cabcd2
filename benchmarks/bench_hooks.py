"""Benchmark `empathy hook PreToolUse` as Claude Code runs it: a new process per tool call.

    python benchmarks/bench_hooks.py [--runs 21]

Write payloads of clean code at 1 KB, 100 KB and 1 MB, and one holding a secret, each timed as a
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
WORK = HERE / ".work" / "hooks"
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


def timed(command: list[str], stdin: bytes, runs: int) -> tuple[float, bytes]:
    samples = []
    out = b""
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, input=stdin, capture_output=True, env=ENV, check=False)
        samples.append((time.perf_counter() - started) * 1000)
        out = result.stdout
    return statistics.median(samples), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    (WORK / ".empathy").mkdir(parents=True, exist_ok=True)
    (WORK / ".empathy" / "config.yaml").write_text("hooks:\n  pii: warn\n")
    subprocess.run([EMPATHY, "--version"], env=ENV, capture_output=True, check=True)  # compile .pyc once
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} runs; .pyc caching on")
    baseline, _ = timed([sys.executable, "-c", "pass"], b"", args.runs)
    print(f"{'python -c pass':<40}{baseline:8.1f} ms   1.0x")
    for label, size, secret in (
        ("Write 1 KB clean", 1_000, False),
        ("Write 100 KB clean", 100_000, False),
        ("Write 1 MB clean", 1_000_000, False),
        ("Write 1 KB holding a secret", 1_000, True),
    ):
        median, out = timed([EMPATHY, "hook", "PreToolUse"], payload(size, secret), args.runs)
        verdict = "deny" if b'"deny"' in out else "allow"
        print(f"{label:<40}{median:8.1f} ms {median / baseline:5.1f}x   {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
