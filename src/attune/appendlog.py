"""Append-only local state (JSON-lines logs, session events): one write per line, never through a link.

A hostile or damaged `.empathy/` (issue 11) once made the hooks append through a symbolic link
to a file outside the project, or crash on a folder where a file should be. Here a link, a
folder or anything else that is not a regular file is renamed aside (never deleted) and a
fresh file takes its place. Standard library only: the hooks use this on every tool call.
"""

from __future__ import annotations

import os
import stat
import time

_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def append_line(path: str | os.PathLike[str], line: str) -> None:
    """Append `line` and a newline to the regular file `path` (created 0o600) in one write."""
    target = os.fspath(path)
    usable_folder(os.path.dirname(target))
    fd = _open(target)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8", "surrogatepass"))
    finally:
        os.close(fd)


def _open(target: str) -> int:
    for attempt in (1, 2):
        try:
            fd = os.open(target, _FLAGS, 0o600)
        except OSError:  # a link (ELOOP), a folder, a FIFO without a reader
            if attempt == 2 or not os.path.lexists(target):
                raise
            move_aside(target)
            continue
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
        os.close(fd)  # a device or a FIFO with a reader: not ours to write into
        if attempt == 2:
            break
        move_aside(target)
    raise OSError(f"{target} is not a regular file")


def usable_folder(folder: str | os.PathLike[str]) -> None:
    """Create `folder` (and its parents); a file (or a dangling link) in the way is moved aside first.

    A link to a folder is the user's choice (sessions on another disk, say) and is kept.
    """
    name = os.fspath(folder)
    if not name or os.path.isdir(name):
        return
    if os.path.lexists(name):
        move_aside(name)
    else:
        usable_folder(os.path.dirname(name))
    os.makedirs(name, exist_ok=True)


def move_aside(path: str | os.PathLike[str]) -> str:
    """Rename `path` to `<path>.damaged-<UTC time>-<pid>` and return that name; "" if it is already gone."""
    name = os.fspath(path)
    aside = f"{name}.damaged-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{os.getpid()}"
    try:
        os.rename(name, aside)
    except FileNotFoundError:
        return ""  # another process moved it first
    return aside
