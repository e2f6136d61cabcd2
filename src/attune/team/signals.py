"""Signals: short messages between sessions and agents, each delivered once (issue 14).

An inbox is named by a session id or by any agent name (`lead`, `reviewer-2`); `send` with no
recipient writes into the inbox of every other active session. A session's hooks drain its
inbox into the model's context at the next prompt or tool result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from attune.team import live
from attune.team.store import checked

if TYPE_CHECKING:
    from attune.team.store import Store

KIND = "signals"
TTL = 86400.0


class Signal(NamedTuple):
    sender: str
    message: str
    sent: str
    to: str


def send(store: Store, message: str, *, sender: str, to: str | None = None) -> list[str]:
    """Deliver `message` to `to` (a session id, its first characters, or a name), else to every other session.

    A message holding a secret is refused (store.Refused); personal data is scrubbed. Returns the inboxes.
    """
    text = checked(message.strip(), "signal")
    name = checked(sender, "sender name")
    if not text:
        from attune.errors import UserError

        raise UserError("a signal needs a message, e.g. empathy signal send --all 'analysis of src/ is done'")
    if to is None:
        inboxes = [s.session for s in live.active(store) if s.session != sender]
    else:
        inboxes = [resolve(store, checked(to, "recipient name"))]
    stamp = live.now()
    for inbox in inboxes:
        store.push(KIND, inbox, {"from": name, "message": text, "sent": stamp, "to": inbox}, TTL)
    return inboxes


def resolve(store: Store, to: str) -> str:
    """An active session whose id starts with `to`, when exactly one does; else `to` itself, as a name."""
    matches = [s.session for s in live.active(store) if s.session.startswith(to)]
    return matches[0] if len(matches) == 1 else to


def receive(store: Store, inbox: str) -> list[Signal]:
    """The inbox's pending signals, removed: each is received once."""
    return [_signal(value, inbox) for value in store.drain(KIND, inbox)]


def pending(store: Store, inbox: str | None = None) -> list[Signal]:
    """What waits in `inbox` (or every inbox), left in place."""
    names = [inbox] if inbox is not None else store.lists(KIND)
    return [_signal(value, name) for name in names for value in store.peek(KIND, name)]


def as_context(received: list[Signal]) -> str:
    lines = [f"- from {live.short(s.sender)} at {s.sent.replace('T', ' ').removesuffix('Z')} UTC: {s.message}"
             for s in received]  # fmt: skip
    return "attune-companion: signals from other sessions of this project:\n" + "\n".join(lines)


def _signal(value: dict[str, object], inbox: str) -> Signal:
    def text(name: str) -> str:
        field = value.get(name)
        return field if isinstance(field, str) else ""

    return Signal(text("from") or "?", text("message"), text("sent"), text("to") or inbox)
