"""The records the live state is read into: a session of the index, a file's lease (issue 14).

Apart from the functions that write them (attune.team.live, attune.team.leases): a hook's
write takes or renews a lease and touches its session without building either record, and a
record class costs ~0.15 ms to create, in every hook process that loads it.
"""

from __future__ import annotations

from typing import NamedTuple


class Session(NamedTuple):
    session: str
    cwd: str
    host: str
    started: str
    updated: str
    doing: str


class Lease(NamedTuple):
    """A file a session holds."""

    file: str
    session: str
    since: str
    renewed: str
    expires_in: float | None
