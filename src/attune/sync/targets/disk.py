"""What the targets' files hold on disk, read without following a link (issues 11 and 16)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from attune import safefile
from attune.errors import UserError
from attune.sync import confine
from attune.sync.targets import layout, marker
from attune.sync.targets.layout import Unit

# The folders whose every file of this kind may be ours, scanned for our marker to remove stale ones.
# bytes: an instruction file a person keeps is a few pages; a larger one is left alone, never read whole
MAX_BYTES = 64 << 20
_SCANNED = {"cursor": (layout.CURSOR_DIR, ".mdc"), "copilot": (layout.COPILOT_DIR, ".instructions.md")}


class Existing(NamedTuple):
    texts: dict[str, str | None]  # path -> the file's text (None: missing); every path we may touch
    unreadable: dict[str, str]  # path -> why we leave it alone


def existing(root: Path, target: str, units: Iterable[Unit]) -> Existing:
    texts: dict[str, str | None] = {}
    unreadable: dict[str, str] = {}
    paths = [unit.path for unit in units]
    if target in _SCANNED:
        folder, suffix = _SCANNED[target]
        where = confine.folder(root, folder, "instruction files")
        if where is not None:
            paths += [f"{folder}/{entry.name}" for entry in os.scandir(where) if entry.name.endswith(suffix)]
    if target == "copilot":
        confine.folder(root, ".github", "instruction files")
        paths.append(layout.COPILOT_FILE)
    if target in layout.FOLDER_FILES:
        paths.append(layout.FOLDER_FILES[target])
    for path in dict.fromkeys(paths):
        _read(root, path, texts, unreadable)
    root_file = layout.FOLDER_FILES.get(target)
    if root_file and texts.get(root_file):
        section = marker.split(texts[root_file] or "").section
        for path in section.also if section else ():
            if path not in texts and os.path.basename(path) == root_file and folder_check(root)(os.path.dirname(path)):
                _read(root, path, texts, unreadable)
    return Existing(texts, unreadable)


def _read(root: Path, path: str, texts: dict[str, str | None], unreadable: dict[str, str]) -> None:
    try:  # a link or a folder is never read or written through (issue 11), nor read by a second check (issue 15)
        data = safefile.load(str(root / path), MAX_BYTES).data
    except safefile.Refused as exc:
        if exc.reason == "missing":
            texts[path] = None
        elif exc.reason in ("link", "not-regular"):
            unreadable[path] = "is not a regular file (a symbolic link?), so the sync leaves it alone"
        elif exc.reason == "too-large":
            unreadable[path] = f"is larger than {MAX_BYTES >> 20} MB, so the sync leaves it alone"
        else:
            unreadable[path] = f"cannot be read ({exc.detail}), so the sync leaves it alone"
        return
    try:
        texts[path] = data.decode("utf-8")  # as it is: a person's CRLF lines stay CRLF
    except UnicodeDecodeError:
        unreadable[path] = "cannot be read as UTF-8 (UnicodeDecodeError), so the sync leaves it alone"


def folder_check(root: Path) -> Callable[[str], bool]:
    known: dict[str, bool] = {}

    def is_folder(rel: str) -> bool:
        if rel not in known:
            try:
                known[rel] = bool(rel) and confine.folder(root, rel, "instruction files") is not None
            except UserError:  # a link or a file on the way: that folder gets no file from us
                known[rel] = False
        return known[rel]

    return is_folder
