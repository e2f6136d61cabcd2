"""Adversarial texts for `scan_text` and `scrub`: the inputs that used to make a hook time out (issue 10).

    .venv/bin/python -m benchmarks.bench_scan_worst [--size-mb 5]

Each text is generated (seeded) at the given size and scanned in-process, best of three, in a fresh
interpreter per case (the first run includes imports and regex compiles); the wall time of
`python -c pass` is printed next to them as the machine's baseline. Target: well under 2 s for 5 MB.
The CPU column is the process time of scan_text alone, which a loaded machine inflates less than wall time.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import subprocess
import sys
import time

CASES = {
    "keyword-dense prose": "prose",
    "one giant line": "giant",
    "many short lines": "short",
    "many candidate tokens": "candidates",
    "many secret assignments": "assignments",
    "bash command": "bash",
    "one run without separators": "run",
}
_WORDS = "the token key and password for this secret api_key credential bearer pass pwd value is set here".split()


def make(kind: str, size: int, seed: int = 10) -> str:
    r = random.Random(seed)
    alnum = string.ascii_letters + string.digits
    parts: list[str] = []
    total = 0
    while total < size:
        part = _part(kind, r, alnum)
        parts.append(part)
        total += len(part)
    return "".join(parts)[:size]


def _part(kind: str, r: random.Random, alnum: str) -> str:
    if kind in ("prose", "giant"):
        return " ".join(r.choice(_WORDS) for _ in range(14)) + (".\n" if kind == "prose" else ". ")
    if kind == "short":
        return r.choice(("token\n", "key=1\n", "pwd:\n", "a@b\n", "x\n"))
    if kind == "candidates":
        return "".join(r.choice(alnum) for _ in range(r.randrange(20, 60))) + r.choice(" \n,;:=")
    if kind == "assignments":
        name = r.choice(("api_key", "token", "password", "client_secret", "AUTH_TOKEN"))
        return f"{name} = '{''.join(r.choice(alnum) for _ in range(32))}'\n"
    if kind == "run":
        return "x1" * 500 + "_token_" + "".join(r.choice(alnum) for _ in range(40))
    if kind == "bash":
        return r.choice(["echo", "--token", "$TOKEN", "key=value", "password", "|", "grep", "-e", "secret", "&&"]) + " "
    raise ValueError(kind)


_PROBE = """
import sys, time
from benchmarks.bench_scan_worst import make
text = make(sys.argv[1], int(sys.argv[2]))
from attune.scan import scan_text, scrub
scan_times, scrub_times, cpu_times = [], [], []
for _ in range(3):  # best of three: other processes on the machine only ever add time
    started, cpu = time.perf_counter(), time.process_time()
    found = scan_text(text, sys.argv[3])
    middle = time.perf_counter()
    cpu_times.append(time.process_time() - cpu)
    scrub(text, sys.argv[3])
    scan_times.append(middle - started)
    scrub_times.append(time.perf_counter() - middle)
print(min(scan_times), min(scrub_times), len(found), min(cpu_times))
"""


def run(size_mb: float) -> dict[str, object]:
    size = int(size_mb * 1_000_000)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    baseline = time.perf_counter() - started
    print(f"## scan_text and scrub on adversarial {size_mb:g} MB texts (best of 3, a fresh interpreter per case)")
    print(f"  {'python -c pass':26} {baseline * 1000:8.1f} ms (whole process, for scale)")
    print(f"  {'case':26} {'scan_text':>10} {'MB/s':>8} {'(CPU s)':>8} {'scrub':>10} {'MB/s':>8} {'findings':>9}")
    figures: dict[str, object] = {"python_c_pass_ms": round(baseline * 1000, 1)}
    for name, kind in CASES.items():
        filename = "command.sh" if kind == "bash" else "notes.md"
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, kind, str(size), filename], capture_output=True, text=True, check=True
        ).stdout.split()
        scan_s, scrub_s, found, cpu_s = float(out[0]), float(out[1]), int(out[2]), float(out[3])
        mb = size / 1e6
        print(
            f"  {name:26} {scan_s:9.2f}s {mb / scan_s:8.2f} {cpu_s:8.2f} {scrub_s:9.2f}s {mb / scrub_s:8.2f} {found:9}",
            flush=True,
        )
        figures[name] = {
            "scan_text_s": round(scan_s, 3),
            "scan_text_cpu_s": round(cpu_s, 3),
            "scrub_s": round(scrub_s, 3),
            "findings": found,
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_scan_worst")
    parser.add_argument("--size-mb", type=float, default=5.0)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.size_mb)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
