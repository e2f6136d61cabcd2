"""InstructionsLoaded: keep a local ledger of which rule files actually reached the model."""

from __future__ import annotations

import json
import os

from attune import paths, sessions
from attune.hooks.payload import NOTHING, Answer, Context, Payload

LEDGER = "logs/instructions.jsonl"


def handle(payload: Payload, context: Context) -> Answer:
    if not context.library:
        return NOTHING
    prefix = context.root + os.sep

    def shown(path: str) -> str:
        return path[len(prefix) :] if path.startswith(prefix) else path

    globs = payload.fields.get("globs")
    entry = {
        "time": sessions.now(),
        "session": payload.session_id,
        "file": shown(payload.text("file_path")),
        "reason": payload.text("load_reason"),
        "memory_type": payload.text("memory_type"),
        "globs": [g for g in globs if isinstance(g, str)] if isinstance(globs, list) else [],
        "trigger": shown(payload.text("trigger_file_path")),
    }
    target = context.path / paths.EMPATHY_DIR / LEDGER
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode())
    finally:
        os.close(fd)
    return NOTHING
