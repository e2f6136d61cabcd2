"""One section of `.empathy/config.yaml`, from a per-user JSON cache while the config file is unchanged.

Hooks run on every tool call, and parsing the config costs more than the rest of a hook (the YAML
readers, every section's parser). So the hook policy and the team settings are read through this
cache (issues 10, 14, 15). A config edited in the last two seconds is not cached (coarse timestamps,
as for the pattern cache); an entry that fails its check or holds a value this release does not
understand is rebuilt from the config, never read as a weaker setting (issue 11).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from attune import paths

T = TypeVar("T", bound=NamedTuple)


def load(root: str, section: str, *, decode: Callable[[object], T | None], default: T, version: str) -> T:
    """The config's `section` (a Config property), as `decode` reads it back from its cached plain form."""
    config = os.path.join(root, paths.CONFIG_FILE)
    try:
        stat = os.stat(config)
    except OSError:
        return default
    key = f"{version}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
    target = _cache_file(section, root)
    try:
        with open(target, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key and cached.get("check") == _check(key, cached["value"]):
            value = decode(cached["value"])
            if value is not None:
                return value
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    from pathlib import Path

    from attune import atomic
    from attune import config as config_mod

    found: T = getattr(config_mod.read(Path(root))[0], section)
    if stat.st_mtime_ns < time.time_ns() - 2_000_000_000:
        plain = found._asdict()
        entry = {"key": key, "value": plain, "check": _check(key, plain)}
        try:
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            atomic.write_atomic(Path(target), json.dumps(entry), durable=False)
        except OSError:
            pass  # a read-only cache costs speed, never protection
    return found


def _cache_file(section: str, root: str) -> str:
    from attune import digest

    return paths.cache_dir(section, f"{digest.fingerprint(root, size=10)}.json")


def _check(key: str, plain: object) -> str:
    """A fingerprint of the entry: a damaged or hand-edited cache no longer matches and is rebuilt.

    Not a secret key: whoever can write the user's cache can recompute it. What keeps a guard on
    is that any value this release does not write reads as the safe default (issue 11).
    """
    from attune import digest

    return digest.fingerprint(key + "\n" + json.dumps(plain, sort_keys=True, ensure_ascii=True), size=16)
