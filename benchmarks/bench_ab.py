"""Compare two installs of attune figure by figure, interleaved: before (another checkout's venv) and now.

    .venv/bin/python -m benchmarks.bench_ab --base /path/to/old/.venv [--runs 7] [--only sync review ...]

Issue 15 asks that every benchmark figure be at least as good as before. The figures of the other
benchmarks are taken one install at a time; on a shared machine that compares two moments as much
as two programs. Here every case runs old, new, new, old, ... in turn, and each figure is the median
of the child's CPU time (user + sys, grandchildren such as git included), with wall medians next to
it. Each side has its own copy of every library and its own cache directory. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from benchmarks import bench_commands, bench_hooks, bench_review
from benchmarks.bench_sync import WORK, generate

AB = WORK / "ab"
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class Side(NamedTuple):
    name: str
    bin: Path
    work: Path

    def env(self, **extra: str) -> dict[str, str]:
        return BASE_ENV | {"XDG_CACHE_HOME": str(self.work / "cache")} | extra


class Case(NamedTuple):
    label: str
    command: Callable[[Side], list[str]]
    before: Callable[[Side], None] | None = None
    stdin: bytes = b""
    env: Callable[[Side], dict[str, str]] | None = None


def _run(side: Side, case: Case) -> tuple[float, float]:
    """CPU ms (user + sys of the child and the children it waited for) and wall ms of one run."""
    if case.before is not None:
        case.before(side)
    env = case.env(side) if case.env else side.env()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(case.command(side), input=case.stdin, capture_output=True, env=env, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    return cpu * 1000, wall * 1000


def compare(sides: tuple[Side, Side], cases: list[Case], runs: int, warm: int = 1) -> None:
    for case in cases:
        if MATCH and not any(word in case.label for word in MATCH):
            continue
        for side in sides:
            for _ in range(warm):
                _run(side, case)
        samples: dict[str, list[tuple[float, float]]] = {s.name: [] for s in sides}
        for number in range(runs):
            for side in sides if number % 2 == 0 else sides[::-1]:
                samples[side.name].append(_run(side, case))
        old, new = (samples[s.name] for s in sides)
        cpu_old, cpu_new = (statistics.median(c for c, _ in x) for x in (old, new))
        wall_old, wall_new = (statistics.median(w for _, w in x) for x in (old, new))
        print(
            f"{case.label:<50} cpu {cpu_old:8.1f} -> {cpu_new:8.1f} ms ({(cpu_new / cpu_old - 1) * 100:+5.1f}%)"
            f"   wall {wall_old:8.1f} -> {wall_new:8.1f} ms",
            flush=True,
        )


def _lib(side: Side, size: int) -> Path:
    return side.work / f"lib-{size}"


def sync_cases(sides: tuple[Side, Side], size: int) -> list[Case]:
    for side in sides:
        generate(_lib(side, size), size)

    def command(side: Side) -> list[str]:
        return [str(side.bin / "empathy-sync-claude"), "--root", str(_lib(side, size)), "-q"]

    def wipe(side: Side, everything: bool = True) -> None:
        shutil.rmtree(_lib(side, size) / ".claude/rules/attune", ignore_errors=True)
        if everything:
            shutil.rmtree(side.work / "cache", ignore_errors=True)

    edits = iter(range(10**6))

    def edit(side: Side) -> None:
        target = _lib(side, size) / ".empathy/patterns/debugging/p00000.md"
        text = target.read_text()
        target.write_text(text.replace("**Fix:**", f"**Fix:** (edit {next(edits)})", 1))

    return [
        Case(f"sync {size}: first run (no rules, no cache)", command, wipe),
        Case(f"sync {size}: rules deleted, parse cache warm", command, lambda s: wipe(s, everything=False)),
        Case(f"sync {size}: one pattern edited", command, edit),
        Case(f"sync {size}: nothing changed", command),
    ]


def review_cases(sides: tuple[Side, Side], size: int, varied: bool) -> list[Case]:
    source = bench_review.prepare(size, varied)
    kind = "varied" if varied else "24-word"
    for side in sides:
        target = side.work / source.name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)

    def command(side: Side) -> list[str]:
        return [
            str(side.bin / "empathy"),
            "patterns",
            "review",
            "--base",
            "main",
            "--root",
            str(side.work / source.name),
        ]

    def touch_config(side: Side) -> None:
        root = side.work / source.name
        config = root / ".empathy/config.yaml"
        if "another blob" not in config.read_text():
            config.write_text(config.read_text() + "# a comment: another blob, so nothing is reused\n")
            bench_review.git(root, "commit", "-q", "-am", "touch the config")

    # The config change is made by the first run of the second case and stays.
    return [
        Case(f"review {size} {kind}: same config", command),
        Case(f"review {size} {kind}: config changed", command, touch_config),
    ]


def hook_cases(sides: tuple[Side, Side]) -> list[Case]:
    for side in sides:
        project = side.work / "hooks"
        (project / ".empathy").mkdir(parents=True, exist_ok=True)
        config = project / ".empathy/config.yaml"
        config.write_text("hooks:\n  pii: warn\n")
        os.utime(config, (time.time() - 60, time.time() - 60))  # old enough for the policy cache

    def hook(side: Side) -> list[str]:
        return [str(side.bin / "empathy"), "hook", "PreToolUse"]

    def env(side: Side) -> dict[str, str]:
        return side.env(CLAUDE_PROJECT_DIR=str(side.work / "hooks"))

    def write(size: int, secret: bool = False) -> bytes:
        # bench_hooks' payload names its own project folder; only the bytes of the content matter here.
        return bench_hooks.payload(size, secret)

    def bash(command: str) -> bytes:
        return bench_hooks.bash(command)

    quoted = bench_commands.shapes(1_000_000)["one quoted string"]
    return [
        Case("hook PreToolUse Write 1 KB clean", hook, stdin=write(1_000), env=env),
        Case("hook PreToolUse Write 100 KB clean", hook, stdin=write(100_000), env=env),
        Case("hook PreToolUse Write 1 MB clean", hook, stdin=write(1_000_000), env=env),
        Case("hook PreToolUse Write 1 KB holding a secret", hook, stdin=write(1_000, secret=True), env=env),
        Case("hook PreToolUse Bash plain command", hook, stdin=bash("git status --short && ls -la"), env=env),
        Case("hook PreToolUse Bash 1 MB quoted string", hook, stdin=bash(quoted), env=env),
    ]


def scan_cases(sides: tuple[Side, Side]) -> list[Case]:
    for side in sides:
        small = side.work / "small"
        small.mkdir(parents=True, exist_ok=True)
        (small / "app.py").write_text("import os\n\n\ndef main():\n    return os.environ.get('HOME')\n" * 20)

    def scan(side: Side) -> list[str]:
        return [str(side.bin / "empathy"), "scan", str(side.work / "small" / "app.py")]

    def version(side: Side) -> list[str]:
        return [str(side.bin / "empathy"), "--version"]

    return [Case("empathy scan one small file", scan), Case("empathy --version", version)]


IN_PROCESS = """
import json, random, statistics, sys, time, timeit
from attune import scan
from attune.hooks import exposure, reads
from attune.hooks.policy import DEFAULT
sys.path.insert(0, sys.argv[1])
from benchmarks.bench_commands import shapes
words = ('the parser reads each rule from the library and reports problems with their file and line so that a '
         'reviewer can fix them before the sync writes the rules for claude code to load when it edits files').split()
r = random.Random(1)
text = ''
while len(text) < 10240:
    text += ' '.join(r.choice(words) for _ in range(14)) + '.\\n'
text = text[:10240]
assert scan.scan_text(text, 'notes.md') == []
out = {'scan_text 10 KB clean, us (best of 5 x 2000)':
       min(timeit.repeat(lambda: scan.scan_text(text, 'notes.md'), number=2000, repeat=5)) / 2000 * 1e6}
def cpu(function, *args):
    samples = []
    for _ in range(5):
        started = time.process_time()
        function(*args)
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)
for label, command in shapes(1_000_000).items():
    out[f'1 MB {label}: reads, ms'] = cpu(lambda c: exposure.sensitive_use(reads.uses(c), '/tmp', DEFAULT), command)
    out[f'1 MB {label}: scan_text, ms'] = cpu(scan.scan_text, command, 'command.sh')
print(json.dumps(out))
"""


def in_process(sides: tuple[Side, Side], rounds: int) -> None:
    """bench_scan's in-process line and bench_commands' per-part figures, medians over rounds."""
    here = str(Path(__file__).resolve().parent.parent)
    figures: dict[str, dict[str, list[float]]] = {s.name: {} for s in sides}
    for number in range(rounds):
        for side in sides if number % 2 == 0 else sides[::-1]:
            out = subprocess.run(
                [str(side.bin / "python"), "-c", IN_PROCESS, here],
                capture_output=True,
                text=True,
                env=side.env(),
                check=False,
            )
            if out.returncode:
                raise SystemExit(out.stderr)
            for key, value in json.loads(out.stdout).items():
                figures[side.name].setdefault(key, []).append(value)
    old, new = (figures[s.name] for s in sides)
    for key in old:
        a, b = statistics.median(old[key]), statistics.median(new[key])
        print(f"{key:<60} {a:9.1f} -> {b:9.1f} ({(b / a - 1) * 100:+5.1f}%)", flush=True)


GROUPS = ("startup", "hooks", "sync", "review", "inprocess")
MATCH: list[str] = []  # --match: only the cases whose label holds one of these


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the venv of the install to compare against")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=list(GROUPS))
    parser.add_argument("--sync-sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--review-sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--match", nargs="+", default=[], help="only the cases whose label holds one of these")
    args = parser.parse_args()
    MATCH[:] = args.match
    sides = (
        Side("before", args.base.resolve() / "bin", AB / "before"),
        Side("now", Path(sys.executable).parent, AB / "now"),
    )
    for side in sides:
        side.work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; load {os.getloadavg()}; medians of {args.runs}")
    print(f"before: {sides[0].bin}\nnow:    {sides[1].bin}")
    if "startup" in args.only:
        compare(sides, scan_cases(sides), args.runs * 3, warm=2)
    if "hooks" in args.only:
        compare(sides, hook_cases(sides), args.runs * 3, warm=2)
    if "sync" in args.only:
        for size in args.sync_sizes:
            runs = max(3, args.runs // (1 + size // 5000))
            compare(sides, sync_cases(sides, size), runs)
    if "review" in args.only:
        for size in args.review_sizes:
            for varied in (False, True):
                compare(sides, review_cases(sides, size, varied), args.runs)
    if "inprocess" in args.only:
        in_process(sides, max(3, args.runs // 2))
    print(f"load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
