"""Keep the sync's reads, writes and deletes inside the real repository tree (issue 11).

A `.claude`, `.claude/rules` or output folder that is a symbolic link to a folder elsewhere would
let a sync write and delete files there, and a symlinked template folder would let it read them.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

from attune import paths
from attune.errors import UserError

STALE_SECONDS = 600  # a temporary file this old is left over whatever its process id says
# attune.atomic.write_atomic's temporary name for a rule file: `.NAME.PID.N.tmp`
_TEMP = re.compile(r"\.(?P<name>[^/]+\.mdc?)\.(?P<pid>[0-9]+)\.[0-9]+\.tmp\Z", re.DOTALL)  # .mdc: Cursor (issue 16)


def folder(root: Path, rel: str, what: str) -> Path | None:
    """`root/rel` if each part of it below `root` is a real folder; None if some part does not exist yet.

    A symbolic link or a file on the way is a UserError: nothing is read, written or deleted through it.
    """
    path = root
    for part in rel.split("/"):
        path = path / part
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        where = paths.relative(path, root)
        if stat.S_ISLNK(info.st_mode):
            raise UserError(
                f"{where}: is a symbolic link (to {os.readlink(path)}); the sync reads and writes {what} only "
                "inside the repository: replace the link with a real folder"
            )
        if not stat.S_ISDIR(info.st_mode):
            raise UserError(f"{where}: is not a folder; {what} go in {rel}/: move the file away")
    return path


def remove_stale_temporaries(output_dir: Path, *, now: float | None = None, only: str | None = None) -> list[str]:
    """Delete our own temporary files that a killed sync left (`.NAME.PID.N.tmp`, PID gone or old).

    `only`: just those of the file NAME, in a folder that is not all ours (AGENTS.md's, issue 16).
    """
    removed: list[str] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(output_dir))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None or (only is not None and match["name"] != only) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except FileNotFoundError:
            continue
        if age < STALE_SECONDS and _running(int(match["pid"])):
            continue
        try:
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        removed.append(entry.name)
    return removed


def _running(pid: int) -> bool:
    """Could process `pid` still be writing? When unsure, yes (its file goes once it is old)."""
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
