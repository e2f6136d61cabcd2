"""Atomic file writes: a temporary file in the same directory, then `os.replace`."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

_counter = itertools.count()


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Replace `path` with `data` so that readers see the old file or the new one, never half.

    A new file gets the usual permissions (0o666 less the umask) unless `mode` is given; an
    existing file keeps its own. `durable=False` skips the fsync, for files we can regenerate
    (rule files, caches): the rename stays atomic, and a sync of 100 files saves ~30 ms.
    """
    payload = data.encode() if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    # A dot-name keeps editors, globs and our watcher from treating it as a pattern or rule.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_counter)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if mode is None:
            with contextlib.suppress(FileNotFoundError):  # a new file keeps 0o666 less the umask
                tmp.chmod(path.stat().st_mode & 0o7777)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
