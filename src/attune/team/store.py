"""The live-state interface every backend implements, its records, and what may go into it (issues 10, 14).

Values are JSON objects. A `kind` is a namespace (`leases`, `sessions`, `signals`, `memory`);
keys are any printable text. Every operation is atomic on its own: `claim` is how two sessions
never hold one file, `drain` is how a signal is delivered once.

What goes in passes the scanner first. Text someone sends (a signal) holding a secret is
refused, with its type and a masked value; personal data is scrubbed. What the hooks record
(paths, what a session is doing) is never refused, since a hook must not fail: secrets there
are redacted instead. (One module with the interface: every write's lease check loads both.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from attune.errors import UserError

if TYPE_CHECKING:
    from typing import Protocol

KINDS = ("leases", "sessions", "signals", "memory")


class Item(NamedTuple):
    key: str
    value: dict[str, object]
    expires_in: float | None  # seconds left, None when it never expires


class StoreDown(Exception):
    """The backend did not answer (Redis unreachable, slow or restarting); the caller falls back."""


if TYPE_CHECKING:  # for mypy, which checks every backend against it; nothing needs the class at run time,
    # and building a Protocol costs every hook that loads this module ~0.06 ms (issue 14)

    class Store(Protocol):
        @property
        def name(self) -> str:
            """`files` or `redis`: the backend that answers."""

        def put(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
            """Set `key`; returns only once the backend has acknowledged the write."""

        def get(self, kind: str, key: str) -> Item | None: ...

        def delete(self, kind: str, key: str) -> bool: ...

        def items(self, kind: str, prefix: str = "") -> list[Item]:
            """The live entries whose key starts with `prefix`, in key order."""

        def claim(self, kind: str, key: str, owner: str, value: Mapping[str, object], ttl: float | None) -> Item | None:
            """Set `key` to `value` unless another owner holds it: None when claimed, else the holder's entry.

            `value["owner"]` must be `owner`; an entry of the same owner is renewed.
            """

        def push(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
            """Append `value` to the list under `key` (an inbox)."""

        def peek(self, kind: str, key: str) -> list[dict[str, object]]:
            """The list under `key`, left in place."""

        def drain(self, kind: str, key: str) -> list[dict[str, object]]:
            """The list under `key`, removed in the same step: each value is drained once."""

        def lists(self, kind: str) -> list[str]:
            """The keys of the lists of `kind` that hold something."""

        def clear(self, kind: str) -> int: ...

        def close(self) -> None: ...


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
