"""Size limits for values a sandboxed template builds, and checked versions of the filters that grow text (issue 11)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter

MAX_CHARS = 1_000_000  # a rendered file, and any one value on the way
MAX_ITEMS = 100_000  # a list built by `*` or `+`, as Jinja caps range()
MAX_INT_BITS = 65_536
MAX_WIDTH = 1_000  # a field width in a format string
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def size(value: Any, cap: int = MAX_CHARS) -> int:
    """About how many characters `value` makes as text; stops counting past `cap`."""
    total = 0
    stack = [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, bytes):
            total += 4 * len(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        else:
            total += 8
    return total


def limit(chars: int) -> None:
    if chars > MAX_CHARS:
        raise SecurityError(f"a value of {chars:,} characters is too large (at most {MAX_CHARS:,})")


def check_items(count: int) -> None:
    if count > MAX_ITEMS:
        raise SecurityError(f"a list of {count:,} items is too large (at most {MAX_ITEMS:,})")


def check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise SecurityError(f"a number of {bits:,} bits is too large (at most {MAX_INT_BITS:,})")


def check_format(text: str) -> None:
    for match in _PERCENT.finditer(text):
        for width in match.groups():
            if width == "*":
                raise SecurityError("a '*' field width is not allowed in a format string; write the width")
            if width is not None and int(width) > MAX_WIDTH:
                raise SecurityError(f"a field width of {width} is too large (at most {MAX_WIDTH})")


def checked(fn: Callable[..., Any], guard: Callable[..., None] | None = None) -> Callable[..., Any]:
    """`fn` that refuses a value too large to turn into text, checks `guard(*args)` first and its result after."""
    offset = 1 if hasattr(fn, "jinja_pass_arg") else 0

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > offset and isinstance(args[offset], Iterator):  # map(...) and friends: count what they give
            given = list(args[offset])
            check_items(len(given))
            args = (*args[:offset], given, *args[offset + 1 :])
        limit(size(args[offset]) if len(args) > offset else 0)
        if guard is not None:
            env = getattr(args[0], "environment", args[0]) if offset else None
            guard(env, *args[offset:], **kwargs)
        result = fn(*args, **kwargs)
        if isinstance(result, str):
            limit(len(result))
        return result

    return wrapper


def _center(env: Any, value: Any, width: int = 80) -> None:
    limit(int(width))


def _indent(env: Any, value: Any, width: int | str = 4, *args: Any, **kwargs: Any) -> None:
    text = str(value)
    limit(len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str) else int(width)))


def _replace(env: Any, value: Any, old: Any, new: Any, count: int | None = None) -> None:
    text, old, new = str(value), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    limit(len(text) + found * max(0, len(new) - len(old)))


def _join(env: Any, value: Any, d: str = "", attribute: Any = None) -> None:
    found = list(value)
    check_items(len(found))
    if attribute is not None:
        found = [make_attrgetter(env, attribute)(item) for item in found]
    limit(size(found) + len(str(d)) * len(found))


def _format(env: Any, value: Any, *args: Any, **kwargs: Any) -> None:
    check_format(str(value))
    limit(size(args) + size(kwargs))


def _wordwrap(env: Any, value: Any, width: int = 79, break_long_words: bool = True, wrapstring: str | None = None,
              *args: Any, **kwargs: Any) -> None:  # fmt: skip
    text = str(value)
    limit(len(text) + (len(text) // max(int(width), 1) + 1) * len(wrapstring or "\n"))


def _batch(env: Any, value: Any, linecount: int, *args: Any, **kwargs: Any) -> None:
    check_items(int(linecount))


def _sum(env: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> None:
    values = [make_attrgetter(env, attribute)(i) for i in iterable] if attribute is not None else iterable
    if not all(isinstance(v, (int, float)) for v in [start, *values]):
        raise SecurityError("sum adds numbers only; use join for text")


GUARDS: dict[str, Callable[..., None]] = {
    "center": _center, "indent": _indent, "replace": _replace, "join": _join, "format": _format,
    "wordwrap": _wordwrap, "batch": _batch, "slice": _batch, "sum": _sum,
}  # fmt: skip
