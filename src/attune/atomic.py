"""Atomic file writes: a temporary file in the same directory, then `os.replace`."""

from __future__ import annotations

import contextlib
import itertools
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the hooks write through here and do without pathlib (issue 14)
    from pathlib import Path

_counter = itertools.count()


def write_atomic(path: str | Path, data: str | bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Replace `path` with `data` so that readers see the old file or the new one, never half.

    A new file gets the usual permissions (0o666 less the umask) unless `mode` is given; an
    existing file keeps its own. `durable=False` skips the fsync, for files we can regenerate
    (rule files, caches): the rename stays atomic, and a sync of 100 files saves ~30 ms.
    """
    payload = data.encode() if isinstance(data, str) else data
    target = os.fspath(path)
    directory, name = os.path.split(target)
    # A dot-name keeps editors, globs and our watcher from treating it as a pattern or rule.
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{next(_counter)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o666 if mode is None else mode)
    except FileNotFoundError:
        os.makedirs(directory or ".", exist_ok=True)
        fd = os.open(tmp, flags, 0o666 if mode is None else mode)
    try:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if mode is None:
            with contextlib.suppress(FileNotFoundError):  # a new file keeps 0o666 less the umask
                os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
