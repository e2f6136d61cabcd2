"""Benchmark `empathy patterns review` on generated libraries, whole process, against `python -c pass`.

    .venv/bin/python -m benchmarks.bench_review [--sizes 1000 10000] [--runs 5]

A branch edits the fix of 10 patterns, adds 5 and removes 5. "same config" is the everyday
case (files unchanged since the base are parsed once); "config changed" parses both sides.
bench_sync's corpus draws every fix from 24 words, so every pattern reads as a near-duplicate
of every other: the worst case for the duplicate search. "varied fixes" redraws each fix from
a 5,000-word vocabulary with Zipf frequencies, as prose has. Nothing is asserted.
Repositories live under benchmarks/.work/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_sync import ENV, WORK, generate, line, timed

REVIEW = [str(Path(sys.executable).parent / "empathy"), "patterns", "review", "--base", "main"]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=ENV | _IDENTITY)


_IDENTITY = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
             "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}  # fmt: skip


def prepare(size: int, varied: bool) -> Path:
    root = WORK / f"review-{size}{'-varied' if varied else ''}"
    generate(root, size)
    if varied:
        rng = random.Random(11)
        vocabulary = [f"word{n}" for n in range(5000)]
        weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
        for path in (root / ".empathy/patterns").rglob("*.md"):
            fix = " ".join(rng.choices(vocabulary, weights, k=20))
            path.write_text(re.sub(r"\*\*Fix:\*\* .*", f"**Fix:** {fix}", path.read_text()))
    git(root, "checkout", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "library")
    git(root, "checkout", "-q", "-b", "feature")
    files = sorted((root / ".empathy/patterns").rglob("*.md"))
    for path in files[:10]:
        path.write_text(path.read_text().replace("**Fix:**", "**Fix:** Reconnect with a fresh pool, then", 1))
    for path in files[10:15]:
        path.unlink()
    for number in range(5):
        new = root / ".empathy/patterns/debugging" / f"new-{number}.md"
        new.write_text(files[20 + number].read_text().replace("id: p", "id: new-p", 1))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feature")
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(
        f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} runs, each run "
        "paired with a run of `python -c pass`"
    )
    for size in args.sizes:
        for varied in (False, True):
            root = prepare(size, varied)
            kind = "varied fixes" if varied else "24-word fixes"
            command = [*REVIEW, "--root", str(root)]
            line(f"review {size} patterns, {kind}, same config", timed(command, args.runs), width=56)
            config = root / ".empathy/config.yaml"
            config.write_text(config.read_text() + "# a comment: another blob, so nothing is reused\n")
            git(root, "commit", "-q", "-am", "touch the config")
            line(f"review {size} patterns, {kind}, config changed", timed(command, args.runs), width=56)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
