"""File-first memory: working memory, staging and promotion, and recall of past sessions (issue 5).

`stash`, `retrieve`, `forget` and `keys` are the working memory (see `attune.memory.working`).
They load with it on first use: `empathy memory recall` (issue 13) never needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attune.memory.working import Entry, MemoryRefused, clear, forget, keys, retrieve, stash

__all__ = ["Entry", "MemoryRefused", "clear", "forget", "keys", "retrieve", "stash"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from attune.memory import working

        return getattr(working, name)
    raise AttributeError(f"module 'attune.memory' has no attribute {name!r}")
