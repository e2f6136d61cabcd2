"""The `memory:` section of `.empathy/config.yaml`: each key class's time to live, parse-only (issue 15)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from attune.yamlio import KeyPath

TTL_CLASSES = {"working": 3600, "staged": 86400, "coordination": 300, "session": 1800}


class Settings(NamedTuple):
    ttl: Mapping[str, float]


DEFAULT = Settings(TTL_CLASSES)


def parse(value: object, report: Callable[[KeyPath, str], None]) -> Settings:
    """The `memory:` section of the config: `ttl:` maps a class to seconds."""
    if value is None:
        return DEFAULT
    if not isinstance(value, dict):
        report(("memory",), "memory must be a mapping, e.g. `memory:` then `  ttl: {working: 7200}`")
        return DEFAULT
    ttl = {name: float(seconds) for name, seconds in TTL_CLASSES.items()}
    for key, setting in value.items():
        if key != "ttl":
            report(("memory", key), f"unknown key in memory: {key!r} (known: ttl)")
            continue
        if not isinstance(setting, dict):
            report(("memory", "ttl"), "memory.ttl must map a class to seconds, e.g. {working: 7200}")
            continue
        for name, seconds in setting.items():
            if name not in TTL_CLASSES:
                report(("memory", "ttl", name), f"unknown ttl class {name!r} (known: {', '.join(TTL_CLASSES)})")
            elif isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
                report(("memory", "ttl", name), f"memory.ttl.{name} must be a positive number of seconds")
            else:
                ttl[name] = float(seconds)
    return Settings(ttl)


def ttl_for(key: str, settings: Settings = DEFAULT) -> float:
    prefix = key.split(":", 1)[0] if ":" in key else "working"
    return float(settings.ttl.get(prefix, settings.ttl["working"]))
