"""`empathy hooks install --git`: a git post-commit hook that starts the commit wizards detached.

Our lines sit in a marked block right after the shebang of `post-commit` (in `core.hooksPath`
when set): a hook written by someone else, or by pre-commit, keeps every line it had, and our
block runs even when theirs ends with `exec`. The block never fails a commit and never waits on
the network: `empathy wizard trigger post-commit` returns as soon as the wizards are spawned.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

from attune import atomic
from attune.errors import UserError

BEGIN = "# >>> attune-companion (empathy hooks install --git): commit wizards, detached"
END = "# <<< attune-companion"
SHEBANG = "#!/bin/sh"


class Change(NamedTuple):
    path: Path
    before: str | None
    after: str | None  # None: delete the file (it held only our block)


def hook_path(root: Path) -> Path:
    result = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--git-path", "hooks/post-commit"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise UserError(f"{root} is not a git repository: `empathy hooks install --git` needs one")
    path = Path(result.stdout.strip())
    return path if path.is_absolute() else root / path


def block(command: str) -> str:
    return f"{BEGIN}\n{command} wizard trigger post-commit >/dev/null 2>&1 || true\n{END}\n"


def plan_install(root: Path, command: str) -> Change:
    path = hook_path(root)
    before = _read(path)
    text = _without_block(before) if before is not None else SHEBANG + "\n"
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith("#!"):
        raise UserError(f"{path} has no #! line, so it may not be a shell script; add this line to it yourself: "
                        f"`{command} wizard trigger post-commit || true`")  # fmt: skip
    if not any(shell in lines[0] for shell in ("sh", "bash", "zsh", "dash")):
        raise UserError(f"{path} is not a shell script ({lines[0].strip()}); make it run "
                        f"`{command} wizard trigger post-commit` yourself")  # fmt: skip
    after = lines[0] + block(command) + "".join(lines[1:])
    return Change(path, before, after)


def plan_uninstall(root: Path) -> Change:
    path = hook_path(root)
    before = _read(path)
    if before is None or BEGIN not in before:
        return Change(path, before, before)
    after = _without_block(before)
    return Change(path, before, None if after.strip() == SHEBANG else after)


def apply(change: Change) -> None:
    if change.after == change.before:
        return
    if change.after is None:
        change.path.unlink(missing_ok=True)
        return
    atomic.write_atomic(change.path, change.after)
    mode = change.path.stat().st_mode
    os.chmod(change.path, mode | 0o111)  # noqa: S103 - git runs only executable hooks; other bits stay as they were


def diff(change: Change) -> str:
    return "".join(
        difflib.unified_diff(
            (change.before or "").splitlines(keepends=True),
            (change.after or "").splitlines(keepends=True),
            str(change.path) if change.before is not None else "/dev/null",
            str(change.path) if change.after is not None else "/dev/null",
        )
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it ({exc}); nothing was written") from None


def _without_block(text: str) -> str:
    if BEGIN not in text:
        return text
    start = text.index(BEGIN)
    end = text.find(END, start)
    end = len(text) if end == -1 else text.index("\n", end) + 1 if "\n" in text[end:] else len(text)
    return text[:start] + text[end:]
