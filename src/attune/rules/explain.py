"""`empathy rules explain PATH`: which of our rule files apply to a path, through which glob, and whether
they reached the model in recent sessions, and how (issue 13).

The rules come from the library as the next sync would write them (not from the index, which a
stale sync could leave behind); the loads come from the InstructionsLoaded ledger and our own
record of deliveries.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from attune import paths
from attune.rules import globs as globs_mod
from attune.sync import rules

RECENT = 20


class Applies(NamedTuple):
    file: str  # relative to the root
    glob: str  # the glob that matched; "" for a rule loaded in every session
    tokens: int
    patterns: tuple[str, ...]


class Match(NamedTuple):
    file: str  # the rule file, relative to the root
    glob: str | None  # the glob that matched; None for a rule loaded in every session
    line: int  # the glob's line in the file (1 for a rule loaded in every session): what a citation points at


class Load(NamedTuple):
    session: str
    agent: str
    how: str  # a phrase: "loaded at session start", "loaded by the client after reading ...", ...


def explain(*, root: str | None, path: str, sessions: int = RECENT) -> int:
    from attune import paths

    top = paths.project_root(root)
    relative = _relative(path, top)
    applying, others = applies(top, relative)
    loads, recent = history(top, sessions)
    verb = "rule files applies" if len(applying) == 1 else "rule files apply"
    print(f"{relative}: {len(applying)} of our {verb}")
    for rule in applying:
        why = f"through `{rule.glob}`" if rule.glob else "always (no paths:, loaded in every session)"
        print(
            f"  {rule.file} {why}, ~{rule.tokens} tokens, {len(rule.patterns)} pattern(s): {', '.join(rule.patterns)}"
        )
        seen = loads.get(rule.file, [])
        if not recent:
            print("    no sessions recorded yet: install the hooks (empathy hooks install) and run Claude Code here")
            continue
        sessions_with = sorted({load.session for load in seen})
        print(f"    reached the model in {len(sessions_with)} of the last {len(recent)} session(s)")
        for how in sorted({load.how for load in seen}):
            print(f"      {how}")
    if others:
        print(f"  not matching: {', '.join(others)}")
    return 0


def applies(top: Path, relative: str) -> tuple[list[Applies], list[str]]:
    """Our rule files, as the next sync writes them, that apply to `relative`; the scoped ones that do not."""
    from attune import config as config_mod
    from attune.patterns import store
    from attune.sync import render

    config = config_mod.load(top)
    plan = render.plan(top, config, store.load_library(top, config))
    found: list[Applies] = []
    others: list[str] = []
    for change in plan.changes:
        text = change.new if change.new is not None else change.old  # "kept": what stays on disk
        if change.rule is None or change.action in ("remove", "blocked") or text is None:
            continue
        file = paths.relative(plan.output_dir / change.name, top)
        scope = rules.scope_of(text)
        matched = match(file, scope, relative)
        if matched is None:
            others.append(f"{file} ({', '.join(g.glob for g in scope)})")
        else:
            found.append(Applies(file, matched.glob or "", change.tokens, tuple(p.id for p in change.rule.patterns)))
    return found, others


def match(file: str, scope: Sequence[rules.Glob], relative: str) -> Match | None:
    """Whether a rule file with this scope applies to `relative`: through which glob, on which line; None if not.

    The one answer to "which rules apply to this path": `rules explain` asks it of the rule files the
    next sync writes, the MCP server's `rules_for_path` of those on disk, for its citations (issue 15).
    """
    if not scope:
        return Match(file, None, 1)
    for line, glob in scope:
        if globs_mod.first_match([glob], relative) is not None:
            return Match(file, glob, line)
    return None


def history(top: Path, count: int) -> tuple[dict[str, list[Load]], list[str]]:
    """Each rule file's loads in the last `count` sessions, and those sessions, oldest first."""
    from attune.hooks import deliver, instructions  # not for `match`: the MCP server imports this module

    events = [
        *_entries(top / paths.EMPATHY_DIR / instructions.LEDGER),
        *_entries(top / paths.EMPATHY_DIR / deliver.DELIVERIES),
    ]
    order: list[str] = []
    for entry in sorted(events, key=lambda e: str(e.get("time", ""))):
        session = str(entry.get("session", ""))
        if session in order:
            order.remove(session)
        order.append(session)
    recent = order[-count:] if count > 0 else []
    loads: dict[str, list[Load]] = {}
    for entry in events:
        session = str(entry.get("session", ""))
        if session in recent:
            agent = str(entry.get("agent", ""))
            loads.setdefault(str(entry.get("file")), []).append(Load(session, agent, _how(entry, agent)))
    return loads, recent


def _how(entry: dict[str, object], agent: str) -> str:
    where = " (in a subagent)" if agent else ""
    trigger = entry.get("trigger") or "a matching file"
    how = entry.get("how")
    if how == "bash-write":
        return f"delivered by our PreToolUse hook on a Bash write of {trigger}{where}"
    if how == "subagent-task":
        return f"delivered by our SubagentStart hook: the subagent's task named {trigger}"
    reason = entry.get("reason")
    if reason == "session_start":
        return f"loaded by Claude Code at session start{where}"
    if reason == "path_glob_match":
        return f"loaded by Claude Code when the agent read or wrote {trigger}{where}"
    return f"loaded by Claude Code ({reason or 'no reason given'}){where}"


def _entries(ledger: Path) -> Iterator[dict[str, object]]:
    from attune import safefile
    from attune.hooks.deliver import LEDGER_LIMIT

    text = safefile.text(str(ledger), LEDGER_LIMIT)  # a link, a pipe, a giant in the repository: no ledger
    for line in (text or "").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            yield entry


def _relative(path: str, top: Path) -> str:
    absolute = os.path.normpath(os.path.join(os.getcwd(), path))
    prefix = str(top).rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix) :].replace(os.sep, "/")
    return os.path.normpath(path).replace(os.sep, "/")  # outside the root: taken as relative to it
