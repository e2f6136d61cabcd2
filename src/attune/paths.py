"""Where things live: the project root, `.empathy/`, the rules output directory and the user cache."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

EMPATHY_DIR = ".empathy"
PATTERNS_DIR = ".empathy/patterns"
SESSIONS_DIR = ".empathy/sessions"  # one JSON record per Claude Code session (attune.sessions)
CONFIG_FILE = ".empathy/config.yaml"
DEFAULT_OUTPUT_DIR = ".claude/rules/attune"
DEFAULT_TEMPLATES_DIR = ".empathy/templates"
# Local state that never belongs in git; `empathy init` writes these into .empathy/.gitignore.
LOCAL_STATE = ("cache/", "sessions/", "logs/", "private/", "state/", "*.jsonl", "report.html")  # state/: issue 14


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The git top level above `start` (a `.git` directory or file), else `start` itself."""
    from pathlib import Path  # not at the top: the hook path (every tool call) does without pathlib

    here = Path(start if start is not None else Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return here


def cache_dir(*parts: str) -> str:
    """The user's cache directory for this tool, `$XDG_CACHE_HOME/attune-companion/...` (issue 15).

    A string, not a Path: the hook path (every tool call) does without pathlib.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "attune-companion", *parts)


def project_root(root: str | None) -> Path:
    """`--root`, else the git top level, else the current directory; it must hold `.empathy/`."""
    from pathlib import Path

    from attune.errors import UserError

    found = Path(root).resolve() if root else find_root()
    if root and not found.is_dir():
        raise UserError(f"--root {root}: no such directory")
    if not (found / EMPATHY_DIR).is_dir():
        raise UserError(
            f"no {EMPATHY_DIR}/ in {found}: run `empathy init` there to create the pattern library, or pass --root"
        )
    return found


def relative(path: Path, root: Path) -> str:
    """`path` relative to `root`, with forward slashes, for messages and markers."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def recall_index(root: Path) -> Path:
    """The recall index of the project at `root`, in the user's cache (issue 13): never in the repository."""
    from pathlib import Path

    from attune import digest

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "attune-companion" / "recall" / f"{digest.fingerprint(str(root), size=10)}.sqlite3"
