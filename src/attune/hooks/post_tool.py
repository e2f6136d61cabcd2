"""PostToolUse: redact secrets from what the model sees of a tool's output; note the files written.

PostToolUseFailure (a failing command, a missing file) cannot change what the model sees: the
client ignores `updatedToolOutput` there (tests/e2e/OBSERVED.md). The best left is to tell the
model not to repeat or use the value, and the user that it was exposed.
"""

from __future__ import annotations

import os

from attune import sessions
from attune.hooks.payload import NOTHING, Answer, Context, Payload, specific, text_of
from attune.hooks.pre_tool import WRITES

_MAX_DEPTH = 6


def handle(payload: Payload, context: Context) -> Answer:
    tool = payload.text("tool_name")
    tool_input = payload.mapping("tool_input")
    if context.library and context.policy.session_records and payload.session_id:
        _record(payload, tool, tool_input, context)
    if tool in WRITES or context.policy.tool_output == "off":
        return NOTHING  # a write's response echoes what PreToolUse already checked
    if payload.event == "PostToolUseFailure":
        return _failure(tool, payload.text("error"))
    response = payload.fields.get("tool_response")
    count = [0]
    redacted = _redact(response, count, 0)
    if not count[0]:
        return NOTHING
    note = f"attune-companion: redacted {count[0]} secret{'s' * (count[0] != 1)} from the output of {tool}"
    if context.policy.tool_output == "warn":
        return Answer(output={"systemMessage": note.replace("redacted", "found")})
    # The client only honours a replacement shaped like the tool's own response (tests/e2e/OBSERVED.md).
    return Answer(output={**specific("PostToolUse", updatedToolOutput=redacted), "systemMessage": note})


def _failure(tool: str, error: str) -> Answer:
    from attune import scan

    secrets = [f for f in scan.scan_text(error, pii=False) if f.kind == "secret"]
    if not secrets:
        return NOTHING
    kinds = ", ".join(sorted({f"{f.type} ({f.masked})" for f in secrets}))
    context = (
        f"attune-companion: the failed {tool} output above shows a secret ({kinds}). Do not repeat it, "
        "write it into files or use it in commands; tell the user it was exposed in this conversation."
    )
    user = f"attune-companion: a failed {tool} printed a secret into the conversation ({kinds}); consider rotating it"
    return Answer(output={**specific("PostToolUseFailure", additionalContext=context), "systemMessage": user})


def _redact(value: object, count: list[int], depth: int) -> object:
    """The same structure with every secret in every string replaced by [SECRET:<type>]."""
    if isinstance(value, str):
        from attune import scan

        cleaned = scan.scrub(value, pii=False)
        count[0] += len(cleaned.findings)
        return cleaned.text
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {key: _redact(item, count, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item, count, depth + 1) for item in value]
    return value


def _record(payload: Payload, tool: str, tool_input: dict[str, object] | object, context: Context) -> None:
    mapping = tool_input if isinstance(tool_input, dict) else {}
    if tool in WRITES:
        path = text_of(mapping, "file_path") or text_of(mapping, "notebook_path")
        prefix = context.root + os.sep
        shown = path[len(prefix) :] if path.startswith(prefix) else path
        sessions.append_event(context.path, payload.session_id, "file", shown)
    elif tool == "Bash":
        description = text_of(mapping, "description") or text_of(mapping, "command").split("\n")[0]
        sessions.append_event(context.path, payload.session_id, "Bash", description[:200])
