"""Where things live: the project root, `.empathy/` and the rules output directory."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

EMPATHY_DIR = ".empathy"
PATTERNS_DIR = ".empathy/patterns"
CONFIG_FILE = ".empathy/config.yaml"
DEFAULT_OUTPUT_DIR = ".claude/rules/attune"
DEFAULT_TEMPLATES_DIR = ".empathy/templates"
# Local state that never belongs in git; `empathy init` writes these into .empathy/.gitignore.
LOCAL_STATE = ("cache/", "sessions/", "logs/", "private/", "*.jsonl")


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The git top level above `start` (a `.git` directory or file), else `start` itself."""
    from pathlib import Path  # not at the top: the hook path (every tool call) does without pathlib

    here = Path(start if start is not None else Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return here


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
