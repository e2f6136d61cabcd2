"""The hooks' side of team scale: leases on writes, signals into context, the session index (issue 14).

Recording fails open: a store that cannot be written costs the record, never the call (the
runner asks again without the project's records). With Redis configured and not answering,
the store falls back to files and the user is told once per session. The lease verdict itself
(`team.leases: block`) is a guard, and is given whenever the store answers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from attune.hooks.payload import Answer, Context, Payload, specific, text_of
from attune.team import connect, leases
from attune.team.store import recorded, safe_name

_WARNED = "warned"  # per-session marker in the file store: the fallback warning went out


def on_write(payload: Payload, context: Context, tool: str, tool_input: Mapping[str, object], answer: Answer) -> Answer:
    """Take the lease on the file a write targets; another session's lease warns, blocks or is ignored."""
    settings = connect.load_settings(context.root)
    if settings.leases == "off" or blocked(answer):
        return answer
    path = text_of(tool_input, "file_path") or text_of(tool_input, "notebook_path")
    if not path:
        return answer
    store = connect.open_store(context.root, settings)
    file = _relative(path, context.root)
    file = recorded(file)
    session = _session(payload)
    other, renewed = leases.attempt(store, file, session, settings.lease_idle_seconds)
    if renewed and not store.warning:  # the renewal moments ago touched the session: nothing to write
        return answer
    from attune.team import live  # not on a renewal's path (issue 14: the lease check stays light)

    live.touch(store, session, payload.cwd or context.root)
    answer = _warned(store, session, answer)
    if other is None:
        return answer
    holder = live.get(store, other.session)
    who = f"session {live.short(other.session)}" + (f" (in {live.where(holder)})" if holder else "")
    doing = f", working on: {holder.doing}" if holder and holder.doing else ""
    since = other.since.replace("T", " ").removesuffix("Z")
    told = f"{file} is being edited by another active session: {who}, holding it since {since} UTC{doing}."
    if settings.leases == "block":
        reason = (
            f"attune-companion: {told} Do not write it now: work on other files, or ask the user; "
            f"`empathy agents release {file}` frees it by hand."
        )
        decision = specific("PreToolUse", permissionDecision="deny", permissionDecisionReason=reason)
        user = f"attune-companion blocked a {tool} of {file}: {who} holds it"
        return Answer(output={**decision, "systemMessage": user})
    advice = " Coordinate before changing it: your write may overwrite theirs (`empathy signal send` reaches them)."
    return _merged(answer, "PreToolUse", told + advice, f"attune-companion: {file} is also held by {who}")


def deliver(payload: Payload, context: Context, answer: Answer, *, doing: str | None = None) -> Answer:
    """Pending signals for this session go into the model's context once; the prompt renews the session."""
    from attune.team import live

    settings = connect.load_settings(context.root)
    store = connect.open_store(context.root, settings)
    session = _session(payload)
    if doing is not None:
        live.touch(store, session, payload.cwd or context.root, doing=doing)
    if blocked(answer):
        return _warned(store, session, answer)  # a blocked prompt: the signals wait for the next one
    from attune.team import signals  # not on a write's path (issue 14: the lease check stays light)

    received = signals.receive(store, session)
    answer = _warned(store, session, answer)
    if not received:
        return answer
    return _merged(answer, payload.event, signals.as_context(received), "")


def started(payload: Payload, context: Context) -> str:
    """Register this session; the other active sessions and the files they hold, for the digest."""
    from attune.team import live

    store = connect.open_store(context.root, connect.load_settings(context.root))
    session = _session(payload)
    live.touch(store, session, payload.cwd or context.root)
    others = [s for s in live.active(store) if s.session != session]
    if not others:
        return ""
    held: dict[str, list[str]] = {}
    for lease in leases.held(store):
        held.setdefault(lease.session, []).append(lease.file)
    lines = [f"## Other active sessions in this repository ({len(others)}): coordinate before editing their files"]
    for other in others[:8]:
        files = held.get(other.session, [])
        what = f", doing: {other.doing}" if other.doing else ""
        shown = ", ".join(files[:10]) + (f" (+{len(files) - 10} more)" if len(files) > 10 else "")
        holds = f"; holds {shown}" if files else ""
        lines.append(f"- {live.short(other.session)} in {live.where(other)}{what}{holds}")
    return "\n".join(lines)


def ended(payload: Payload, context: Context) -> None:
    """SessionEnd: the session's leases and its index entry go; its unread signals expire on their own."""
    from attune.team import live

    store = connect.open_store(context.root, connect.load_settings(context.root))
    leases.release(store, session=_session(payload))
    live.end(store, _session(payload))


def _session(payload: Payload) -> str:
    """The session id as it may be stored and shown: a hash when it could hold a secret (issue 10)."""
    return safe_name(payload.session_id)


def _warned(store: connect.Resilient, session: str, answer: Answer) -> Answer:
    """The fallback warning, once per session (the marker lives in the file store, which answers)."""
    if not store.warning or store.files.get(_WARNED, session) is not None:
        return answer
    from attune.team import live

    store.files.put(_WARNED, session, {"owner": session}, live.IDLE)
    note = f"attune-companion: {store.warning}; sessions on other machines will not see this one"
    return _merged(answer, "", "", note)


def _merged(answer: Answer, event: str, context_text: str, user: str) -> Answer:
    output = dict(answer.output or {})
    if context_text:
        inner = dict(output.get("hookSpecificOutput") or {})  # type: ignore[call-overload]
        inner["hookEventName"] = event
        previous = inner.get("additionalContext")
        inner["additionalContext"] = f"{previous}\n\n{context_text}" if previous else context_text
        output["hookSpecificOutput"] = inner
    if user:
        previous_user = output.get("systemMessage")
        output["systemMessage"] = f"{previous_user}\n{user}" if previous_user else user
    return answer._replace(output=output)


def blocked(answer: Answer) -> bool:
    output = answer.output or {}
    inner = output.get("hookSpecificOutput")
    return (
        answer.exit_code == 2
        or output.get("decision") == "block"
        or (isinstance(inner, dict) and inner.get("permissionDecision") == "deny")
    )


def _relative(path: str, root: str) -> str:
    absolute = os.path.normpath(os.path.join(root, path))
    prefix = root.rstrip(os.sep) + os.sep
    return absolute[len(prefix) :] if absolute.startswith(prefix) else absolute
