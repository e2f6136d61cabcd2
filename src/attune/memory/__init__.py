"""File-first memory: working memory, staging and promotion, and recall of past sessions (issue 5).

`stash`, `retrieve`, `forget` and `keys` are the working memory (see `attune.memory.working`).
"""

from __future__ import annotations

from attune.memory.working import Entry, MemoryRefused, clear, forget, keys, retrieve, stash

__all__ = ["Entry", "MemoryRefused", "clear", "forget", "keys", "retrieve", "stash"]
