"""`empathy agents` and `empathy signal`: who works where, on what, and messages between them (issue 14)."""

from __future__ import annotations

import json
import sys

from attune.errors import UserError
from attune.team import api, live
from attune.team.connect import Resilient


def agents(*, root: str | None, as_json: bool) -> int:
    store = api.open_store(root)
    from attune.team import leases, signals

    sessions, held, waiting = live.active(store), leases.held(store), signals.pending(store)
    _fallback(store)
    if as_json:
        print(json.dumps({"backend": store.name, "sessions": [s._asdict() for s in sessions],
                          "leases": [x._asdict() for x in held], "signals": [x._asdict() for x in waiting]},
                         indent=2, ensure_ascii=False))  # fmt: skip
        return 0
    print(f"live state: {store.name}")
    print(f"sessions ({len(sessions)}):")
    for s in sessions:
        doing = f"  doing: {s.doing}" if s.doing else ""
        print(f"  {s.session}  {live.where(s)}  active {_when(s.updated)}{doing}")
    print(f"leases ({len(held)}):")
    for lease in held:
        left = f", {lease.expires_in / 60:.0f} min left" if lease.expires_in is not None else ""
        print(f"  {lease.file}  held by {live.short(lease.session)} since {_when(lease.since)}{left}")
    print(f"pending signals ({len(waiting)}):")
    for signal in waiting:
        sender = live.short(signal.sender)
        print(f"  to {live.short(signal.to)} from {sender} at {_when(signal.sent)}: {signal.message}")
    return 0


def release(*, target: str, root: str | None, as_json: bool = False) -> int:
    gone = api.release(target, root=root)
    if not gone:
        raise UserError(f"no lease on {target!r} and no active session {target!r}: `empathy agents` lists them")
    if as_json:
        print(json.dumps([lease._asdict() for lease in gone], indent=2, ensure_ascii=False))
        return 0
    for lease in gone:
        print(f"released {lease.file} (held by {live.short(lease.session)})" if lease.file else
              f"ended session {lease.session} (it held no files)")  # fmt: skip
    return 0


def send(*, message: str, to: str | None, everyone: bool, sender: str | None, root: str | None) -> int:
    if to is not None and everyone:
        raise UserError("signal send takes --to SESSION or --all, not both")
    store = api.open_store(root)
    from attune.team import signals

    inboxes = signals.send(store, message, sender=sender or api._me(), to=to)
    _fallback(store)
    if not inboxes:
        print("no other active session to signal (`empathy agents` lists them); use --to NAME for an agent's inbox")
        return 1
    print(f"sent to {', '.join(live.short(i) for i in inboxes)}")
    return 0


def list_signals(*, inbox: str | None, take: bool, root: str | None) -> int:
    store = api.open_store(root)
    from attune.team import signals

    if take and inbox is None:
        raise UserError("--take needs --for INBOX: it removes what it prints, once")
    found = signals.receive(store, signals.resolve(store, inbox)) if take and inbox else signals.pending(store, inbox)
    _fallback(store)
    for signal in found:
        print(f"{_when(signal.sent)}\tto {signal.to}\tfrom {signal.sender}\t{signal.message}")
    if not found:
        print("no pending signals", file=sys.stderr)
    return 0


def _when(stamp: str) -> str:
    return stamp.replace("T", " ").removesuffix("Z") + " UTC" if stamp else "?"


def _fallback(store: Resilient) -> None:
    if store.warning:
        print(f"empathy: warning: {store.warning}", file=sys.stderr)
