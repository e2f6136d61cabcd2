"""Fuzz `empathy hook EVENT` with valid and malformed payloads carrying planted secrets (issue 10).

    python -m benchmarks.fuzz_hooks [--count 10000] [--seed 1] [--process-share 0.1] [--deadline 10]

Every malformed, huge or special-file payload runs as its own process (`python -m attune hook EVENT`,
address space capped at 2 GiB so a read of /dev/zero ends in MemoryError instead of eating the
machine); `--process-share` of the valid ones too, the rest in-process through `runner.run` for
speed. Runs happen in real git repositories (with `.empathy/`, without it, and "read-only" ones
where `.empathy/sessions` and `.empathy/logs` are regular files: we run as root, so chmod would not
stop a write) with HOME and XDG_CACHE_HOME in the work folder. After each batch every file under
the repositories and HOME (contents and names) is searched for 12-character pieces of the random
part of every planted secret. Nothing is asserted: the counts are printed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from attune.hooks import runner
from benchmarks.fuzz_payloads import COLUMNS, FORMATS, Case, fragments, known_formats, make_case

WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or Path(__file__).resolve().parent / ".work") / "fuzz_hooks"


class Result(NamedTuple):
    code: int | None  # None: still running at the deadline
    out: str
    err: str
    crashed: bool  # killed by a signal, a traceback, or (in-process) an exception out of runner.run


def run_case(case: Case, roots: dict[str, str], deadline: float) -> Result:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"CLAUDECODE": "1"}
    for key, value in case.env:
        env.pop(key, None) if value is None else env.__setitem__(key, value)
    if not case.process:
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        try:
            code = runner.run(case.event, io.StringIO(case.stdin.decode("utf-8", "surrogatepass")), out, err, env)
        except Exception as exc:  # noqa: BLE001 - an exception out of runner.run is exactly what we count
            return Result(1, out.getvalue(), f"{type(exc).__name__}: {exc}", True)
        return Result(code if time.monotonic() - started < deadline else None, out.getvalue(), err.getvalue(), False)
    # 2 GiB of address space: a hook reading /dev/zero dies of MemoryError instead of taking the machine.
    argv = ["sh", "-c", 'ulimit -v 2097152; exec "$0" "$@"', sys.executable, "-m", "attune", "hook", case.event]
    try:
        done = subprocess.run(
            argv, input=case.stdin, capture_output=True, cwd=roots[case.where], env=env, timeout=deadline, check=False
        )
    except subprocess.TimeoutExpired as timeout:
        return Result(
            None,
            (timeout.stdout or b"").decode("utf-8", "replace"),
            (timeout.stderr or b"").decode("utf-8", "replace"),
            False,
        )
    err = done.stderr.decode("utf-8", "replace")
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        err,
        done.returncode < 0 or "Traceback (most recent" in err,
    )


def answer_of(out: str) -> dict[str, object]:
    try:
        value = json.loads(out) if out.lstrip().startswith("{") else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def blocked(result: Result) -> bool:
    answer = answer_of(result.out)
    specific = answer.get("hookSpecificOutput")
    deny = isinstance(specific, dict) and specific.get("permissionDecision") == "deny"
    return result.code == 2 or deny or answer.get("decision") == "block"


def files_text(folders: list[Path]) -> list[tuple[str, str]]:
    """(path, contents and name) of every regular file under the folders."""
    found = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in [*filenames, *dirnames]:
                path = os.path.join(dirpath, name)
                text = path
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as handle:
                        text += "\n" + handle.read().decode("latin-1")
                found.append((path, text))
    return found


def setup(template: Path, batch: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Fresh repositories and HOME for a batch, and the special paths."""
    shutil.rmtree(batch, ignore_errors=True)
    roots = {name: str(batch / name) for name in ("lib", "nolib", "ro")}
    shutil.copytree(template / "lib", roots["lib"], symlinks=True)
    shutil.copytree(template / "lib", roots["ro"], symlinks=True)
    shutil.copytree(template / "nolib", roots["nolib"], symlinks=True)
    ro = Path(roots["ro"]) / ".empathy"
    for name in ("sessions", "logs"):  # makedirs fails on a regular file, even as root
        shutil.rmtree(ro / name, ignore_errors=True)
        (ro / name).write_text("not a folder\n")
    (ro / "audit.jsonl").mkdir(exist_ok=True)  # appends to a folder fail
    home = batch / "home"
    (home / ".cache").mkdir(parents=True)
    os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"))
    special = {"dev-zero": "/dev/zero", "dev-urandom": "/dev/urandom", "fifo": str(batch / "fifo"),
               "directory": str(batch / "lib" / "src"), "missing": str(batch / "no" / "such" / "dir")}  # fmt: skip
    os.mkfifo(special["fifo"])
    (batch / "lib" / "src").mkdir(exist_ok=True)
    return roots, special


def make_template(template: Path) -> None:
    shutil.rmtree(template, ignore_errors=True)
    for name in ("lib", "nolib"):
        subprocess.run(["git", "init", "-q", str(template / name)], check=True)
        (template / name / "src").mkdir()
        (template / name / "src" / "app.py").write_text("def add(a, b):\n    return a + b\n")
    subprocess.run(
        [sys.executable, "-m", "attune", "init", "--root", str(template / "lib")], check=True, capture_output=True
    )


UNREADABLE = ("truncated", "nonjson")


def findings(case: Case, result: Result, pieces: set[str], leaked: bool) -> dict[str, bool]:
    answer = answer_of(result.out)
    specific = answer.get("hookSpecificOutput")
    updated = specific.get("updatedToolOutput") if isinstance(specific, dict) else None
    shown = json.dumps(updated, ensure_ascii=False) if updated is not None else ""
    missed = (case.guard == "deny" and not blocked(result)) or (
        case.guard == "redact" and (updated is None or any(p in shown for p in pieces))
    )
    return {
        "crashes": result.crashed,
        "bad_exit": result.code is not None and result.code not in (0, 2),
        "hangs": result.code is None,
        # A guarded call whose payload is not JSON cannot be judged: denying it is failing closed,
        # which issue 10 asks for; such denials are counted apart, not as false blocks.
        "false_blocks": case.clean and blocked(result) and case.kind not in UNREADABLE,
        "leaked_to_file": leaked,
        "passed_guard": missed,
        "echoed": any(p in result.out or p in result.err for p in pieces),
    }


def describe(case: Case, result: Result, pieces: set[str], where: str = "") -> str:
    line = f"{where} {(result.err.strip().splitlines() or [''])[-1][:140]}"
    # The fakes are random, yet the report shows no more of them than a finding would.
    line = re.sub(r"[\w+=-]{12,}", lambda m: "[planted]" if any(p in m[0] for p in pieces) else m[0], line)
    return f"{case.kind} {case.site} {case.fmt} exit={result.code} {line}".rstrip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--process-share", type=float, default=0.1, help="valid payloads run as processes too")
    parser.add_argument("--deadline", type=float, default=10.0, help="seconds a hook may take (hooks install pins 10)")
    parser.add_argument("--jobs", type=int, default=3, help="hook processes at once")
    parser.add_argument("--batch", type=int, default=250, help="payloads between two searches of the files")
    args = parser.parse_args()
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    os.chdir(WORK)
    known_map = known_formats(random.Random(args.seed + 1))
    known = [name for name, share in known_map.items() if share > 0]
    reference = {name: "\n".join(FORMATS[name](random.Random(f"reference {i}")) for i in range(3)) for name in FORMATS}
    partly = " ".join(f"{name}:{share:.0%}" for name, share in known_map.items() if 0 < share < 1)
    print(f"formats the engine knows ({len(known)}): {' '.join(known)}; found alone in part: {partly or '-'}")
    print(f"formats it does not know (not planted): {' '.join(n for n, s in known_map.items() if not s) or '-'}")
    make_template(WORK / "template")
    r = random.Random(args.seed)
    counts: dict[str, Counter[str]] = {column: Counter() for column in COLUMNS}
    sites: dict[str, Counter[str]] = {column: Counter() for column in COLUMNS}
    examples: dict[str, list[str]] = {column: [] for column in COLUMNS}
    kinds: Counter[str] = Counter()
    guarded: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    by_payload: Counter[tuple[bool, str]] = Counter()  # (a valid payload?, planted or missed)
    processes = 0
    denied_unreadable = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        for first in range(0, args.count, args.batch):
            batch = WORK / "batch"
            roots, special = setup(WORK / "template", batch)
            cases = [
                make_case(r, known, roots, special, args.process_share)
                for _ in range(min(args.batch, args.count - first))
            ]
            futures = [pool.submit(run_case, case, roots, args.deadline) if case.process else None for case in cases]
            here = {i: run_case(case, roots, args.deadline) for i, case in enumerate(cases) if not case.process}
            results = [here[i] if future is None else future.result() for i, future in enumerate(futures)]
            pieces = [{p for s in case.secrets for p in fragments(s, reference[case.fmt])} for case in cases]
            owner = {piece: i for i, found in enumerate(pieces) for piece in found}
            leaked: dict[int, str] = {}
            for path, text in files_text([Path(root) for root in roots.values()] + [batch / "home"]) if owner else []:
                for j in range(len(text) - 11):
                    i = owner.get(text[j : j + 12], -1)
                    if i >= 0 and i not in leaked:
                        leaked[i] = os.path.relpath(path, batch)
            for i, (case, result) in enumerate(zip(cases, results, strict=True)):
                kinds[case.kind] += 1
                denied_unreadable += case.kind in UNREADABLE and blocked(result)
                processes += case.process
                if case.guard:
                    guarded[case.fmt] += 1
                    by_payload[case.kind == "valid", "planted"] += 1
                for column, hit in findings(case, result, pieces[i], i in leaked).items():
                    if hit:
                        counts[column][case.kind] += 1
                        sites[column][case.site.split(" (")[0]] += 1
                        missed[case.fmt] += column == "passed_guard"
                        by_payload[case.kind == "valid", "missed"] += column == "passed_guard"
                        if len(examples[column]) < 4:
                            examples[column].append(describe(case, result, pieces[i], leaked.get(i, "")))
    shutil.rmtree(WORK / "batch", ignore_errors=True)
    total = sum(kinds.values())
    print(f"{total} payloads ({processes} as processes, {total - processes} in-process), seed {args.seed}, "
          f"deadline {args.deadline:.0f} s: " + " ".join(f"{k}:{v}" for k, v in kinds.most_common()))  # fmt: skip
    print(f"{'column':<16}{'count':>7}  by kind | top sites")
    for column in COLUMNS:
        by_kind = " ".join(f"{k}:{v}" for k, v in counts[column].most_common())
        top = "; ".join(f"{site} x{n}" for site, n in sites[column].most_common(3))
        print(f"{column:<16}{sum(counts[column].values()):>7}  {by_kind}{' | ' + top if top else ''}")
    print(f"{'(unreadable)':<16}{denied_unreadable:>7}  guarded calls whose payload was not JSON, denied (fail closed)")
    planted = sum(guarded.values())
    recall = 100.0 * (planted - sum(missed.values())) / planted if planted else 100.0
    weak = " ".join(f"{f}:{100 * (guarded[f] - missed[f]) / guarded[f]:.0f}%" for f in sorted(guarded) if missed[f])
    print(
        f"{'recall':<16}{recall:>6.1f}%  of {planted} secrets planted in guarded fields{'; below 100%: ' + weak if weak else ''}"
    )
    split = [
        (by_payload[valid, "planted"] - by_payload[valid, "missed"], by_payload[valid, "planted"])
        for valid in (True, False)
    ]
    print(
        f"{'':<23}valid payloads {split[0][0]}/{split[0][1]}; broken, special or stressed ones {split[1][0]}/{split[1][1]}"
    )
    for column in COLUMNS:
        for example in examples[column]:
            print(f"  e.g. {column}: {example}")
    print(f"wall time {time.monotonic() - started:.1f} s")
    figures = " ".join(f"{column}={sum(counts[column].values())}" for column in COLUMNS)
    print(f"fuzz_hooks: payloads={total} {figures} recall={recall:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
