"""Start wizards from hooks and git hooks without waiting: a detached process per wizard, output to a log.

The hook side (issue 4) calls `on_event(root, event, session_id)` from its Stop and PreCompact
handlers, and the git post-commit hook runs `empathy wizard trigger post-commit`. Both return
as soon as the process is spawned: no Claude Code turn and no commit waits on the network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from attune import paths
from attune.errors import UserError
from attune.llm import ledger

LOG = f"{paths.EMPATHY_DIR}/logs/wizards.log"
EVENTS = ("Stop", "PreCompact", "post-commit")


def launch_detached(root: Path, name: str, args: Sequence[str] = ()) -> int:
    """Start `empathy wizard run NAME ARGS --root ROOT` in a new session; return its pid at once.

    stdin is /dev/null and both outputs append to `.empathy/logs/wizards.log`, so the caller's
    pipes (a hook's stdout is parsed by Claude Code) never see a byte from it.
    """
    if not hasattr(os, "posix_spawn"):
        raise UserError("detached wizards need a POSIX system (os.posix_spawn); run `empathy wizard run` instead")
    log = root / LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "attune", "wizard", "run", name, *args, "--root", str(root)]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    pid = os.posix_spawn(sys.executable, argv, dict(os.environ), file_actions=actions, setsid=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{ledger.now()} pid {pid}: empathy wizard run {' '.join([name, *args])}\n")
    return pid


def on_event(root: Path, event: str, session_id: str | None = None) -> list[int]:
    """Claude Code's Stop or PreCompact: start session-summary if the config asks for it (never on SessionEnd).

    A broken config reads as the defaults, which start nothing: a hook must not fail over a trigger.
    """
    from attune import config as config_mod

    triggers = config_mod.read(root)[0].triggers
    if event not in triggers.session_summary:
        return []
    from attune import sessions

    record = sessions.record_path(root, session_id) if session_id else None
    args = [str(record)] if record is not None and record.is_file() else []
    return [launch_detached(root, "session-summary", args)]


def on_commit(root: Path) -> list[int]:
    """The git post-commit hook: security-review of the commit, bug-pattern if it says it fixes a bug."""
    from attune import config as config_mod
    from attune.llm.wizards.bug_pattern import is_fix_commit

    triggers = config_mod.read(root)[0].triggers
    if not (triggers.security_review or triggers.bug_pattern):
        return []
    sha = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if sha is None:
        return []
    started = []
    parent = _git(root, "rev-parse", "--verify", "-q", f"{sha}~1")
    if triggers.security_review and parent is not None:
        started.append(launch_detached(root, "security-review", ["--base", parent]))
    if triggers.bug_pattern and is_fix_commit(_git(root, "log", "-1", "--format=%B", sha) or ""):
        started.append(launch_detached(root, "bug-pattern", [sha]))
    return started


def trigger(*, event: str, session_id: str | None, root: str | None) -> int:
    """`empathy wizard trigger EVENT`: start what the config asks for, detached, and return at once."""
    if event not in EVENTS:
        raise UserError(f"unknown trigger event {event!r}; known: {', '.join(EVENTS)} (SessionEnd never starts one)")
    top = Path(root).resolve() if root else paths.find_root()
    started = on_commit(top) if event == "post-commit" else on_event(top, event, session_id)
    if started:
        print(f"started {len(started)} wizard(s) in the background; output in {LOG}", file=sys.stderr)
    return 0


def _git(root: Path, *args: str) -> str | None:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None
