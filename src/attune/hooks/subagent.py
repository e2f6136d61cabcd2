"""Scoped rules for a subagent: the paths its task names, told at SubagentStart (issue 13).

SubagentStart carries `agent_id` and `agent_type` but not the task (tests/e2e/OBSERVED.md), so
the Agent call's PreToolUse notes which of our scoped rules the prompt's paths match, and the
next SubagentStart of that session and type takes the oldest such note and delivers the rules.
"""

from __future__ import annotations

import json
import os

from attune import paths, safefile
from attune.hooks import deliver
from attune.hooks.payload import NOTHING, Answer, Context, Payload, specific, text_of
from attune.rules import index

TASKS = "cache/subagent-tasks.jsonl"
AGENT_TOOLS = frozenset(("Agent", "Task"))
WHY = "the task names this path; attune-companion delivers the scoped rules a subagent would otherwise lack"


def note_task(payload: Payload, context: Context, cwd: str) -> None:
    """PreToolUse of an Agent call: remember the scoped rules its prompt's paths match."""
    if not context.library:
        return
    tool_input = payload.mapping("tool_input")
    prompt = f"{text_of(tool_input, 'description')}\n{text_of(tool_input, 'prompt')}"
    dues = deliver.due(context, payload, deliver.named_paths(prompt, context.root, cwd), fresh=True)
    if not dues:
        return
    from attune import appendlog, sessions

    note = {
        "session": sessions.safe_id(payload.session_id) if payload.session_id else "",
        "task": sessions.safe_id(payload.text("tool_use_id") or sessions.now()),
        "agent_type": text_of(tool_input, "subagent_type") or "general-purpose",
        "rules": [[d.entry.file, d.glob, sessions.scrubbed(d.trigger, pii=False)] for d in dues],
    }
    appendlog.append_line(os.path.join(context.root, paths.EMPATHY_DIR, TASKS), json.dumps(note, ensure_ascii=False))


def handle(payload: Payload, context: Context) -> Answer:
    """SubagentStart: the oldest task noted for this session and agent type that no subagent took yet."""
    if not context.library:
        return NOTHING
    note = _next_note(context.root, payload)
    entries = index.load(context.root) if note else None
    if note is None or not entries:
        return NOTHING
    by_file = {e.file: e for e in entries}
    listed = note.get("rules")
    rows = [r for r in (listed if isinstance(listed, list) else []) if isinstance(r, list) and len(r) == 3]
    dues = [deliver.Due(by_file[r[0]], str(r[1]), str(r[2])) for r in rows if r[0] in by_file]
    if not dues:
        return NOTHING
    agent = payload.text("agent_id")
    deliver.record(context, payload, dues, "subagent-task", agent=agent, task=str(note["task"]))
    return Answer(output=specific("SubagentStart", additionalContext=deliver.compose(context.root, dues, WHY)))


def _next_note(root: str, payload: Payload) -> dict[str, object] | None:
    from attune import sessions

    session = sessions.safe_id(payload.session_id) if payload.session_id else ""
    notes = _lines(os.path.join(root, paths.EMPATHY_DIR, TASKS), session)
    if not notes:
        return None
    taken = {str(d.get("task")) for d in _lines(os.path.join(root, paths.EMPATHY_DIR, deliver.DELIVERIES), session)}
    kind = payload.text("agent_type")
    for note in notes:
        usable = isinstance(note.get("rules"), list) and note.get("agent_type") in (kind, "")
        if usable and note.get("task") not in taken:
            return note
    return None


def _lines(path: str, session: str) -> list[dict[str, object]]:
    text = safefile.text(path, deliver.LEDGER_LIMIT)
    raw = [line for line in text.splitlines() if session in line] if text is not None else []
    found = []
    for line in raw:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and item.get("session") == session:
            found.append(item)
    return found
