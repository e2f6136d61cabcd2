"""The hook runner's per-user cache of the project's hook policy (issue 15: config never imports it)."""

from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING

from attune import paths
from attune.hooks import policy

if TYPE_CHECKING:
    from pathlib import Path

_CACHE_FORMAT = "2"


def load(root: str | Path) -> policy.Policy:
    """The project's hook policy, read from a per-user JSON cache while config.yaml is unchanged.

    Parsing the config costs more than the rest of a hook (YAML readers, every section's parser),
    and hooks run on every tool call. A config edited in the last two seconds is not cached, as
    for the pattern cache (coarse timestamps); a broken config gives the defaults. A cache entry
    that fails its check or holds a value this release does not understand is rebuilt from the
    config, never read as "off" (issue 11).
    """
    config = os.path.join(root, paths.CONFIG_FILE)
    try:
        stat = os.stat(config)
    except OSError:
        return policy.DEFAULT
    key = f"{_CACHE_FORMAT}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
    target = _cache_file(str(root))
    try:
        with open(target, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key and cached.get("check") == _check(key, cached["policy"]):
            cached_policy = policy.from_plain(cached["policy"])
            if cached_policy is not None:
                return cached_policy
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    from pathlib import Path

    from attune import atomic
    from attune import config as config_mod

    found = config_mod.read(Path(root))[0].hooks
    if stat.st_mtime_ns < time.time_ns() - 2_000_000_000:
        plain = found._asdict()
        entry = {"key": key, "policy": plain, "check": _check(key, plain)}
        try:
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            atomic.write_atomic(Path(target), json.dumps(entry), durable=False)
        except OSError:
            pass  # a read-only cache costs speed, never protection
    return found


def _cache_file(root: str) -> str:
    from attune import digest

    return paths.cache_dir("hooks", f"{digest.fingerprint(root, size=10)}.json")


def _check(key: str, plain: object) -> str:
    """A fingerprint of the entry: a damaged or hand-edited cache no longer matches and is rebuilt.

    Not a secret key: whoever can write the user's cache can recompute it. What keeps a guard on
    is that any value this release does not write reads as the safe default (issue 11).
    """
    from attune import digest

    return digest.fingerprint(key + "\n" + json.dumps(plain, sort_keys=True, ensure_ascii=True), size=16)
