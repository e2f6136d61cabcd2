"""The live session index: which sessions are active, where, and on what (issue 14).

A session's entry is renewed by its hooks (SessionStart, prompts, writes) and expires after
IDLE seconds without one, so a session that crashed without SessionEnd drops out on its own.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from attune.team.store import recorded

if TYPE_CHECKING:
    from attune.team.records import Session
    from attune.team.store import Store

KIND = "sessions"
IDLE = 3600.0


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def touch(store: Store, session: str, cwd: str, *, doing: str | None = None, ttl: float = IDLE) -> None:
    """Mark `session` active; `doing` replaces what it is doing when given. Hook-recorded: never refused.

    On the entry's fields, not a Session record: a hook that takes a lease touches its session and
    needs no record class (issue 14)."""
    held = store.get(KIND, session)
    old = _fields(held.value) if held is not None else None
    fresh = held is not None and held.expires_in is not None and held.expires_in > ttl - min(30.0, ttl / 10)
    if old is not None and fresh and (doing is None or doing == old["doing"]) and (not cwd or old["cwd"]):
        return  # touched moments ago: skip the write (a rename costs ~2 ms on a hook's path)
    stamp = now()
    entry = {
        "session": session,
        "cwd": recorded(cwd) if cwd else (old["cwd"] if old else ""),
        "host": old["host"] if old else _host(),
        "started": old["started"] if old else stamp,
        "updated": stamp,
        "doing": recorded(doing, pii=True)[:160] if doing is not None else (old["doing"] if old else ""),
    }
    store.put(KIND, session, {"owner": session, **entry}, ttl)


def end(store: Store, session: str) -> bool:
    return store.delete(KIND, session)


def active(store: Store) -> list[Session]:
    found = [_session(item.value) for item in store.items(KIND)]
    return sorted((s for s in found if s is not None), key=lambda s: s.updated, reverse=True)


def get(store: Store, session: str) -> Session | None:
    held = store.get(KIND, session)
    return _session(held.value) if held is not None else None


def short(session: str) -> str:
    return session[:8] if len(session) > 12 else session


def where(record: Session, here: str = "") -> str:
    """Where a session runs, as a message shows it: its worktree, and its host when not this one."""
    place = os.path.basename(record.cwd.rstrip("/")) or record.cwd
    return place + (f" on {record.host}" if record.host and record.host != (here or _host()) else "")


def _host() -> str:
    """This machine's name, without importing socket (a hook pays for every import)."""
    return os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")


_FIELDS = ("session", "cwd", "host", "started", "updated", "doing")  # Session's, in its order


def _fields(value: dict[str, object]) -> dict[str, str] | None:
    """A session entry's fields, or None when one is missing or not text."""
    fields = {name: value.get(name) for name in _FIELDS}
    if not all(isinstance(field, str) for field in fields.values()):
        return None
    return {name: str(field) for name, field in fields.items()}


def _session(value: dict[str, object]) -> Session | None:
    from attune.team.records import Session

    fields = _fields(value)
    return Session(**fields) if fields is not None else None
