"""UserPromptSubmit: a prompt holding a secret is blocked before it leaves the machine."""

from __future__ import annotations

from attune.hooks.payload import NOTHING, Answer, Context, Payload
from attune.hooks.pre_tool import _kind, _list
from attune.scan import known


def handle(payload: Payload, context: Context) -> Answer:
    answer = _handle(payload, context)
    if context.library and payload.session_id:  # pending signals; the prompt says what the session does (issue 14)
        from attune.hooks import team

        doing = payload.text("prompt").strip().split("\n", 1)[0][:120]
        answer = team.deliver(payload, context, answer, doing=doing if not team.blocked(answer) else None)
    return answer


def _handle(payload: Payload, context: Context) -> Answer:
    policy = context.policy
    prompt = payload.text("prompt")
    if not prompt or (policy.secrets == "off" and policy.prompt_pii == "off"):
        return NOTHING
    if policy.secrets != "off":
        present = known.found_in(
            prompt, known.load([context.root, payload.cwd or context.root], allowed=policy.allowed_globs)
        )
        if present and policy.secrets == "block":
            return _blocked(context, f"the value of {known.describe(present)}", ["known-value"])
        if present:
            return Answer(
                output={"systemMessage": f"attune-companion: your prompt holds the value of {known.describe(present)}"}
            )
    from attune import scan

    findings = scan.scan_text(prompt, secrets=policy.secrets != "off", pii=policy.prompt_pii != "off")
    secrets = [f for f in findings if f.kind == "secret"]
    personal = [f for f in findings if f.kind == "pii"]
    blocking = [*(secrets if policy.secrets == "block" else []), *(personal if policy.prompt_pii == "block" else [])]
    if blocking:
        return _blocked(context, f"{_kind(blocking)} ({_list(blocking)})", [f.type for f in blocking])
    warned = [*(secrets if policy.secrets == "warn" else []), *(personal if policy.prompt_pii == "warn" else [])]
    if warned:
        return Answer(output={"systemMessage": f"attune-companion: your prompt holds {_kind(warned)}: {_list(warned)}"})
    return NOTHING


def _blocked(context: Context, what: str, types: list[str]) -> Answer:
    if context.library:
        import contextlib

        from attune import audit

        # A guard fails closed: an audit log that cannot be written must not cost the verdict.
        with contextlib.suppress(OSError):
            audit.record(context.path, "hook.blocked", tool="prompt", findings=types)
    return Answer(
        output={
            "decision": "block",
            "reason": f"attune-companion: your prompt holds {what}, so it was not sent. "
            "Remove it and refer to it by name instead (for example $API_TOKEN), then send the prompt again.",
        }
    )
