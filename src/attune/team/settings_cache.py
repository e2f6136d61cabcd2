"""The team settings the hooks read on every write, from a per-user cache while config.yaml is unchanged.

Apart from `attune.team.settings`, which only parses, so that the config imports nothing that
imports it back (issue 15, as hooks/policy_cache.py does for the hook policy).
"""

from __future__ import annotations

import json
import os
import time

from attune import paths
from attune.team import settings as settings_mod


def load(root: str) -> settings_mod.TeamSettings:
    """The project's team settings, from a per-user JSON cache while config.yaml is unchanged.

    The hooks read this on every write; parsing the config costs more than the rest of the
    lease check. Same rules as the hook policy's cache: a config edited in the last two
    seconds is not cached, and a cache entry this release does not understand is rebuilt.
    """
    config = os.path.join(root, paths.CONFIG_FILE)
    try:
        stat = os.stat(config)
    except OSError:
        return settings_mod.DEFAULT
    key = f"1:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
    target = _cache_file(root)
    try:
        with open(target, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key:
            settings = settings_mod.from_json(cached.get("settings"))
            if settings is not None:
                return settings
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    from pathlib import Path

    from attune import atomic
    from attune import config as config_mod

    settings = config_mod.read(Path(root))[0].team
    if stat.st_mtime_ns < time.time_ns() - 2_000_000_000:
        try:
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            entry = json.dumps({"key": key, "settings": settings._asdict()})
            atomic.write_atomic(Path(target), entry, durable=False)
        except OSError:
            pass  # a read-only cache costs speed only
    return settings


def _cache_file(root: str) -> str:
    from attune import digest

    return paths.cache_dir("team", f"{digest.fingerprint(root, size=10)}.json")
