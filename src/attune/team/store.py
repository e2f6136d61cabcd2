"""The live-state interface every backend implements, and the records it returns (issue 14).

Values are JSON objects. A `kind` is a namespace (`leases`, `sessions`, `signals`, `memory`);
keys are any printable text. Every operation is atomic on its own: `claim` is how two sessions
never hold one file, `drain` is how a signal is delivered once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

KINDS = ("leases", "sessions", "signals", "memory")


class Item(NamedTuple):
    key: str
    value: dict[str, object]
    expires_in: float | None  # seconds left, None when it never expires


class StoreDown(Exception):
    """The backend did not answer (Redis unreachable, slow or restarting); the caller falls back."""


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
