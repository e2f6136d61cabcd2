"""Hostile state: damage the working memory store and the session files, then use them (issues 10, 11).

    python benchmarks/hostile_state.py [--only NAME ...] [--jobs N]

Each case seeds a project (a memory entry, a session record), damages it one way, then runs
every `empathy memory` command and every recording hook (as processes, the way a user and
Claude Code run them) and counts:

- tracebacks: a Python traceback, or a hook that exits 1 (it crashed and logged it);
- silent wrong outputs: a command that answers wrongly (a value stashed after the damage is not
  read back, the new session is not recorded) or loses the old data without a warning, and a
  damaged file that is gone instead of moved aside;
- protections off: a file outside the project changed (a symbolic link followed), a secret in
  an output.

Target: 0 of each. Prints one line per case, then the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "hostile"
STORE = ".git/attune/state/memory"
SESSION = ".empathy/sessions/s-seed"
# Built at run time, so that no file of ours holds a real-looking token.
TOKEN = "gh" + "p_" + "Zq8Xw2Lm9Vn4Bc7Tk1Rp" + "Qa3Ws5Ed7Rf9Tg2Y"
VICTIM = "the victim file, outside the project\n"


class Case(NamedTuple):
    name: str
    damage: Callable[[Path, Path], None]  # (project, victim)
    loses_memory: bool = False  # the seeded memory entry cannot survive: a warning must say so
    keeps_aside: str = ""  # a damaged file that must be moved aside, not deleted


class Outcome(NamedTuple):
    name: str
    tracebacks: list[str]
    wrong: list[str]
    unprotected: list[str]
    seconds: float


def _db(project: Path) -> Path:
    """The seeded entry's file in the live-state store, in the git common directory (issue 14)."""
    from attune import digest

    return project / STORE / (digest.fingerprint("working:seed", 16) + ".json")


def _truncate(size: int) -> Callable[[Path, Path], None]:
    def damage(project: Path, _: Path) -> None:
        _db(project).write_bytes(_db(project).read_bytes()[:size])

    return damage


def _replace(project: Path, data: bytes) -> None:
    _db(project).write_bytes(data)


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("kept\n")


def _symlink(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.symlink_to(target)


def _folder_is_a_file(path: Path) -> None:
    shutil.rmtree(path)
    path.write_text("not a folder\n")


def _record(project: Path, data: object) -> None:
    (project / f"{SESSION}.json").write_text(json.dumps(data))


def _old_record_with_a_secret(project: Path, _: Path) -> None:
    record = json.loads((project / f"{SESSION}.json").read_text())
    record["last_assistant_message"] = f"The deploy key is {TOKEN}"
    record["cwd"] = f"/home/me/{TOKEN}"
    record["timeline"].append({"time": "2026-01-01T00:00:00Z", "event": "Bash", "detail": f"export K={TOKEN}"})
    _record(project, record)


CASES = [
    Case("memory: truncated to 30 bytes", _truncate(30), loses_memory=True),
    Case("memory: zero-length file", _truncate(0), loses_memory=True),
    Case("memory: random bytes", lambda p, _: _replace(p, os.urandom(16384)), loses_memory=True),
    Case(
        "memory: JSON of the wrong shape",
        lambda p, _: _replace(p, b'{"key": 5, "value": [], "expires": "soon"}'),
        loses_memory=True,
    ),
    Case("memory: the entry is a directory", lambda p, _: _directory(_db(p)), loses_memory=True),
    Case(
        "memory: the entry is a dangling symlink", lambda p, _: _symlink(_db(p), p / "missing.json"), loses_memory=True
    ),
    Case("memory: the entry links to a file outside", lambda p, v: _symlink(_db(p), v), loses_memory=True),
    Case("memory: its folder is a file", lambda p, _: _folder_is_a_file(_db(p).parent), loses_memory=True),
    Case("memory: the state folder is a file", lambda p, _: _folder_is_a_file(_db(p).parent.parent), loses_memory=True),
    Case(
        "sessions: record truncated",
        lambda p, _: (p / f"{SESSION}.json").write_text('{"session_id": "s-se'),
        keeps_aside=f"{SESSION}.json",
    ),
    Case(
        "sessions: record is random bytes",
        lambda p, _: (p / f"{SESSION}.json").write_bytes(os.urandom(3000)),
        keeps_aside=f"{SESSION}.json",
    ),
    Case("sessions: record is a JSON list", lambda p, _: _record(p, [1, 2, 3]), keeps_aside=f"{SESSION}.json"),
    Case(
        "sessions: record fields of the wrong types",
        lambda p, _: _record(p, {"session_id": "s-seed", "timeline": "x", "files_touched": 5, "folded": "abc"}),
        keeps_aside=f"{SESSION}.json",
    ),
    Case("sessions: record folded offset negative", lambda p, _: _record(p, {"session_id": "s-seed", "folded": -50})),
    Case(
        "sessions: record folded offset past the end",
        lambda p, _: _record(p, {"session_id": "s-seed", "folded": 10**12}),
    ),
    Case(
        "sessions: record is a directory", lambda p, _: _directory(p / f"{SESSION}.json"), keeps_aside=f"{SESSION}.json"
    ),
    Case("sessions: record links to a file outside", lambda p, v: _symlink(p / f"{SESSION}.json", v)),
    Case(
        "sessions: events file holds garbage",
        lambda p, _: (p / f"{SESSION}.events.jsonl").write_bytes(b'\xff\xfe garbage\n[1,2]\n{"time": 1}\n{"half": '),
    ),
    Case("sessions: events file is a directory", lambda p, _: _directory(p / f"{SESSION}.events.jsonl")),
    Case("sessions: events file links to a file outside", lambda p, v: _symlink(p / f"{SESSION}.events.jsonl", v)),
    Case("sessions: the sessions folder is a file", lambda p, _: _folder_is_a_file(p / ".empathy/sessions")),
    Case("sessions: the logs folder is a file", lambda p, _: _folder_is_a_file(p / ".empathy/logs")),
    Case(
        "sessions: instructions ledger links outside", lambda p, v: _symlink(p / ".empathy/logs/instructions.jsonl", v)
    ),
    Case("sessions: audit log links outside", lambda p, v: _symlink(p / ".empathy/audit.jsonl", v)),
    Case("sessions: an older record holds a secret", _old_record_with_a_secret),
]


def _run(project: Path, argv: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(project), "HOME": str(project.parent / "home"),
           "XDG_CACHE_HOME": str(project.parent / "home/.cache")}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "attune", *argv], input=stdin, capture_output=True, text=True,
                          cwd=project, env=env, timeout=120, check=False)  # fmt: skip


def _hook(project: Path, event: str, session: str, **fields: object) -> subprocess.CompletedProcess[str]:
    payload = {"session_id": session, "transcript_path": "", "cwd": str(project), "hook_event_name": event, **fields}
    return _run(project, ["hook", event], json.dumps(payload))


def _memory(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(project, ["memory", *args, "--root", str(project)])


def _seed(project: Path) -> None:
    _memory(project, "stash", "working:seed", "alpha")
    _hook(project, "PostToolUse", "s-seed", tool_name="Bash", tool_input={"command": "pytest", "description": "tests"})
    _hook(project, "Stop", "s-seed", last_assistant_message="Seeded the parser work.")
    _hook(project, "InstructionsLoaded", "s-seed", file_path=str(project / "CLAUDE.md"), load_reason="session_start")


def run_case(case: Case, base: Path) -> Outcome:
    started = time.perf_counter()
    slug = "".join(c if c.isalnum() else "-" for c in case.name)[:60]
    home = base / slug
    shutil.rmtree(home, ignore_errors=True)
    project, outside = home / "project", home / "outside"
    (project / ".empathy").mkdir(parents=True)
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text(VICTIM)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    _seed(project)
    case.damage(project, victim)
    aside = project / case.keeps_aside if case.keeps_aside else None
    damaged = aside.read_bytes() if aside is not None and aside.is_file() and not aside.is_symlink() else None

    runs: list[tuple[str, subprocess.CompletedProcess[str]]] = []

    def go(label: str, result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
        runs.append((label, result))
        return result

    stashed = go("memory stash", _memory(project, "stash", "working:after", "bravo"))
    got = go("memory get", _memory(project, "get", "working:after"))
    seed = go("memory get (seeded)", _memory(project, "get", "working:seed"))
    listed = go("memory list", _memory(project, "list"))
    go("memory recall", _memory(project, "recall", "parser deploy key"))
    forgot = go("memory forget", _memory(project, "forget", "working:after"))
    cleared = go("memory clear", _memory(project, "clear"))
    go("memory stash (again)", _memory(project, "stash", "working:final", "charlie"))
    go("memory stash (audited)", _memory(project, "stash", "working:contact", "mail jane.doe" + "@" + "gmail.com"))
    final = go("memory get (again)", _memory(project, "get", "working:final"))
    hooks = [
        ("PostToolUse", {"tool_name": "Bash", "tool_input": {"command": "make", "description": "build it"}}),
        ("PostToolUse", {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": "x"}}),
        ("SubagentStop", {"agent_type": "explore", "last_assistant_message": "found it"}),
        ("PreCompact", {"trigger": "auto"}),
        ("PostCompact", {"trigger": "auto", "compact_summary": "we built it"}),
        ("Stop", {"last_assistant_message": "Built the lexer after the damage."}),
        ("InstructionsLoaded", {"file_path": str(project / "CLAUDE.md"), "load_reason": "session_start"}),
        ("SessionEnd", {"reason": "exit"}),
    ]
    for event, fields in hooks:
        go(f"hook {event}", _hook(project, event, "s-seed", **fields))
    digest = go("hook SessionStart", _hook(project, "SessionStart", "s-next", source="startup"))

    tracebacks = [label for label, r in runs if "Traceback" in r.stderr]
    tracebacks += [f"{label} exit {r.returncode}" for label, r in runs if label.startswith("hook") and r.returncode]
    errors = [f"{label}: {r.stderr.strip()[:160]}" for label, r in runs if "empathy: error" in r.stderr]
    warned = any("warning" in r.stderr for _, r in runs)
    wrong = []
    if (stashed.returncode, got.stdout) != (0, "bravo\n"):
        wrong.append(f"the value stashed after the damage was not read back ({got.stderr.strip()[:120]})")
    if "working:after" not in listed.stdout or forgot.returncode or cleared.returncode:
        wrong.append("list, forget or clear failed")
    if final.stdout != "charlie\n":
        wrong.append("stash after clear was not read back")
    if seed.stdout != "alpha\n" and not (case.loses_memory and warned):
        wrong.append("the seeded entry was lost without a warning")
    if case.loses_memory and seed.stdout == "alpha\n":
        wrong.append("a damaged store answered as if whole")
    if "Built the lexer after the damage." not in digest.stdout:
        wrong.append("the new session's record did not reach the next session's digest")
    record = project / f"{SESSION}.json"
    try:
        saved = json.loads(record.read_text())
        if saved.get("last_assistant_message") != "Built the lexer after the damage.":
            wrong.append("the session record does not hold the last answer")
    except (OSError, ValueError) as exc:
        wrong.append(f"the session record cannot be read back ({type(exc).__name__})")
    if aside is not None and not _kept(aside, damaged):
        wrong.append(f"the damaged {case.keeps_aside} was deleted, not moved aside")
    wrong += [f"refused: {e}" for e in errors]
    unprotected = []
    if victim.read_text() != VICTIM:
        unprotected.append("the file outside the project was changed through a link")
    unprotected += [f"{label} printed the secret" for label, r in runs if TOKEN in r.stdout + r.stderr]
    for folder, _, files in os.walk(project):
        for name in files:
            path = Path(folder, name)
            if ".git" in path.parts:
                continue
            if "secret" in case.name and TOKEN in _text(path) and "damaged" not in name:
                unprotected.append(f"the secret was copied into {path.relative_to(project)}")
    return Outcome(case.name, tracebacks, wrong, unprotected, time.perf_counter() - started)


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def _kept(path: Path, damaged: bytes | None) -> bool:
    """The damaged file (or folder) still exists next to where it was, under another name."""
    for sibling in path.parent.iterdir():
        moved = sibling.name.startswith(path.name) and sibling != path and "damaged" in sibling.name
        if moved and (damaged is None or (sibling.is_file() and sibling.read_bytes() == damaged)):
            return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="run the cases whose name holds one of these words")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or any(word in c.name for word in args.only)]
    WORK.mkdir(parents=True, exist_ok=True)
    baseline = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    baseline_ms = (time.perf_counter() - baseline) * 1000
    print(f"python {sys.version.split()[0]}; {len(cases)} damages; each: 10 memory commands and 9 hooks as processes")
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda case: run_case(case, WORK), cases))
    for outcome in outcomes:
        problems = outcome.tracebacks + outcome.wrong + outcome.unprotected
        print(f"{'ok  ' if not problems else 'FAIL'} {outcome.name:<58} {outcome.seconds * 1000:8.1f} ms")
        for problem in problems:
            print(f"       {problem}")
    totals = [sum(len(getattr(o, field)) for o in outcomes) for field in ("tracebacks", "wrong", "unprotected")]
    print(f"python -c pass: {baseline_ms:.1f} ms")
    print(f"tracebacks: {totals[0]}   silent wrong outputs: {totals[1]}   protections off: {totals[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
