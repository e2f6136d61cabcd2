"""Benchmark the sync to every target (issue 16) against the Claude-only sync, in the same run.

    python -m benchmarks.bench_targets [--sizes 1000] [--runs 11]

Two copies of the same generated library: one syncs to claude alone (the default), the other to
claude, agents-md, cursor, copilot and gemini. The issue asks for the all-targets first sync within
2x the Claude-only one; the ratio is printed next to every figure, and a no-op sync of every target
is checked to write no file. Nothing is asserted: tests/test_benchmarks.py runs it at a tiny size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_sync import CACHE, ENV, SCOPES, SYNC, WORK, generate, timed
from benchmarks.bench_sync import line as bench_line

ALL = "targets: [claude, agents-md, cursor, copilot, gemini]\n"
OUTPUTS = (".claude/rules/attune", ".cursor", ".github")


def library(root: Path, size: int, targets: str) -> None:
    generate(root, size)
    config = root / ".empathy/config.yaml"
    config.write_text(config.read_text() + targets)
    for scope in SCOPES:  # the folders exist, so AGENTS.md and GEMINI.md go into them where globs allow
        for glob in scope:
            folder = glob.split("*")[0].rstrip("/")
            if "/" in glob and folder:
                (root / folder).mkdir(parents=True, exist_ok=True)


def outputs(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", ".empathy")]
        for name in files:
            info = os.stat(os.path.join(folder, name))
            found[os.path.join(folder, name)] = (info.st_ino, info.st_mtime_ns)
    return found


def line(label: str, figures: tuple[float, float], note: str = "") -> None:
    bench_line(label, figures, note, width=56)


def wipe(root: Path) -> None:
    for rel in OUTPUTS:
        shutil.rmtree(root / rel, ignore_errors=True)
    for name in ("AGENTS.md", "GEMINI.md"):
        for found in root.rglob(name):
            found.unlink()
    shutil.rmtree(CACHE, ignore_errors=True)


def paired(first: list[str], second: list[str], runs: int, before=None) -> tuple[tuple[float, float], ...]:
    """Both commands, alternating run by run so that both meet the same load (this machine drifts)."""
    samples: tuple[list[float], list[float]] = ([], [])
    baselines: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for index, command in enumerate((first, second)):
            median, baseline = timed(command, 1, before=(lambda i=index: before(i)) if before else None)
            samples[index].append(median)
            baselines[index].append(baseline)
    return tuple((statistics.median(s), statistics.median(b)) for s, b in zip(samples, baselines, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(
        f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} runs, claude-only and "
        "all-targets runs alternating, each paired with `python -c pass`"
    )
    for size in args.sizes:
        roots = (WORK / f"targets-claude-{size}", WORK / f"targets-all-{size}")
        library(roots[0], size, "")
        library(roots[1], size, ALL)
        commands = [[*SYNC, "--root", str(root), "-q"] for root in roots]
        first = paired(*commands, args.runs, before=lambda i, roots=roots: wipe(roots[i]))
        files = len(outputs(roots[1])) - len(outputs(roots[0]))
        report(f"sync {size} patterns, %s, first run", first, f" (issue 16: within 2x), {files} more files")
        sources = [sorted((root / ".empathy/patterns/debugging").glob("*.md"))[0] for root in roots]
        originals = [source.read_text() for source in sources]
        counter = iter(range(10**6))

        def edit(i: int, counter=counter, sources=sources, originals=originals) -> None:
            sources[i].write_text(originals[i].replace("**Fix:**", f"**Fix:** (edit {next(counter)})", 1))

        edited = paired(*commands, args.runs, before=edit)
        for source, original, command in zip(sources, originals, commands, strict=True):
            source.write_text(original)
            subprocess.run(command, check=True, env=ENV)
        report(f"sync {size} patterns, %s, one pattern edited", edited)
        before = outputs(roots[1])
        noop = paired(*commands, args.runs)
        after = outputs(roots[1])
        written = sum(1 for path, stat in after.items() if before.get(path) != stat) + len(before.keys() - after.keys())
        report(f"sync {size} patterns, %s, nothing changed", noop, f", files written: {written}")
    return 0


def report(label: str, figures: tuple[tuple[float, float], ...], note: str = "") -> None:
    claude, every = figures
    line(label % "claude only", claude)
    line(label % "all 5 targets", every, f"   {every[0] / claude[0]:.2f}x claude only{note}")


if __name__ == "__main__":
    raise SystemExit(main())
