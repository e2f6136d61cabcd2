"""SIGKILL `empathy sync` and `empathy sync --watch` at random moments, then check what they left (issue 11).

    python -m benchmarks.kill_sync [--patterns 2000] [--kills 60] [--watch-kills 30] [--seed 1]

A library of generated patterns (as benchmarks/bench_sync.py makes them) lives in a git repository,
with a mirror that receives every edit and is only ever synced cleanly. Each round prepares work for
the sync (rules and parse cache deleted, rules deleted, or patterns edited), starts it in a new session,
kills it after a random delay (half of them inside the window in which such a sync writes its rule
files), and counts: forked parse workers alive at the kill and still alive 2 s later, rule files that
are not complete (our own marker parser: the content hash must match), temporary files. Then a clean sync runs, and we count the temporary files it left and
the rule files that differ from the mirror's. `--watch` rounds edit patterns every 20-60 ms while the
watcher runs. Nothing is asserted: the counts are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from attune.sync.rules import parse_generated
from benchmarks.bench_sync import generate

WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or Path(__file__).resolve().parent / ".work") / "kill_sync"
CACHE = WORK / "cache"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "XDG_CACHE_HOME": str(CACHE),
    "HOME": str(WORK / "home"),
}
OUTPUT = ".claude/rules/attune"
COLUMNS = ("landed", "workers_at_kill", "incomplete", "tmp_after_kill", "orphan_workers", "stale_tmp_after_next_sync",
           "wrong_after_next_sync", "next_sync_failed")  # fmt: skip


def sync(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "attune", "sync", "--root", str(root), "-q", *extra]


def clean_sync(root: Path, *extra: str) -> tuple[int, float]:
    started = time.perf_counter()
    done = subprocess.run(sync(root, *extra), env=ENV, capture_output=True, check=False)
    return done.returncode, time.perf_counter() - started


def timed(root: Path) -> tuple[float, tuple[float, float]]:
    """How long a sync takes, and when (seconds after its start) it wrote its first and last rule file."""
    before = {p: p.stat().st_mtime_ns for p in (root / OUTPUT).glob("*.md")}
    started = time.time()
    took = clean_sync(root)[1]
    stamps = [
        p.stat().st_mtime - started for p in (root / OUTPUT).glob("*.md") if before.get(p) != p.stat().st_mtime_ns
    ]
    return took, (max(0.0, min(stamps)), max(stamps)) if stamps else (0.0, took)


def incomplete(root: Path) -> int:
    """Rule files that our own parser does not take for a whole file we wrote."""
    count = 0
    for path in (root / OUTPUT).glob("*.md"):
        generated = parse_generated(path.read_text(encoding="utf-8", errors="replace"))
        count += generated is None or not generated.intact
    return count


def temporary(*folders: Path) -> list[str]:
    """Temporary files (`.name.pid.n.tmp` from attune.atomic, or `tmp*` from tempfile) anywhere below."""
    found = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d != ".git"]
            found += [os.path.join(dirpath, n) for n in filenames if n.endswith(".tmp") or n.startswith("tmp")]
    return found


def session_members(session: int) -> list[int]:
    """Live processes of a session (our sync's forked workers share the session we started it in)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[3]) == session:
            found.append(int(entry))
    return found


def orphans(pid: int, grace: float = 2.0) -> int:
    deadline = time.monotonic() + grace
    while (alive := session_members(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for child in alive:  # ours: started by the sync we started; clean up for the next round
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    return len(alive)


def edit(roots: tuple[Path, Path], rng: random.Random, count: int, serial: list[int]) -> None:
    """Edit `count` patterns the same way in the library and in its mirror, as an editor saves."""
    sources = sorted((roots[0] / ".empathy/patterns").rglob("*.md"))
    for source in rng.sample(sources, min(count, len(sources))):
        serial[0] += 1
        text = source.read_text(encoding="utf-8")
        head, _, _ = text.partition("\n**Fix:**")
        new = f"{head}\n**Fix:** edit {serial[0]}: {' '.join(rng.choice(('retry', 'lock', 'cache')) for _ in range(30))}\n"
        for root in roots:
            (root / source.relative_to(roots[0])).write_text(new, encoding="utf-8")


def differing(root: Path, mirror: Path) -> int:
    mine = {p.name: p.read_bytes() for p in (root / OUTPUT).glob("*.md")}
    theirs = {p.name: p.read_bytes() for p in (mirror / OUTPUT).glob("*.md")}
    return sum(mine.get(name) != theirs.get(name) for name in mine.keys() | theirs.keys())


def one_round(
    mode: str, roots: tuple[Path, Path], rng: random.Random, delay: float, serial: list[int]
) -> dict[str, int]:
    root, mirror = roots
    if mode in ("cold", "rules"):
        shutil.rmtree(root / OUTPUT, ignore_errors=True)
    if mode == "cold":
        shutil.rmtree(CACHE, ignore_errors=True)
    elif mode == "edit":
        edit(roots, rng, rng.randint(1, 60), serial)
    argv = sync(root, "--watch") if mode == "watch" else sync(root)
    stop = threading.Event()
    flow = threading.Thread(target=_edit_flow, args=(roots, random.Random(rng.random()), stop, serial))
    process = subprocess.Popen(
        argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    if mode == "watch":
        flow.start()
    time.sleep(delay)
    landed = process.poll() is None
    os.kill(process.pid, signal.SIGKILL) if landed else None
    process.wait()
    if mode == "watch":
        stop.set()
        flow.join()
    counts = {"landed": int(landed), "incomplete": incomplete(root), "tmp_after_kill": len(temporary(root, CACHE))}
    counts["workers_at_kill"] = len(session_members(process.pid))  # forked parse workers: was the fork path hit?
    counts["orphan_workers"] = orphans(process.pid)
    code, _ = clean_sync(root)
    clean_sync(mirror)
    stale = temporary(root, CACHE)
    counts |= {"stale_tmp_after_next_sync": len(stale), "next_sync_failed": int(code != 0)}
    counts["wrong_after_next_sync"] = differing(root, mirror) + incomplete(root)
    for path in stale:  # counted once: the next round starts clean
        os.unlink(path)
    return counts


def _edit_flow(roots: tuple[Path, Path], rng: random.Random, stop: threading.Event, serial: list[int]) -> None:
    while not stop.wait(rng.uniform(0.02, 0.06)):
        edit(roots, rng, rng.randint(1, 3), serial)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=60, help="rounds killing a one-off sync")
    parser.add_argument("--watch-kills", type=int, default=30, help="rounds killing `sync --watch`")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(args.seed)
    shutil.rmtree(WORK, ignore_errors=True)
    root, mirror = WORK / "lib", WORK / "mirror"
    generate(root, args.patterns, seed=args.seed)
    shutil.copytree(root, mirror)
    (WORK / "home").mkdir(parents=True)
    durations, writing = {}, {}
    for mode in ("cold", "rules", "edit", "cold", "rules", "edit"):  # the second measure of each counts
        if mode in ("cold", "rules"):
            shutil.rmtree(root / OUTPUT, ignore_errors=True)
        if mode == "cold":
            shutil.rmtree(CACHE, ignore_errors=True)
        elif mode == "edit":
            edit((root, mirror), rng, 30, [0])
        durations[mode], writing[mode] = timed(root)
    clean_sync(mirror)
    baseline = statistics.median(clean_sync(root)[1] for _ in range(3))
    durations["watch"] = 2 * durations["cold"] + 0.5  # start-up sync, then the edits it catches
    print(f"{args.patterns} patterns, {len(list((root / OUTPUT).glob('*.md')))} rule files; "
          + ", ".join(f"{m} sync {d * 1000:.0f} ms (writes {writing[m][0] * 1000:.0f}-{writing[m][1] * 1000:.0f} ms)"
                      for m, d in durations.items() if m != "watch")
          + f", no-op sync {baseline * 1000:.0f} ms; rules identical to the mirror's: {differing(root, mirror) == 0}")  # fmt: skip
    totals: dict[str, Counter[str]] = {column: Counter() for column in COLUMNS}
    rounds: Counter[str] = Counter()
    serial = [1000]
    plan = [rng.choice(("cold", "rules", "edit")) for _ in range(args.kills)] + ["watch"] * args.watch_kills
    for mode in plan:
        # Half the kills anywhere in the run, half while it writes rule files (a window of a few ms).
        low, high = writing.get(mode, (0.0, durations[mode])) if rng.random() < 0.5 else (0.0, 1.1 * durations[mode])
        delay = rng.uniform(max(0.0, low - 0.005), max(0.0, high + 0.005))
        rounds[mode] += 1
        for column, value in one_round(mode, (root, mirror), rng, delay, serial).items():
            totals[column][mode] += value
    print(f"{'':<28}" + "".join(f"{m:>8}" for m in rounds) + f"{'total':>8}")
    print(f"{'rounds':<28}" + "".join(f"{n:>8}" for n in rounds.values()) + f"{sum(rounds.values()):>8}")
    for column in COLUMNS:
        print(
            f"{column:<28}" + "".join(f"{totals[column][m]:>8}" for m in rounds) + f"{sum(totals[column].values()):>8}"
        )
    print(f"wall time {time.monotonic() - started:.1f} s")
    figures = {column: sum(totals[column].values()) for column in COLUMNS}
    print(f"kill_sync: kills={figures.pop('landed')} " + " ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
