"""Deliver the path-scoped rules the client does not load itself, once per rule per session (issue 13).

The pinned CLI loads a matching scoped rule on Read, Write, Edit and Bash reads, but not when Bash
writes a file, and a subagent starts without the rules for the paths its task names
(tests/e2e/OBSERVED.md). For those, a hook answers with the rule's text as `additionalContext`.
What the session already has comes from the InstructionsLoaded ledger (what the client loaded)
and our own record of deliveries; unscoped rules are loaded by the client and never repeated.
The match comes from the index the sync writes (attune.rules.index), never from the library.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from attune import paths, safefile
from attune.hooks import plain
from attune.hooks.payload import Answer, Context, Payload, specific, text_of
from attune.rules import index

DELIVERIES = "logs/rules-delivered.jsonl"
LEDGER = "logs/instructions.jsonl"  # attune.hooks.instructions.LEDGER, whose module imports pathlib
LEDGER_LIMIT = 64 << 20  # bytes: a ledger larger than this is read as none (a hook must answer in time)
CAP = index.CAP
_SEARCHES = re.compile(r"\b(?:grep|egrep|rg|ag|ack)\b")
_GREP_LINE = re.compile(r"(?:\./)?([^\s:][^:\n]*):\d+[:-]")  # grep -rn / rg: path:line:text
# Paths a task's prompt names: `src/api/orders.py`, `src/api/`, `./x.py`, `orders.py`.
_NAMED = re.compile(r"(?<![\w/.-])((?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+)*/?)")


class Due(NamedTuple):
    entry: index.Entry
    glob: str  # the glob that matched
    trigger: str  # the path that matched it, relative to the root


def for_bash(answer: Answer, payload: Payload, context: Context, command: str, cwd: str) -> Answer:
    """A command that writes files: the scoped rules for them, which the client does not load (issue 13)."""
    if not context.library or not command or answer.exit_code or _denied(answer):
        return answer
    if not plain.may_write(command):  # most commands write nothing: no parse
        return answer
    from attune.hooks import writes

    dues = due(context, payload, writes.targets(command, cwd))
    if not dues:
        return answer
    record(context, payload, dues, "bash-write")
    text = compose(context.root, dues, "written through Bash, which does not load scoped rules")
    return Answer(output={**(answer.output or {}), **specific("PreToolUse", additionalContext=text)})


def _denied(answer: Answer) -> bool:
    output = answer.output or {}
    decision = output.get("hookSpecificOutput")
    return isinstance(decision, dict) and decision.get("permissionDecision") == "deny"


def for_search(payload: Payload, context: Context) -> str:
    """PostToolUse: the scoped rules for the files a search showed lines of, known only from its output.

    A Bash `grep -rn PATTERN DIR` prints lines of files the client never loads rules for
    (tests/e2e/OBSERVED.md). The Grep and Glob tools are not offered by the pinned release; their
    `filenames` (the shape Claude Code documents, not observed here) are read the same way.
    """
    if not context.library:
        return ""
    tool = payload.text("tool_name")
    response = payload.fields.get("tool_response")
    cwd = payload.cwd or context.root
    named: list[str] = []
    if tool in ("Grep", "Glob") and isinstance(response, dict) and isinstance(response.get("filenames"), list):
        named = [str(f) for f in response["filenames"][:200]]
    elif (
        tool == "Bash"
        and isinstance(response, dict)
        and _SEARCHES.search(text_of(payload.mapping("tool_input"), "command"))
    ):
        stdout = response.get("stdout")
        lines = stdout.splitlines()[:500] if isinstance(stdout, str) else []
        named = list(dict.fromkeys(m.group(1) for m in map(_GREP_LINE.match, lines) if m))
    paths_ = [os.path.normpath(os.path.join(cwd, name)) for name in named]
    dues = due(context, payload, [p for p in paths_ if os.path.isfile(p)])
    if not dues:
        return ""
    record(context, payload, dues, "search")
    return compose(context.root, dues, "a search showed lines of this file; the client loads no rules for that")


def due(context: Context, payload: Payload, absolute: Iterable[str], *, fresh: bool = False) -> list[Due]:
    """The scoped rules matching these paths that this session (or subagent) does not have yet;
    `fresh`: all of them, for a subagent that has not started."""
    if not context.library:
        return []
    relative = [r for r in (_relative(p, context.root) for p in absolute) if r]
    if not relative:
        return []
    entries = index.load(context.root)
    if not entries:
        return []
    found: dict[str, Due] = {}
    for rel in relative:
        for entry, glob in index.matching(entries, rel):
            found.setdefault(entry.file, Due(entry, glob, rel))
    if not found:
        return []
    if fresh:
        return list(found.values())
    have = had(context.root, payload.session_id, payload.text("agent_id"))
    return [d for d in found.values() if d.entry.file not in have]


def had(root: str, session: str, agent: str) -> set[str]:
    """Rule files this session's agent (or subagent) has: loaded by the client or delivered by us.

    A compaction drops them from the context; the client then loads its unconditional rules again
    (`session_start` once more, tests/e2e/OBSERVED.md), so what came before that no longer counts.
    """
    from attune import names  # as sessions.safe_id, without its pathlib (~9 ms)

    wanted, who = names.file_name(session) if session else "", names.file_name(agent) if agent else ""
    entries: list[dict[str, object]] = []
    for name in (LEDGER, DELIVERIES):
        raw = safefile.text(os.path.join(root, paths.EMPATHY_DIR, name), LEDGER_LIMIT)
        if raw is None:  # missing, or a link, a pipe or a giant put in its place: read as no ledger
            continue
        lines = [line for line in raw.splitlines() if wanted in line]
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("session") == wanted and entry.get("agent", "") == who:
                entries.append(entry)
    entries.sort(key=_when)  # stable: each file is in order already
    files: set[str] = set()
    before = "session_start"
    for entry in entries:
        reason = entry.get("reason", "")
        if reason == "session_start" and before != "session_start":
            files.clear()  # compacted: the context starts again
        before = str(reason)
        files.add(str(entry.get("file")))
    return files


def _when(entry: dict[str, object]) -> float:
    """`at` (seconds, fractional): `time` has whole seconds, too coarse to order a load and a delivery."""
    at = entry.get("at")
    return float(at) if isinstance(at, (int, float)) else 0.0


def compose(root: str, dues: Sequence[Due], why: str) -> str:
    """The rules' texts within the client's cap; rules that do not fit are named with their path."""
    delivered = index.texts(root)
    parts: list[str] = []
    left: list[Due] = []
    used = 0
    for item in dues:
        part = (
            f"Project rules for {item.trigger} (from {item.entry.file}, scoped to `{item.glob}`; {why}):\n\n"
            f"{delivered.get(item.entry.file, f'Read {item.entry.file} before going on.').strip()}\n"
        )
        if used + len(part) + 400 > CAP:
            left.append(item)
            continue
        parts.append(part)
        used += len(part)
    if left:
        names = ", ".join(f"{d.entry.file} (for {d.trigger})" for d in left)
        parts.append(f"More project rules apply; read them before going on: {names}\n")
    return "\n".join(parts)[:CAP]


def record(
    context: Context, payload: Payload, dues: Sequence[Due], how: str, *, agent: str | None = None, task: str = ""
) -> None:
    from attune import appendlog, sessions

    who = payload.text("agent_id") if agent is None else agent
    target = os.path.join(context.root, paths.EMPATHY_DIR, DELIVERIES)
    for item in dues:
        entry = {
            "time": sessions.now(),
            "at": round(time.time(), 6),
            "session": sessions.safe_id(payload.session_id) if payload.session_id else "",
            "agent": sessions.safe_id(who) if who else "",
            "file": item.entry.file,
            "how": how,
            "glob": item.glob,
            "trigger": sessions.scrubbed(item.trigger, pii=False),
            **({"task": sessions.safe_id(task)} if task else {}),
        }
        appendlog.append_line(target, json.dumps(entry, ensure_ascii=False))


def named_paths(text: str, root: str, cwd: str) -> list[str]:
    """Absolute paths for the path-like words of a task's prompt (those with a `/` or an extension)."""
    found: list[str] = []
    for named in _NAMED.findall(text[:20_000]):
        word = named.rstrip(".")
        if "/" not in word and "." not in word.strip("."):
            continue
        path = os.path.normpath(word if os.path.isabs(word) else os.path.join(cwd or root, word))
        if path not in found:
            found.append(path)
    return found


def _relative(path: str, root: str) -> str:
    prefix = root.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return ""
    return path[len(prefix) :].replace(os.sep, "/")
