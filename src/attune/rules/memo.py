"""The rules index, rebuilt only where a rule file changed (issue 15).

Every sync that changes a rule file used to build the whole index and texts again: each rule file's
marker read back, its patterns ranked, its text excerpted, and both files JSON-encoded whole (about
7 ms at 1,000 patterns, 30 at 10,000). Most of it was the same as last time: an edit changes one rule
file. So each rule's two JSON pieces (its index entry, and its `"file": "text"` member of the texts
file) are remembered in the user's cache under a key for all they are made from, and a sync encodes
only the rules whose key is new. The files are joined from the pieces exactly as `json.dumps(...,
ensure_ascii=False, sort_keys=True)` writes them whole; tests/rules/test_index_memo.py holds the two
equal for every plan it makes, edits included.

A sync after one edit at 1,000 patterns went from 80.5 to 74.2 ms of CPU (b294429: 70.3; bench_ab, medians of 9).
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from attune import digest, paths

if TYPE_CHECKING:
    from pathlib import Path

    from attune.sync.render import Change, Plan

# A rule's two JSON pieces: its index entry, and its member of the texts file ("" for an unscoped rule)
Pieces = tuple[str, str, str]  # (file, entry JSON, texts member JSON)
Item = tuple[str, dict[str, object], str | None]  # (file, entry, delivered text): what index.item makes
FORMAT = "1"  # bump when the entry or its text changes shape: every remembered piece is then new
_LEFT_OUT = ("remove", "blocked")  # what index.item leaves out; a file written or found intact is keyed alike
LIMIT = 64 << 20  # bytes: a memo larger than this is not read (it is rebuilt)


def assemble(
    root: Path, plan: Plan, item: Callable[[Change], Item | None], key: Callable[[Change], str], version: int
) -> tuple[str, str]:
    """The index file's text and the texts file's text, each as `json.dumps` would write it whole.

    `item` makes a rule's entry and delivered text afresh; `key` names all they are made from (change_key).
    """
    remembered = _read(root)
    used: dict[str, Pieces] = {}
    for change in plan.changes:
        name = key(change)
        pieces = remembered.get(name)
        if pieces is None:
            made = item(change)
            if made is None:
                continue
            file, entry, text = made
            member = "" if text is None else f"{_string(file)}: {_string(text)}"
            pieces = (file, _entry(entry), member)
        used[name] = pieces
    chosen = list(used.values())
    entries = ", ".join(entry for _, entry, _ in chosen)
    members = ", ".join(member for _, _, member in sorted(chosen) if member)
    if used != remembered:
        _write(root, used)
    return f'{{"rules": [{entries}], "version": {version}}}\n', f"{{{members}}}\n"


def _string(value: str) -> str:
    """`json.dumps(value, ensure_ascii=False)`, by the function it calls, without importing json (1.2 ms of a
    sync after an edit, issue 15)."""
    try:
        from _json import encode_basestring
    except ImportError:  # pragma: no cover - an interpreter without the C accelerator
        from json.encoder import py_encode_basestring as encode_basestring
    return str(encode_basestring(value))


def _entry(entry: dict[str, object]) -> str:
    """`json.dumps(entry, ensure_ascii=False, sort_keys=True)` for an index entry (attune.rules.index.item):
    strings, lists of strings, a bool and an int. tests/rules/test_index_memo.py holds the two equal."""
    parts = []
    for key in sorted(entry):
        value = entry[key]
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, int):
            shown = int.__repr__(value)
        elif isinstance(value, str):
            shown = _string(value)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            shown = "[" + ", ".join(_string(item) for item in value) + "]"
        else:
            import json  # anything else: as json writes it

            shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
        parts.append(f"{_string(key)}: {shown}")
    return "{" + ", ".join(parts) + "}"


def change_key(root: Path, plan: Plan, change: Change, identity: str, version: int) -> str:
    """What a rule's pieces are made from: its file, its text (`identity`) and its sources hash, which covers
    its globs and every pattern's digest (and so their ranking). A change left out of the index is keyed too."""
    rule = change.rule
    made = f"{FORMAT}\0{version}\0{root}\0{plan.output_dir}\0{change.name}\0{change.action in _LEFT_OUT}\0"
    made += f"{change.tokens}\0{change.new is None}\0{change.old is None}\0{rule.sources if rule is not None else ''}\0"
    return digest.fingerprint(made.encode("utf-8", "surrogatepass") + identity.encode("utf-8", "surrogatepass"), 16)


def memo_path(root: Path) -> str:
    return paths.cache_dir("rules-index", f"{digest.fingerprint(str(root), size=10)}.memo")


def _read(root: Path) -> dict[str, Pieces]:
    try:
        with open(memo_path(root), "rb") as handle:
            data = handle.read(LIMIT + 1)
        loaded = marshal.loads(data) if len(data) <= LIMIT else None  # noqa: S302 - our own cache, mode 0700
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {k: v for k, v in loaded.items() if _pieces(k, v)}


def _pieces(key: object, value: object) -> bool:
    return (
        isinstance(key, str) and isinstance(value, tuple) and len(value) == 3 and all(isinstance(v, str) for v in value)
    )


def _write(root: Path, used: dict[str, Pieces]) -> None:
    from attune import atomic

    target = memo_path(root)
    with contextlib.suppress(OSError):  # the next sync encodes every rule again: slower, never wrong
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        atomic.write_atomic(target, marshal.dumps(used), durable=False)
