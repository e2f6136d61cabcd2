"""File leases: a session writing a file holds it; another session writing it is told who does (issue 14).

A lease is renewed by each write of its holder and expires after `lease_idle_seconds` without
one; SessionEnd releases a session's leases. Keys are paths relative to the repository, so
sessions in two worktrees, or on two machines, meet on the same file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attune.team.records import Lease
    from attune.team.store import Item, Store

KIND = "leases"
RENEW = 30.0  # seconds: a lease renewed more recently than this (or a tenth of its time) is left as it is


def take(store: Store, file: str, session: str, ttl: float) -> Lease | None:
    """Take or renew the lease on `file`: None when `session` holds it now, else the other holder's lease."""
    return attempt(store, file, session, ttl)[0]


def attempt(store: Store, file: str, session: str, ttl: float) -> tuple[Lease | None, bool]:
    """`take`, and whether `session` had renewed the lease moments ago (True: nothing was written).

    A hook that renewed the lease moments ago touched its session then too: it skips the touch
    (issue 14: a write's lease check is paid on every tool call).
    """
    held = store.get(KIND, file)
    if held is not None and held.value.get("owner") != session:
        return _lease(held), False  # the common conflict answered without a lock
    if held is not None and held.expires_in is not None and held.expires_in > ttl - min(RENEW, ttl / 10):
        return None, True  # renewed moments ago: a write costs ~2 ms (a rename), a read almost nothing
    from attune.team import live  # only to stamp a write: a renewal loads nothing more (issue 14)

    stamp = live.now()
    since = str(held.value.get("since", stamp)) if held is not None else stamp
    other = store.claim(KIND, file, session, {"owner": session, "since": since, "renewed": stamp}, ttl)
    return (_lease(other) if other is not None else None), False


def release(store: Store, *, file: str | None = None, session: str | None = None) -> list[Lease]:
    """Release the lease on `file`, or every lease `session` holds; the leases released."""
    gone = []
    for lease in held(store):
        chosen = (file is not None and lease.file == file) or (session is not None and lease.session == session)
        if chosen and store.delete(KIND, lease.file):
            gone.append(lease)
    return gone


def held(store: Store) -> list[Lease]:
    return [lease for item in store.items(KIND) if (lease := _lease(item)) is not None]


def _lease(item: Item) -> Lease | None:
    from attune.team.records import Lease  # not on a write's path: only a conflict builds one (issue 14)

    owner, since, renewed = (item.value.get(name) for name in ("owner", "since", "renewed"))
    if not (isinstance(owner, str) and isinstance(since, str) and isinstance(renewed, str)):
        return None
    return Lease(item.key, owner, since, renewed, item.expires_in)
