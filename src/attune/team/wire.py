"""What both Redis stores put on the wire: the key's JSON, expiry in ms and the claim script (issue 14).

Apart from attune.team.redis (the official client's store) so that the hooks' RESP store loads
only these few lines, not the other store's code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from attune.team.store import Item

# Set unless another owner holds it, in one step on the server (issue 14: no two holders).
CLAIM = """
local held = redis.call('GET', KEYS[1])
if held then
  local ok, data = pcall(cjson.decode, held)
  if ok and type(data) == 'table' and type(data.value) == 'table' and data.value.owner ~= ARGV[1] then
    return {held, redis.call('PTTL', KEYS[1])}
  end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return false
"""


def ms(ttl: float | None) -> int | None:
    return None if ttl is None else max(1, int(ttl * 1000))


def encode(key: str, value: Mapping[str, object]) -> str:
    return json.dumps({"key": key, "value": dict(value)}, ensure_ascii=False)


def item(raw: object, left: object) -> Item | None:
    if not isinstance(raw, bytes):
        return None
    try:
        data = json.loads(raw)
        key, value = data["key"], data["value"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(key, str) or not isinstance(value, dict):
        return None
    expires = left / 1000 if isinstance(left, int) and left >= 0 else None
    return Item(key, value, expires)


def values(raw: object) -> list[dict[str, object]]:
    found = []
    for line in raw if isinstance(raw, list) else []:
        entry = item(line, -1)
        if entry is not None:
            found.append(entry.value)
    return found


def glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
