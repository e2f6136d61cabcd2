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


def safe_name(name: str) -> str:
    """A session id as it may be stored and shown: itself when plain, else `h-` and a hash (issue 10).

    The scanner's prefilter decides, not the scanner: a hook pays for this on every write, and
    Claude Code's ids are UUIDs, which no detector can fire on.
    """
    from attune import digest
    from attune.scan import prefilter

    if len(name) == 36 and name.count("-") == 4 and all(c in "0123456789abcdef-" for c in name.lower()):
        return name  # a UUID, as Claude Code makes them: hex digits hold no secret
    plain = 0 < len(name) <= 80 and all(c.isalnum() or c in "-_." for c in name)
    if plain and not prefilter.has_candidate(name):
        return name
    return "h-" + digest.fingerprint(name.encode("utf-8", "surrogatepass"), 16)
