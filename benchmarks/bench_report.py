"""Benchmark `empathy report`: 10,000 patterns, 1,000 sessions and 100,000 ledger lines (issue 17).

    python -m benchmarks.bench_report [--patterns 10000] [--sessions 1000] [--ledger 100000] [--runs 5]

Writes a generated project (library, sessions, ledger, audit log, rule loads), then times the whole
`empathy report` process (HTML, then --json) with the parse cache cold and warm, next to
`python -c pass` measured in the same run. The issue's target is under 2 s. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from attune import sessions
from benchmarks.bench_recall import WORDS, patterns, records

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "report"


def build(project: Path, args: argparse.Namespace, rng: random.Random) -> None:
    shutil.rmtree(project, ignore_errors=True)
    (project / ".empathy" / "sessions").mkdir(parents=True)
    (project / ".empathy" / "logs").mkdir()
    for record, _ in records(args.sessions, rng):
        path = project / ".empathy" / "sessions" / f"{record.session_id}.json"
        path.write_text(json.dumps(sessions.to_json(record)))
    for number, pattern in enumerate(patterns(args.patterns, rng)):
        scope = f'paths: ["src/m{number % 40}/**"]\n' if number % 3 else ""
        target = project / pattern.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'---\nid: {pattern.id}\ntitle: "{pattern.title}"\ncategory: debugging\n{scope}---\n\n'
                          f"**Error:** x. **Root cause:** y. **Fix:** {pattern.body}\n")  # fmt: skip
    with open(project / ".empathy" / "ledger.jsonl", "w") as ledger:
        for number in range(args.ledger):
            ledger.write(json.dumps({
                "time": f"2026-11-{1 + number % 28:02}T10:00:00Z", "wizard": rng.choice(("code-review", "bug-pattern")),
                "task": "review_code", "tier": rng.choice(("cheap", "capable")), "model": "claude-haiku-5-5",
                "input_tokens": 2000, "output_tokens": 300, "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0, "cost_usd": 0.0031, "cache_hit": number % 5 == 0,
                "saved_usd": 0.0031 if number % 5 == 0 else 0.0, "outcome": "ok", "attempt": 1,
                "price_as_of": "2026-11-01",
            }) + "\n")  # fmt: skip
    with open(project / ".empathy" / "audit.jsonl", "w") as audit:
        for number in range(args.ledger // 10):
            audit.write(json.dumps({"time": f"2026-11-{1 + number % 28:02}T10:00:00Z", "action": "hook.blocked",
                                    "tool": rng.choice(("Write", "Bash", "prompt")), "findings": [rng.choice(WORDS)]})
                        + "\n")  # fmt: skip
    with open(project / ".empathy" / "logs" / "instructions.jsonl", "w") as loads:
        for number in range(args.ledger // 10):
            loads.write(json.dumps({"time": f"2026-11-{1 + number % 28:02}T10:00:00Z", "session": "s",
                                    "file": f".claude/rules/attune/bug-patterns--m{number % 40}.md"}) + "\n")  # fmt: skip


def timed(command: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=1_000)
    parser.add_argument("--ledger", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    project = WORK / "project"
    build(project, args, random.Random(17))
    cache = WORK / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "EMPATHY_TODAY": "2026-11-28"}
    empathy = str(Path(sys.executable).parent / "empathy")
    subprocess.run([empathy, "sync", "--quiet", "--root", str(project)], env=env, check=True)
    shutil.rmtree(cache, ignore_errors=True)
    baseline = timed([sys.executable, "-c", "pass"], env, args.runs)
    report = [empathy, "report", "--out", str(WORK / "report.html"), "--root", str(project)]
    started = time.perf_counter()
    subprocess.run(report, env=env, capture_output=True, check=True)
    cold = (time.perf_counter() - started) * 1000
    warm = timed(report, env, args.runs)
    as_json = timed([empathy, "report", "--json", "--root", str(project)], env, args.runs)
    size = (WORK / "report.html").stat().st_size
    print(f"{args.patterns:,} patterns, {args.sessions:,} sessions, {args.ledger:,} ledger lines "
          f"({args.ledger // 10:,} audit entries and rule loads):")  # fmt: skip
    print(f"  python -c pass                       {baseline:8.0f} ms")
    print(f"  empathy report, parse cache cold     {cold:8.0f} ms")
    print(f"  empathy report, parse cache warm     {warm:8.0f} ms  ({warm / baseline:.1f}x python -c pass)")
    print(f"  empathy report --json, cache warm    {as_json:8.0f} ms")
    print(f"  page size                            {size / 1024:8.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
