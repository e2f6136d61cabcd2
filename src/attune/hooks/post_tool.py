"""PostToolUse: redact secrets from what the model sees of a tool's output; note the files written.

PostToolUseFailure (a failing command, a missing file) cannot change what the model sees: the
client ignores `updatedToolOutput` there (tests/e2e/OBSERVED.md). The best left is to tell the
model not to repeat or use the value, and the user that it was exposed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import cast

from attune import sessions
from attune.hooks.payload import NOTHING, WRITES, Answer, Context, Payload, specific, text_of
from attune.scan import known


def handle(payload: Payload, context: Context) -> Answer:
    answer = _handle(payload, context)
    answer = _with_rules(payload, context, answer)
    if context.library and payload.session_id:  # pending signals reach the model once (issue 14)
        from attune.hooks import team

        answer = team.deliver(payload, context, answer)
    return answer


def _with_rules(payload: Payload, context: Context, answer: Answer) -> Answer:
    """The scoped rules for the files a search showed, once per session (issue 13)."""
    if payload.event != "PostToolUse" or payload.text("tool_name") not in ("Bash", "Grep", "Glob") or _blocked(answer):
        return answer
    from attune.hooks import deliver

    rules = deliver.for_search(payload, context)
    if not rules:
        return answer
    output = dict(answer.output or {})
    specific_output = output.get("hookSpecificOutput")
    merged = {**(specific_output if isinstance(specific_output, dict) else {}), "hookEventName": "PostToolUse"}
    return answer._replace(output={**output, "hookSpecificOutput": {**merged, "additionalContext": rules}})


def _blocked(answer: Answer) -> bool:
    return answer.exit_code != 0 or (answer.output or {}).get("decision") == "block"


def _handle(payload: Payload, context: Context) -> Answer:
    tool = payload.text("tool_name")
    tool_input = payload.mapping("tool_input")
    if context.library and context.policy.session_records and payload.session_id:
        _record(payload, tool, tool_input, context)
    if tool in WRITES or context.policy.tool_output == "off":
        return NOTHING  # a write's response echoes what PreToolUse already checked
    values = known.load([context.root, payload.cwd or context.root], allowed=context.policy.allowed_globs)
    if payload.event == "PostToolUseFailure":
        return _failure(tool, payload.text("error"), values)
    response = payload.fields.get("tool_response")
    count = [0]
    redacted = _redact(response, count, values)
    if not count[0]:
        return NOTHING
    note = f"attune-companion: redacted {count[0]} secret{'s' * (count[0] != 1)} from the output of {tool}"
    if context.library and context.policy.tool_output != "warn":
        import contextlib

        from attune import audit

        with contextlib.suppress(OSError):  # a record: losing it never costs the redaction (issue 10)
            audit.record(context.path, "tool_output.redacted", tool=tool, count=count[0])
    if context.policy.tool_output == "warn":
        return Answer(output={"systemMessage": note.replace("redacted", "found")})
    # The client only honours a replacement shaped like the tool's own response (tests/e2e/OBSERVED.md).
    return Answer(output={**specific("PostToolUse", updatedToolOutput=redacted), "systemMessage": note})


def _failure(tool: str, error: str, values: Sequence[known.Known]) -> Answer:
    from attune import scan

    secrets = [f for f in scan.scan_text(error, pii=False) if f.kind == "secret"]
    present = known.found_in(error, values)
    if not secrets and not present:
        return NOTHING
    kinds = ", ".join(
        sorted({f"{f.type} ({f.masked})" for f in secrets} | {f"the value of ${k.name}" for k in present})
    )
    context = (
        f"attune-companion: the failed {tool} output above shows a secret ({kinds}). Do not repeat it, "
        "write it into files or use it in commands; tell the user it was exposed in this conversation."
    )
    user = f"attune-companion: a failed {tool} printed a secret into the conversation ({kinds}); consider rotating it"
    return Answer(output={**specific("PostToolUseFailure", additionalContext=context), "systemMessage": user})


def _redact(value: object, count: list[int], values: Sequence[known.Known]) -> object:
    """The same structure with every secret in every string (keys included) replaced by [SECRET:<type>].

    Iterative, so that no nesting is too deep to redact: 6 levels used to be the limit, and a
    recursive walk fails on 10,000 (issue 10, part 5).
    """
    root: list[object] = [None]
    stack: list[tuple[object, list[object] | dict[object, object], object]] = [(value, root, 0)]
    while stack:
        item, parent, slot = stack.pop()
        if isinstance(item, dict):
            copy: dict[object, object] = {}
            for key, inner in item.items():
                clean = _clean(key, count, values) if isinstance(key, str) else key
                copy[clean] = None
                stack.append((inner, copy, clean))
            _put(parent, slot, copy)
        elif isinstance(item, list):
            listed: list[object] = [None] * len(item)
            stack.extend((inner, listed, index) for index, inner in enumerate(item))
            _put(parent, slot, listed)
        else:
            _put(parent, slot, _clean(item, count, values) if isinstance(item, str) else item)
    return root[0]


def _put(parent: list[object] | dict[object, object], slot: object, value: object) -> None:
    if isinstance(parent, list):
        parent[cast("int", slot)] = value
    else:
        parent[slot] = value


def _clean(text: str, count: list[int], values: Sequence[known.Known]) -> str:
    from attune import scan

    marked, names, found = known.mark(text, values)
    cleaned = scan.scrub(marked, pii=False)
    count[0] += found + len(cleaned.findings)
    return known.unmark(cleaned.text, names)


def _record(payload: Payload, tool: str, tool_input: dict[str, object] | object, context: Context) -> None:
    mapping = tool_input if isinstance(tool_input, dict) else {}
    if tool in WRITES:
        path = text_of(mapping, "file_path") or text_of(mapping, "notebook_path")
        prefix = context.root + os.sep
        shown = path[len(prefix) :] if path.startswith(prefix) else path
        sessions.append_event(context.path, payload.session_id, "file", shown)
    elif tool == "Bash":
        description = text_of(mapping, "description") or text_of(mapping, "command").split("\n")[0]
        values = known.load([context.root, payload.cwd or context.root], allowed=context.policy.allowed_globs)
        sessions.append_event(context.path, payload.session_id, "Bash", known.redact(description, values)[0])
