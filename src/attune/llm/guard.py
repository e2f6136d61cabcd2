"""What may leave the machine: a prompt holding a secret is refused; personal data is scrubbed first."""

from __future__ import annotations

from attune.errors import UserError


class PromptRefused(UserError):
    """The prompt holds a secret; the message names its type and line, never its value."""


def guard_prompt(text: str, filename: str = "") -> str:
    """The text that may be sent: raises PromptRefused on a secret, returns `text` with PII scrubbed."""
    from attune.scan import scan_text, scrub

    secrets = [f for f in scan_text(text, filename, secrets=True, pii=False) if f.kind == "secret"]
    if secrets:
        where = ", ".join(f"{f.type} at line {f.line}" for f in secrets[:3])
        more = f" and {len(secrets) - 3} more" if len(secrets) > 3 else ""
        raise PromptRefused(
            f"refusing to send the {filename or 'prompt'}: it holds a secret ({where}{more}); "
            "remove it from the input, or run with --offline"
        )
    return scrub(text, filename).text
