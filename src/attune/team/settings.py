"""The `team:` section of `.empathy/config.yaml`: where live state lives and what a held file does (issue 14).

    team:
      state: files              # or redis://host:6379/0, rediss://... (EMPATHY_REDIS_URL wins)
      leases: warn              # another session holds the file: warn (default), block or off
      lease_idle_seconds: 600   # a lease nobody renews expires after this long

Credentials come only from the environment (EMPATHY_REDIS_URL) or the URL itself; our tools never
write them into the config, and a password in the committed config is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from attune.yamlio import KeyPath

MODES = ("warn", "block", "off")
_KEYS = ("state", "leases", "lease_idle_seconds")
_SCHEMES = ("redis://", "rediss://", "unix://")


class TeamSettings(NamedTuple):
    state: str = "files"
    leases: str = "warn"
    lease_idle_seconds: float = 600.0


DEFAULT = TeamSettings()


def parse(value: object, report: Callable[[KeyPath, str], None]) -> TeamSettings:
    if value is None:
        return DEFAULT
    if not isinstance(value, dict):
        report(("team",), "team must be a mapping, e.g. `team:` then `  state: redis://localhost:6379/0`")
        return DEFAULT
    found: dict[str, object] = {}
    for key, setting in value.items():
        where: KeyPath = ("team", key)
        if key == "state":
            if not isinstance(setting, str) or not (setting == "files" or setting.startswith(_SCHEMES)):
                report(where, "team.state must be files or a redis:// or rediss:// URL")
                continue
            if _password(setting):
                report(where, "team.state holds a password: keep the URL without it here and set EMPATHY_REDIS_URL")
                continue
            found[key] = setting
        elif key == "leases":
            mode = "off" if setting is False else setting  # YAML 1.1 reads a bare `off` as false
            if mode not in MODES:
                report(where, f"team.leases must be one of: {', '.join(MODES)}")
                continue
            found[key] = mode
        elif key == "lease_idle_seconds":
            if isinstance(setting, bool) or not isinstance(setting, int | float) or setting <= 0:
                report(where, "team.lease_idle_seconds must be a positive number of seconds, such as 600")
                continue
            found[key] = float(setting)
        else:
            report(where, f"unknown key in team: {key!r} (known: {', '.join(_KEYS)})")
    return DEFAULT._replace(**found)  # type: ignore[arg-type]


def _password(url: str) -> bool:
    authority = url.split("://", 1)[-1].split("/", 1)[0]
    return "@" in authority and ":" in authority.rsplit("@", 1)[0]


def from_json(data: object) -> TeamSettings | None:
    if not isinstance(data, dict) or set(data) != set(_KEYS):
        return None
    state, leases, idle = data["state"], data["leases"], data["lease_idle_seconds"]
    if not isinstance(state, str) or not (state == "files" or state.startswith(_SCHEMES)) or leases not in MODES:
        return None
    if isinstance(idle, bool) or not isinstance(idle, int | float) or idle <= 0:
        return None
    return TeamSettings(state, leases, float(idle))
