"""Check a model's JSON output against the small JSON Schema subset our wizard schemas use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def problems(value: object, schema: Mapping[str, object], where: str = "$") -> list[str]:
    """Every way `value` departs from `schema`, as `$.path: what is wrong`; empty when it conforms.

    Supported: type (one or a list), properties, required, additionalProperties: false, items,
    enum. Structured outputs should already guarantee these; a fake server or a truncated reply
    may not, and that is when a wizard escalates.
    """
    found: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_is(value, str(k)) for k in kinds):
            return [f"{where}: expected {' or '.join(map(str, kinds))}, got {_name(value)}"]
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum:
        found.append(f"{where}: {value!r} is not one of {', '.join(map(repr, enum))}")
    if isinstance(value, dict):
        properties = cast("Mapping[str, Mapping[str, object]]", schema.get("properties", {}))
        required = cast("list[str]", schema.get("required", []))
        found.extend(f"{where}: missing {key!r}" for key in required if key not in value)
        for key, item in value.items():
            if key in properties:
                found.extend(problems(item, properties[key], f"{where}.{key}"))
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: unexpected key {key!r}")
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, Mapping):
        for index, item in enumerate(value):
            found.extend(problems(item, items, f"{where}[{index}]"))
    return found


def _is(value: object, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False  # JSON true is not a number, though Python's bool is an int
    return isinstance(value, _TYPES.get(kind, ()))


def _name(value: object) -> str:
    return next((kind for kind in _TYPES if _is(value, kind)), type(value).__name__)
