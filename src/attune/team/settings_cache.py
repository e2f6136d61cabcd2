"""The team settings the hooks read on every write, from the per-user config cache (issue 14).

Apart from `attune.team.settings`, which only parses, so that the config imports nothing that
imports it back (issue 15, as hooks/policy_cache.py does for the hook policy).
"""

from __future__ import annotations

from attune import configcache
from attune.team import settings as settings_mod


def load(root: str) -> settings_mod.TeamSettings:
    """The project's team settings; the hooks read them on every write (the lease check)."""
    return configcache.load(root, "team", decode=settings_mod.from_json, default=settings_mod.DEFAULT, version="2")
