"""What the MCP server's tools do, as plain functions over a project root (issue 13).

No `mcp` import here: server.py owns the SDK and turns these results into tool results.
Every result cites `path:line`; every failure is a UserError with one line. What goes in
(a proposed pattern, a value to remember, text to scan) passes the same scanner as the CLI:
a secret is refused, personal data is scrubbed, findings are masked.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import config as config_mod
from attune import paths, safefile
from attune.errors import UserError
from attune.rules import explain
from attune.rules import globs as globs_match
from attune.rules.explain import Match as RuleMatch

if TYPE_CHECKING:
    import sqlite3

    from attune.memory.memo import Memo
    from attune.patterns.model import Pattern

Json = dict[str, object]


class Project(NamedTuple):
    root: Path
    memo: Memo | None = None  # the server's postings in memory (attune.memory.memo), kept between searches


def _config(root: Path) -> config_mod.Config:
    return config_mod.read(root)[0]


def search(project: Project, query: str, *, limit: int = 10, kind: str | None = None, category: str | None = None,
           path: str | None = None, since: str | None = None) -> Json:  # fmt: skip
    from attune.memory import index, ranking

    if not query.strip():
        raise UserError("query is empty: give a few words, e.g. 'password hashing'")
    if kind not in (None, "pattern", "session"):
        raise UserError(f"kind must be 'pattern' or 'session', not {kind!r}")
    if not 1 <= limit <= 100:
        raise UserError("limit must be from 1 to 100")
    if since is not None:
        _check_date(since)
    filters = ranking.Filters(kind, category, path and globs_match.normalise(_relative(project.root, path)), since)
    root = project.root

    def run(connection: sqlite3.Connection) -> list[ranking.Found]:
        index.update(connection, root, lambda: _config(root))  # a few folder stat()s when nothing changed
        return ranking.search(connection, query, limit=limit, filters=filters, memo=project.memo)

    results = []
    for found in index.use(root, run):
        document = found.hit.document
        results.append({
            "cite": f"{document.where}:{found.line}", "kind": document.kind, "id": document.key,
            "title": document.title, "category": found.category or None, "date": document.date,
            "score": found.hit.score, "snippet": found.hit.snippet,  # the index stores them scrubbed
        })  # fmt: skip
    return {"query": query, "results": results}


def _check_date(text: str) -> None:
    try:
        time.strptime(text[:10], "%Y-%m-%d")
    except ValueError:
        raise UserError(f"since must be an ISO date such as 2026-01-31, not {text[:40]!r}") from None


def _relative(root: Path, path: str) -> str:
    if os.path.isabs(path):
        return paths.relative(Path(os.path.abspath(path)), root)
    return path


def _library(root: Path) -> Sequence[Pattern]:
    from attune.patterns import store

    return store.load_library(root, _config(root)).usable


def _pattern_json(pattern: Pattern, *, body: bool) -> Json:
    data: Json = {"cite": f"{pattern.file}:{pattern.line}", "id": pattern.id, "title": pattern.title,
                  "category": pattern.category, "paths": list(pattern.paths), "tags": list(pattern.tags),
                  "status": pattern.status, "updated": pattern.updated}  # fmt: skip
    if body:
        data["body"] = pattern.body
    return data


def get_pattern(project: Project, pattern_id: str) -> Json:
    for pattern in _library(project.root):
        if pattern.id == pattern_id:
            return _pattern_json(pattern, body=True)
    from attune.patterns import staging

    raise UserError(f"no pattern with id {staging.shown(pattern_id)}; list_patterns shows the ids")


def list_patterns(project: Project, *, category: str | None = None, path: str | None = None) -> Json:
    found = []
    wanted = globs_match.normalise(_relative(project.root, path)) if path else None
    for pattern in _library(project.root):
        if category and pattern.category != category:
            continue
        if wanted and pattern.paths and globs_match.first_match(pattern.paths, wanted) is None:
            continue
        found.append(_pattern_json(pattern, body=False))
    return {"patterns": found}


def rules_for_path(root: Path, path: str) -> list[RuleMatch]:
    """Our rule files on disk that apply to `path`, through which glob and on which line: as `rules explain`
    answers, through its `match` (issue 15), for the files the client loads now."""
    from attune.sync import rules
    from attune.sync.limits import MAX_CHARS  # characters in the largest rule file a sync writes

    folder = root / _config(root).output_dir
    wanted = globs_match.normalise(_relative(root, path))
    matches = []
    for rule in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        text = safefile.text(str(rule), 4 * MAX_CHARS)  # 4 bytes at most to a character
        if text is None:  # a link (no file of ours to cite), a pipe (it would hang the server), a giant
            continue
        found = explain.match(paths.relative(rule, root), rules.scope_of(text), wanted)
        if found is not None:
            matches.append(found)
    return matches


def rules_json(project: Project, path: str) -> Json:
    return {"path": path, "rules": [{"cite": f"{m.file}:{m.line}", "file": m.file, "glob": m.glob,
                                     "loads": "always" if m.glob is None else "when a matching file is read"}
                                    for m in rules_for_path(project.root, path)]}  # fmt: skip


def propose_pattern(project: Project, *, title: str, category: str, body: str, paths_: Sequence[str] = (),
                    source: str = "", confidence: float | None = None) -> Json:  # fmt: skip
    """Stage a draft for review, as `empathy patterns stage` does (through its stage_draft): never an active pattern."""
    from attune.patterns import command

    config = config_mod.load(project.root)
    command.known_category(config, category)
    if not title.strip() or not body.strip():
        raise UserError("title and body must not be empty")
    pattern_id, target = command.stage_draft(
        project.root, config, title=title, category=category, body=body, globs=paths_, source=source or "mcp",
        confidence=confidence, spelling=command.Spelling("confidence", "paths:"),
    )  # fmt: skip
    return {"staged": pattern_id, "cite": f"{paths.relative(target, project.root)}:1", "status": "staged",
            "next": f"a person reviews it: `empathy patterns promote {pattern_id}` or `reject`"}  # fmt: skip


def remember(project: Project, *, key: str, value: object, ttl: float | None = None, agent: str | None = None) -> Json:
    from attune.memory import working

    entry = working.stash(key, value, ttl, agent_id=agent, root=project.root)
    return {"remembered": key, "expires_in_seconds": entry.expires_in, "classification": entry.classification,
            "scrubbed": entry.value != value}  # fmt: skip


def recall_working(project: Project, *, key: str | None = None, prefix: str = "", agent: str | None = None) -> Json:
    from attune.memory import working

    if key is not None:
        entry = working.get_entry(key, agent, root=project.root)
        if entry is None:
            return {"key": key, "found": False}
        return {"key": key, "found": True, "value": entry.value, "expires_in_seconds": entry.expires_in}
    return {"keys": working.keys(prefix, agent_id=agent, root=project.root)}


def scan_text(text: str, *, filename: str = "") -> Json:
    from attune import scan

    findings = scan.scan_text(text, filename)
    return {"clean": not findings, "findings": [
        {"cite": f"{f.file or '<text>'}:{f.line}", "kind": f.kind, "type": f.type, "masked": f.masked}
        for f in findings]}  # fmt: skip


def resource_files(root: Path) -> Mapping[str, Path]:
    """The pattern files and rule files a client may read, by their path relative to the root.

    Only regular files that are no link and lie inside the root: the library lists a linked pattern
    (to report it), and a pull request can plant a link to `~/.aws/credentials` or a named pipe
    there; served as a resource, the one would hand the client a file from outside, the other hang it.
    """
    from attune.patterns import store

    found = {paths.relative(p, root): p for p in store.pattern_files(root)}
    rules = root / _config(root).output_dir
    if rules.is_dir():
        found.update({paths.relative(p, root): p for p in sorted(rules.rglob("*.md"))})
    inside = os.path.realpath(root)
    return {rel: path for rel, path in found.items() if _servable(path, inside)}


def _servable(path: Path, inside: str) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    real = os.path.realpath(path)  # a folder on the way may still be a link
    return stat.S_ISREG(info.st_mode) and (real == inside or real.startswith(inside + os.sep))
