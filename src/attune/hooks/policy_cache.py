"""The hook runner's per-user cache of the project's hook policy (issue 15: config never imports it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from attune import configcache
from attune.hooks import policy

if TYPE_CHECKING:
    from pathlib import Path

_CACHE_FORMAT = "3"  # 3: the entry's value under "value", as attune.configcache writes every section


def load(root: str | Path) -> policy.Policy:
    """The project's hook policy; a broken config gives the defaults, a damaged cache entry is rebuilt."""
    return configcache.load(str(root), "hooks", decode=policy.from_plain, default=policy.DEFAULT, version=_CACHE_FORMAT)
