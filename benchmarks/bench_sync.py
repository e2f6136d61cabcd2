"""Benchmark empathy-sync-claude: whole-process sync, no-op re-sync and --watch latency.

    python benchmarks/bench_sync.py [--sizes 100 1000 10000] [--runs 15] [--edits 50]

Every figure is printed next to `python -c pass` measured in the same run on the same
machine; nothing is asserted. Generated libraries live under benchmarks/.work/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work")  # where the generated libraries go
BIN = Path(sys.executable).parent
SYNC = [str(BIN / "empathy-sync-claude")]
CATEGORIES = ("debugging", "security", "tech_debt", "inspection")
SCOPES = [
    ["src/api/**"], ["src/db/**"], ["src/auth/**", "src/session/**"], ["**/*.py"], ["tests/**"],
    ["web/**/*.{ts,tsx}"], ["src/billing/**"], ["infra/**/*.tf"], ["Dockerfile", "docker/**"],
    ["src/workers/**"], ["src/models/*.py"], ["docs/**/*.md"], ["scripts/*.sh"], ["src/cache/**"],
    ["src/search/**"], ["src/api/v2/**"], ["migrations/**"], ["src/payments/**", "src/billing/**"],
    ["src/ui/**/*.tsx"], ["config/*.yaml"], ["src/jobs/**"], ["src/notify/**"], ["src/**/*_test.go"],
    ["src/core/**"],
]  # fmt: skip
WORDS = [
    "cache", "connection", "retry", "timeout", "token", "session", "handler", "request", "response", "pool",
    "queue", "worker", "lock", "index", "schema", "migration", "payload", "header", "cookie", "checksum",
    "buffer", "stream", "thread", "signal",
]  # fmt: skip


def generate(root: Path, count: int, seed: int = 7) -> None:
    """A git repository holding `count` realistic patterns: a quarter unscoped, the rest scoped."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".empathy").mkdir()
    for number in range(count):
        category = CATEGORIES[number % len(CATEGORIES)]
        scoped = rng.random() < 0.75
        paths = "".join(f'  - "{g}"\n' for g in rng.choice(SCOPES)) if scoped else ""
        sentence = " ".join(rng.choice(WORDS) for _ in range(60))
        error = f"`{rng.choice(WORDS)}Error` in {rng.choice(WORDS)}"
        body = f"**Error:** {error}\n\n**Root cause:** {sentence}\n\n**Fix:** {sentence[:200]}"
        text = (
            f'---\nid: p{number:05}\ntitle: "Pattern {number} about {rng.choice(WORDS)}"\ncategory: {category}\n'
            + (f"paths:\n{paths}" if paths else "")
            + f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\nstatus: active\nconfidence: 0.{rng.randint(5, 9)}\n"
            f"created: 2026-01-{rng.randint(10, 28)}\nupdated: 2026-02-{rng.randint(10, 28)}\n"
            f'source: "https://example.com/pr/{number}"\n---\n\n{body}\n'
        )
        target = root / ".empathy" / "patterns" / category / f"p{number:05}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (root / ".empathy" / "config.yaml").write_text("token_budget: 100000000\n")


CACHE = WORK / "cache"  # XDG_CACHE_HOME for the runs, so that "cold" can mean an empty parse cache
# Bytecode caching on, as in any installed package (this machine sets PYTHONDONTWRITEBYTECODE,
# which would make every run recompile our sources and measure that instead).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"XDG_CACHE_HOME": str(CACHE)}


PASS = [sys.executable, "-c", "pass"]


def timed(command: list[str], runs: int, before=None) -> tuple[float, float]:
    """Median wall-clock ms of `command` over `runs` runs, and of `python -c pass` run between them.

    This machine's speed drifts by tens of percent within a minute, so every sample of the
    command is paired with a sample of the baseline taken right before it.
    """
    samples, baseline = [], []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(PASS, check=True, env=ENV)
        baseline.append((time.perf_counter() - started) * 1000)
        if before is not None:
            before()
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), statistics.median(baseline)


def line(label: str, figures: tuple[float, float], note: str = "", width: int = 44) -> None:
    median, baseline = figures
    print(f"{label:<{width}}{median:9.1f} ms {median / baseline:5.1f}x   (python -c pass {baseline:4.1f} ms){note}")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def watch_latency(root: Path, edits: int) -> tuple[float, float]:
    """Save one pattern, wait until its rule file holds the change: p50 and p95 in ms."""
    process = subprocess.Popen([*SYNC, "--watch", "--root", str(root)], stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        while "watching" not in (process.stdout.readline() if process.stdout else "watching"):
            pass
        sources = sorted((root / ".empathy/patterns").rglob("*.md"))
        rng = random.Random(3)
        samples = []
        for number in range(edits):
            source = rng.choice(sources)
            text = source.read_text()
            marker = f"edit-marker-{number}-{rng.randint(0, 10**9)}"
            target = _rule_file_of(root, source)
            started = time.perf_counter()
            source.write_text(text.replace("**Fix:**", f"**Fix:** {marker}", 1) if "edit-marker" not in text
                              else _replace_marker(text, marker))  # fmt: skip
            while marker not in _read(target):
                time.sleep(0.001)
            samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.1)  # let the next edit be a new burst
        samples.sort()
        return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _replace_marker(text: str, marker: str) -> str:
    head, rest = text.split("edit-marker-", 1)
    return head + marker + rest[rest.index(" ") :]


def _rule_file_of(root: Path, source: Path) -> Path:
    rel = source.relative_to(root).as_posix()
    for rule in (root / ".claude/rules/attune").iterdir():
        if rel in rule.read_text().split("-->", 1)[0]:
            return rule
    raise AssertionError(f"no rule file lists {rel}")


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--watch-sizes", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(
        f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} runs, each run "
        "paired with a run of `python -c pass`; .pyc caching on"
    )
    subprocess.run([*SYNC, "--version"], check=False, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for size in args.sizes:
        root = WORK / f"lib-{size}"
        generate(root, size)
        output = root / ".claude/rules/attune"
        command = [*SYNC, "--root", str(root), "-q"]
        runs = max(3, args.runs // (1 + size // 2000))

        def wipe(output: Path = output, everything: bool = True) -> None:
            shutil.rmtree(output, ignore_errors=True)
            if everything:
                shutil.rmtree(CACHE, ignore_errors=True)

        cold = timed(command, runs, before=wipe)
        files = len(list(output.iterdir()))
        line(f"sync {size} patterns, first run ({files} files)", cold)
        rerender = timed(command, runs, before=lambda: wipe(everything=False))
        line(f"sync {size} patterns, rules deleted", rerender, "   parse cache warm")
        target = sorted((root / ".empathy/patterns/debugging").glob("*.md"))[0]
        original = target.read_text()
        edits = iter(range(10**6))

        def edit(target: Path = target, original: str = original, edits=edits) -> None:
            target.write_text(original.replace("**Fix:**", f"**Fix:** (edit {next(edits)})", 1))

        one = timed(command, args.runs, before=edit)
        target.write_text(original)
        subprocess.run(command, check=True, env=ENV)
        line(f"sync {size} patterns, one pattern edited", one, "   the everyday sync")
        before = snapshot(output)
        noop = timed(command, args.runs)
        written = sum(1 for name, stat in snapshot(output).items() if before.get(name) != stat)
        line(f"sync {size} patterns, nothing changed", noop, f"   files written: {written}")
    for size in args.watch_sizes:
        root = WORK / f"lib-{size}"
        if not root.exists():
            generate(root, size)
        subprocess.run([*SYNC, "--root", str(root), "-q"], check=True, env=ENV)
        p50, p95 = watch_latency(root, args.edits)
        print(f"{f'watch latency, {size} patterns, {args.edits} edits':<44}p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
