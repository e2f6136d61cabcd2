"""The team API for scripts and agents: signals, leases and sessions of one repository (issue 14).

    from attune.team import api as team

    team.send("analysis of src/billing is done: see working:billing", to="lead", sender="analyst")
    for signal in team.receive("lead"):      # each signal is received once
        print(signal.sender, signal.message)

`root` defaults to the git top level of the current directory; the store is the configured one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from attune.team import connect, leases, live, signals
from attune.team.records import Lease, Session
from attune.team.signals import Signal

__all__ = ["Lease", "Session", "Signal", "active", "held", "open_store", "pending", "receive", "release", "send"]


def open_store(root: str | None = None, environ: Mapping[str, str] = os.environ) -> connect.Resilient:
    from attune import paths

    top = str(paths.find_root(root)) if root is None or not os.path.isabs(root) else root
    return connect.open_store(top, connect.load_settings(top), environ, timeout=2.0, lean=False)


def send(message: str, *, to: str | None = None, sender: str = "", root: str | None = None) -> list[str]:
    """Send `message` to `to` (a session, its first characters, or a name), or to every active session."""
    return signals.send(open_store(root), message, sender=sender or _me(), to=to)


def receive(inbox: str, *, root: str | None = None) -> list[Signal]:
    return signals.receive(open_store(root), inbox)


def pending(inbox: str | None = None, *, root: str | None = None) -> list[Signal]:
    return signals.pending(open_store(root), inbox)


def active(*, root: str | None = None) -> list[Session]:
    return live.active(open_store(root))


def held(*, root: str | None = None) -> list[Lease]:
    return leases.held(open_store(root))


def release(target: str, *, root: str | None = None) -> list[Lease]:
    """Free a file's lease, or every lease of a session (its id or first characters)."""
    store = open_store(root)
    gone = leases.release(store, file=target)
    if gone:
        return gone
    session = signals.resolve(store, target)
    gone = leases.release(store, session=session)
    if live.end(store, session) and not gone:
        return [Lease("", session, "", "", None)]
    return gone


def _me() -> str:
    import getpass

    return os.environ.get("CLAUDE_CODE_SESSION_ID") or getpass.getuser()
