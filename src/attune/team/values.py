"""What goes into the shared store passes the scanner first (issues 10 and 14).

Text someone sends (a signal) holding a secret is refused, with its type and a masked value;
personal data is scrubbed. What the hooks record (paths, what a session is doing) is never
refused, since a hook must not fail: secrets there are redacted instead.
"""

from __future__ import annotations

from attune.errors import UserError


class Refused(UserError):
    """A value the scanner refused; the message names the finding's type, never its value."""


def checked(text: str, what: str) -> str:
    """`text` with personal data scrubbed; Refused when it holds a secret."""
    from attune import scan

    findings = scan.scan_text(text)
    secrets = [f for f in findings if f.kind == "secret"]
    if secrets:
        kinds = ", ".join(f"{f.type} ({f.masked})" for f in secrets[:3])
        raise Refused(f"refused: the {what} holds a secret: {kinds}; send a reference to it instead")
    return scan.scrub(text).text if findings else text


def recorded(text: str, *, pii: bool = False) -> str:
    """`text` as a hook may record it: secrets redacted; the scanner is loaded only for a candidate."""
    from attune import scan

    if not scan.has_candidate(text) and not pii:
        return text
    return scan.scrub(text, pii=pii).text
