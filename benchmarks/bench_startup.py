"""Benchmark the sync's two start-up tricks: the argparse-free argument reader and the os._exit ending.

    python -m benchmarks.bench_startup [--sizes 100 1000] [--runs 30]

A no-op `empathy-sync-claude --root LIB -q` is run three ways, interleaved, next to `python -c
pass`: as shipped (both tricks); with `--ro LIB`, an abbreviation the plain reader leaves to
argparse (no reader); and through `sys.exit(sync_main())`, which leaves through the ordinary
interpreter teardown (no os._exit). Figures are medians of the child's CPU time (user + sys),
which a busy machine disturbs far less than wall time; wall medians follow. Issue 15: a trick
that saves less than a few percent of its path goes. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_sync import generate  # the same generated libraries as bench_sync

HERE = Path(__file__).resolve().parent

WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "startup"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"XDG_CACHE_HOME": str(WORK / "cache")}
SHIPPED = "from attune.cli import run_sync; run_sync()"
ORDINARY_EXIT = "import sys; from attune.cli import sync_main; sys.exit(sync_main())"


def ways(root: Path) -> dict[str, list[str]]:
    python = [sys.executable, "-c"]
    return {
        "as shipped": [*python, SHIPPED, "--root", str(root), "-q"],
        "without the plain reader": [*python, SHIPPED, "--ro", str(root), "-q"],
        "without os._exit": [*python, ORDINARY_EXIT, "--root", str(root), "-q"],
        "python -c pass": [*python, "pass"],
    }


def timed(command: list[str]) -> tuple[float, float]:
    """The child's CPU seconds (user + sys) and the wall seconds of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; medians of {args.runs} interleaved runs")
    for size in args.sizes:
        root = WORK / f"lib-{size}"
        if not root.exists():
            generate(root, size)
        commands = ways(root)
        for command in commands.values():  # warm: rules written, caches and .pyc files in place
            timed(command)
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                figures[name].append(timed(command))
        shipped = statistics.median(cpu for cpu, _ in figures["as shipped"])
        print(f"no-op sync of {size} patterns")
        for name, runs in figures.items():
            cpu = statistics.median(c for c, _ in runs)
            wall = statistics.median(w for _, w in runs)
            saving = (
                ""
                if name in ("as shipped", "python -c pass")
                else f"   the trick saves {(cpu - shipped) * 1000:.1f} ms"
            )
            share = f" ({(cpu - shipped) / cpu:.0%} of this path)" if saving else ""
            print(f"  {name:<26}cpu {cpu * 1000:7.1f} ms   wall {wall * 1000:7.1f} ms{saving}{share}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
