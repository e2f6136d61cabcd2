"""Stop, SubagentStop, PreCompact, PostCompact and SessionEnd: keep the session record current.

Nothing here touches the network: SessionEnd must return within a second.
"""

from __future__ import annotations

from attune import sessions
from attune.hooks.payload import NOTHING, Answer, Context, Payload
from attune.scan import known


def handle(payload: Payload, context: Context) -> Answer:
    if payload.event == "SessionEnd" and context.library and payload.session_id:
        from attune.hooks import team

        team.ended(payload, context)  # leases released, the session leaves the index (issue 14)
    if not (context.library and context.policy.session_records and payload.session_id):
        return NOTHING
    event = payload.event
    changes: dict[str, object] = {}
    detail = ""
    # Values of secret-named variables have no shape a scanner knows: take them out by value
    # before anything is kept (issue 10, part 4).
    values = known.load([context.root, payload.cwd or context.root], allowed=context.policy.allowed_globs)

    def text(key: str) -> str:
        return known.redact(payload.text(key), values)[0] if values else payload.text(key)

    if event == "Stop":
        changes["last_assistant_message"] = text("last_assistant_message")
    elif event == "SubagentStop":
        # Scrubbed before it is cut: a token cut in half is no longer found, but still half a token.
        message = sessions.scrubbed(text("last_assistant_message"))[:300]
        detail = f"{text('agent_type') or 'subagent'}: {message}"
    elif event == "PreCompact":
        detail = text("trigger")
    elif event == "PostCompact":
        previous = sessions.load(sessions.record_path(context.path, payload.session_id))
        summaries = previous.compact_summaries if previous else ()
        changes["compact_summaries"] = (*summaries, sessions.scrubbed(text("compact_summary"))[:4000])
    elif event == "SessionEnd":
        detail = text("reason")
    sessions.fold(context.path, payload.session_id, payload.cwd, event=event, detail=detail, **changes)
    if event in ("Stop", "PreCompact"):
        from attune.llm import trigger  # starts session-summary detached, only if triggers: asks (issue 6)

        trigger.on_event(context.path, event, payload.session_id)
    return NOTHING
