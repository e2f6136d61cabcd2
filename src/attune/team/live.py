"""The live session index: which sessions are active, where, and on what; and the records of both (issue 14).

A session's entry is renewed by its hooks (SessionStart, prompts, writes) and expires after
IDLE seconds without one, so a session that crashed without SessionEnd drops out on its own.
"""

from __future__ import annotations

import os
import time
from typing import NamedTuple

from attune.team.store import Store, recorded

KIND = "sessions"
IDLE = 3600.0


class Lease(NamedTuple):
    """A file a session holds (attune.team.leases). Here, with the session's record: a write that
    renewed its lease moments ago loads neither (issue 14)."""

    file: str
    session: str
    since: str
    renewed: str
    expires_in: float | None


class Session(NamedTuple):
    session: str
    cwd: str
    host: str
    started: str
    updated: str
    doing: str


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def touch(store: Store, session: str, cwd: str, *, doing: str | None = None, ttl: float = IDLE) -> Session:
    """Mark `session` active; `doing` replaces what it is doing when given. Hook-recorded: never refused."""
    held = store.get(KIND, session)
    old = _session(held.value) if held is not None else None
    fresh = held is not None and held.expires_in is not None and held.expires_in > ttl - min(30.0, ttl / 10)
    if old is not None and fresh and (doing is None or doing == old.doing) and (not cwd or old.cwd):
        return old  # touched moments ago: skip the write (a rename costs ~2 ms on a hook's path)
    stamp = now()
    record = Session(
        session,
        recorded(cwd) if cwd else (old.cwd if old else ""),
        old.host if old else _host(),
        old.started if old else stamp,
        stamp,
        recorded(doing, pii=True)[:160] if doing is not None else (old.doing if old else ""),
    )
    store.put(KIND, session, {"owner": session, **record._asdict()}, ttl)
    return record


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


def _session(value: dict[str, object]) -> Session | None:
    fields = [value.get(name) for name in Session._fields]
    if not all(isinstance(field, str) for field in fields):
        return None
    return Session(*(str(field) for field in fields))
