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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(
        f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} runs, each paired with `python -c pass`"
    )
    for size in args.sizes:
        claude, every = WORK / f"targets-claude-{size}", WORK / f"targets-all-{size}"
        library(claude, size, "")
        library(every, size, ALL)
        only = [*SYNC, "--root", str(claude), "-q"]
        both = [*SYNC, "--root", str(every), "-q"]
        first_claude = timed(only, args.runs, before=lambda root=claude: wipe(root))
        first_all = timed(both, args.runs, before=lambda root=every: wipe(root))
        files = len(outputs(every)) - len(outputs(claude))
        line(f"sync {size} patterns, claude only, first run", first_claude)
        ratio = first_all[0] / first_claude[0]
        line(
            f"sync {size} patterns, all 5 targets, first run",
            first_all,
            f"   {ratio:.2f}x claude only (limit 2x), {files} more files",
        )
        edited = []
        for root, command in ((claude, only), (every, both)):
            source = sorted((root / ".empathy/patterns/debugging").glob("*.md"))[0]
            original = source.read_text()
            counter = iter(range(10**6))

            def edit(source: Path = source, original: str = original, counter=counter) -> None:
                source.write_text(original.replace("**Fix:**", f"**Fix:** (edit {next(counter)})", 1))

            edited.append(timed(command, args.runs, before=edit))
            source.write_text(original)
            subprocess.run(command, check=True, env=ENV)
        line(f"sync {size} patterns, claude only, one pattern edited", edited[0])
        line(
            f"sync {size} patterns, all 5 targets, one pattern edited",
            edited[1],
            f"   {edited[1][0] / edited[0][0]:.2f}x claude only",
        )
        before = outputs(every)
        noop = timed(both, args.runs)
        after = outputs(every)
        written = sum(1 for path, stat in after.items() if before.get(path) != stat) + len(before.keys() - after.keys())
        noop_claude = timed(only, args.runs)
        line(f"sync {size} patterns, claude only, nothing changed", noop_claude)
        line(
            f"sync {size} patterns, all 5 targets, nothing changed",
            noop,
            f"   {noop[0] / noop_claude[0]:.2f}x claude only, files written: {written}",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
