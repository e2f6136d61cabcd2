"""InstructionsLoaded: keep a local ledger of which rule files actually reached the model."""

from __future__ import annotations

import json
import os
import time

from attune import appendlog, paths, sessions
from attune.hooks.payload import NOTHING, Answer, Context, Payload

LEDGER = "logs/instructions.jsonl"


def handle(payload: Payload, context: Context) -> Answer:
    if not context.library:
        return NOTHING
    prefix = context.root + os.sep

    # Every field is scrubbed: paths and globs of secrets, the texts of personal data too (issue 10).
    def shown(path: str) -> str:
        return sessions.scrubbed(path[len(prefix) :] if path.startswith(prefix) else path, pii=False)

    globs = payload.fields.get("globs")
    entry = {
        "time": sessions.now(),
        "session": sessions.safe_id(payload.session_id) if payload.session_id else "",
        "file": shown(payload.text("file_path")),
        "reason": sessions.scrubbed(payload.text("load_reason")),
        "memory_type": sessions.scrubbed(payload.text("memory_type")),
        "globs": [shown(g) for g in globs if isinstance(g, str)] if isinstance(globs, list) else [],
        "trigger": shown(payload.text("trigger_file_path")),
        # A subagent's loads reach only the subagent (tests/e2e/OBSERVED.md, issue 13).
        "agent": sessions.safe_id(payload.text("agent_id")) if payload.text("agent_id") else "",
        "at": round(time.time(), 6),  # orders loads and deliveries within a second (attune.hooks.deliver)
    }
    # Never through a link or into a folder put where the ledger should be (issue 11).
    appendlog.append_line(os.path.join(context.root, paths.EMPATHY_DIR, LEDGER), json.dumps(entry, ensure_ascii=False))
    return NOTHING
