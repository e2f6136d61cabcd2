"""Read a pattern file's bytes only when it is a regular file of sensible size (issue 11).

The rule files it feeds are loaded by every Claude Code session, so a symbolic link is never
followed (its target may lie outside the repository, or be /dev/zero), and a named pipe or a
device is never read (it would hang the sync, and so CI): attune.safefile reads it, and this
module gives each refusal its one-line message.
"""

from __future__ import annotations

import os
from pathlib import Path

from attune import paths, safefile

MAX_BYTES = 1 << 20  # a pattern is a page of text; a larger bulk file can be split in several
SYMLINK = (
    "is a symbolic link; the library reads only regular files and folders: "
    "replace the link with a copy of what it points to"
)


class Refused(ValueError):
    """The file is not read; the message says why and what to do, for a `path:1:` line."""


def read(path: str) -> tuple[os.stat_result, bytes]:
    """The file's status (taken before reading) and its bytes; Refused when it is no file to read."""
    try:
        return safefile.load(path, MAX_BYTES)
    except safefile.Refused as exc:
        raise Refused(_message(exc)) from None


def _message(exc: safefile.Refused) -> str:
    if exc.reason == "link":
        return SYMLINK
    if exc.reason == "not-regular":
        return "is not a regular file (a pipe, a device or a folder); remove it"
    if exc.reason == "too-large":
        return f"is larger than 1 MB ({exc.size / (1 << 20):.1f} MB); split it into several pattern files"
    return f"cannot read: {exc.detail}"


def escapes(root: Path) -> str | None:
    """Where `.empathy/patterns/` really is, when a symbolic link takes it out of the repository."""
    folder = os.path.join(root, paths.PATTERNS_DIR)
    real = os.path.realpath(folder)
    if real == folder:  # no link on the way: the usual case, one realpath call
        return None
    top = os.path.realpath(root)
    return None if real.startswith(top + os.sep) else real
