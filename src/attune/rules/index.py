"""The rules index: which of our rule files are scoped to which globs, written by the sync, read by the hooks.

The hooks answer "which rules match this path" from this one small JSON file, never by parsing
the library (issue 13). It lives in `.empathy/cache/` (git-ignored), and holds for each rule file
its globs and its token cost; the hooks make the globs' regular expressions themselves. The text a hook delivers
sits in a second file, read only when a rule is due: the file's body, or past Claude Code's
10,000-character context cap the most relevant patterns first and the path of the full file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from attune import safefile

if TYPE_CHECKING:
    from pathlib import Path

    from attune.patterns.model import Pattern
    from attune.sync.render import Change, Plan

INDEX = ".empathy/cache/rules-index.json"
TEXTS = ".empathy/cache/rules-texts.json"
VERSION = 1
CAP = 10_000  # Claude Code caps a hook's context string at 10,000 characters (shared/CLAUDE_CODE.md)
LIMIT = 16 << 20  # bytes: an index or texts file larger than this is not ours to read on a hook's path
RULE_CAP = 9_000  # one rule's text, leaving room for the header that names it
_COMMENTS = r"<!--.*?-->\n?"  # compiled on first use (re's cache), not at every sync's start (issue 15)


class Entry(NamedTuple):
    file: str  # relative to the project root, with `/`
    globs: tuple[str, ...]  # as written in `paths:`; empty: loaded in every session
    compiled: list[tuple[str, str, str]]  # attune.rules.globs.compile_globs
    tokens: int
    patterns: tuple[str, ...]  # pattern ids, most relevant first
    shortened: bool  # its delivered text holds only the most relevant patterns


def path(root: str) -> str:
    return os.path.join(root, INDEX)


def load(root: str) -> list[Entry] | None:
    """The index, or None when the sync has not written it (or it is unreadable: the hooks fail open)."""
    import json  # here, not at the top: a no-op sync whose index is current needs neither (issue 15)

    from attune.rules import globs as globs_mod

    raw = safefile.text(path(root), LIMIT)
    try:
        data = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("rules"), list):
        return None
    entries = []
    for item in data["rules"]:
        try:
            entries.append(
                Entry(
                    # The regular expressions are made here from the globs, never read from the file: it
                    # lies in the repository, where a pull request could put one that never finishes.
                    str(item["file"]), tuple(item["globs"]), globs_mod.compile_globs([str(g) for g in item["globs"]]),
                    int(item["tokens"]), tuple(item["patterns"]), bool(item["shortened"]),
                )
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return None
    return entries


def texts(root: str) -> dict[str, str]:
    """What a hook delivers for each scoped rule file; empty when unreadable (the hook names the file instead)."""
    import json

    raw = safefile.text(os.path.join(root, TEXTS), LIMIT)
    try:
        data = json.loads(raw) if raw is not None else None
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def matching(entries: Sequence[Entry], relative: str) -> list[tuple[Entry, str]]:
    """The scoped entries whose globs match `relative`, with the glob that matched."""
    from attune.rules import globs as globs_mod

    found = []
    for entry in entries:
        if entry.globs:
            glob = globs_mod.match(relative, entry.compiled)
            if glob is not None:
                found.append((entry, glob))
    return found


def build(root: Path, plan: Plan) -> tuple[dict[str, object], dict[str, str]]:
    """The index and the texts, every rule made afresh (`write` reuses what it made before)."""
    items = []
    delivered_texts: dict[str, str] = {}
    for change in plan.changes:
        made = item(root, plan, change)
        if made is None:
            continue
        file, entry, text = made
        if text is not None:
            delivered_texts[file] = text
        items.append(entry)
    return {"version": VERSION, "rules": items}, delivered_texts


def item(root: Path, plan: Plan, change: Change) -> tuple[str, dict[str, object], str | None] | None:
    """One rule file's index entry and the text a hook delivers for it (None: unscoped); None if left out."""
    from attune import paths
    from attune.sync.targets import marker

    text = change.new if change.new is not None else change.old
    if change.action in ("remove", "blocked") or change.rule is None or text is None:
        return None
    generated = marker.read_file(text, check=False)  # the body only: whether it is intact is the plan's business
    body = re.sub(_COMMENTS, "", generated.body if generated is not None else text, flags=re.DOTALL).strip() + "\n"
    rule = change.rule
    file = paths.relative(plan.output_dir / change.name, root)
    ranked = sorted(rule.patterns, key=_relevance)
    shortened = False
    delivered: str | None = None
    if rule.paths:  # unscoped rules are loaded by the client: never delivered
        delivered, shortened = excerpt(body, ranked, file)
    entry: dict[str, object] = {
        "file": file, "globs": list(rule.paths),
        "tokens": change.tokens, "patterns": [p.id for p in ranked], "shortened": shortened,
    }  # fmt: skip
    return file, entry, delivered


def write(root: Path, plan: Plan) -> bool:
    """Write the index and the texts when they changed (the texts first); True if either was written.

    Building them costs a no-op sync of 1,000 patterns about 8 ms (issue 15: 15% of it). So a stamp
    in the user's cache remembers what they were built from (every rule file's name, text and sources
    hash, which covers its globs and its patterns' digests) and how the two files stood once written:
    when both match, there is nothing to build.
    """
    stamp = _stamp(root, plan)
    if _current(root, stamp):
        return False
    from attune.rules import memo  # only the rules that changed are made again (issue 15)

    found, delivered = memo.assemble(
        root,
        plan,
        lambda change: item(root, plan, change),
        lambda change: memo.change_key(root, plan, change, _identity(change.action, _text(change)), VERSION),
        VERSION,
    )
    wrote = _write(root / TEXTS, delivered)
    wrote = _write(root / INDEX, found) or wrote
    _remember(root, stamp)
    return wrote


def _stamp(root: Path, plan: Plan) -> str:
    from attune import digest

    combined = digest.hasher()
    combined.update(f"{VERSION}\0{root}\0{plan.output_dir}".encode())
    for change in plan.changes:
        rule = change.rule
        text = _text(change)
        skipped = change.action in ("remove", "blocked")  # what `build` leaves out; a new file and a kept one alike
        combined.update(f"\0{change.name}\0{skipped}\0{change.tokens}\0{text is None}\0".encode())
        combined.update(_identity(change.action, text).encode("utf-8", "surrogatepass"))
        if rule is not None:  # its sources hash covers its globs and every pattern's digest
            combined.update(f"\0{rule.sources}".encode())
    return combined.hexdigest()


def _text(change: Change) -> str | None:
    return change.new if change.new is not None else change.old


def _identity(action: str, text: str | None) -> str:
    """What stands for a rule file's text: the part up to its marker's end when the plan found or made it
    intact (its marker's content hash covers the body), else all of it. Hashing 10,000 patterns' rule
    files whole would cost a no-op sync about 8 ms."""
    text = text or ""
    if action in ("unchanged", "write"):
        end = text.find("\n-->\n")
        if end != -1:
            return text[:end]
    return text


def _files(root: Path) -> str:
    """Each file's size, modification time and inode: a file written since reads as another."""
    stats = [os.stat(root / name) for name in (INDEX, TEXTS)]
    return " ".join(f"{s.st_size}:{s.st_mtime_ns}:{s.st_ino}" for s in stats)


def stamp_path(root: Path) -> str:
    from attune import digest, paths

    return paths.cache_dir("rules-index", f"{digest.fingerprint(str(root), size=10)}.txt")


def _current(root: Path, stamp: str) -> bool:
    try:
        return safefile.text(stamp_path(root), 4096) == f"{stamp}\n{_files(root)}\n"
    except OSError:
        return False


def _remember(root: Path, stamp: str) -> None:
    import contextlib

    from attune import atomic

    target = stamp_path(root)
    with contextlib.suppress(OSError):  # the next sync builds the index again: slower, never wrong
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        atomic.write_atomic(target, f"{stamp}\n{_files(root)}\n", durable=False)


def _write(target: Path, text: str) -> bool:
    from attune import atomic

    # Through the safe reader: the index sits in the repository, where a pull request can put a
    # named pipe (a plain read would hang the sync) or a link in its place; either is replaced.
    if safefile.text(str(target), len(text.encode()) + 1) == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_atomic(target, text, durable=False)  # a cache: the next sync rewrites it
    return True


def _relevance(pattern: Pattern) -> tuple[float, str, str]:
    """Most confident first, then most recently updated, then by id (a stable order)."""
    confidence = 1.0 if pattern.confidence is None else pattern.confidence
    date = pattern.updated or pattern.created or ""
    return (-confidence, _inverted(date) if date else "\U0010ffff", pattern.id)


def _inverted(date: str) -> str:
    if date.isascii():  # every date the validator accepts: one C call, not a Python step a character (issue 15)
        return date.translate(_INVERT)
    return "".join(chr(0x10FFFF - ord(c)) if c.isdigit() else c for c in date)


_INVERT = {ord(c): chr(0x10FFFF - ord(c)) for c in "0123456789"}


def excerpt(body: str, ranked: Sequence[Pattern], file: str, cap: int = RULE_CAP) -> tuple[str, bool]:
    """The rule's body, or past `cap` its most relevant patterns and where the rest is."""
    if len(body) <= cap:
        return body, False
    parts: list[str] = []
    used = 0
    for pattern in ranked:
        piece = f"## {pattern.title}\n\n{pattern.body.strip()}\n\n"
        room = cap - used - 200  # the closing note
        if len(piece) > room:
            if not parts and room > 500:  # even the first pattern is too long: its beginning
                parts.append(piece[: room - 20].rstrip() + " [...]\n\n")
            break
        parts.append(piece)
        used += len(piece)
    shown = len(parts)
    note = (
        f"(Shortened to the {shown} most relevant of {len(ranked)} patterns to fit Claude Code's context cap: "
        f"read {file} for all of them.)\n"
    )
    return "".join(parts) + note, True
