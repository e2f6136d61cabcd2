"""`targets:` in .empathy/config.yaml: which agents' instruction files the sync writes (issue 16)."""

from __future__ import annotations

from collections.abc import Callable

from attune.yamlio import KeyPath

# Every target the sync knows, in the order it reports them; `claude` is .claude/rules/ (the default).
NAMES = ("claude", "agents-md", "cursor", "copilot", "gemini")
DEFAULT = ("claude",)

_Reporter = Callable[[KeyPath, str], None]


def parse(value: object, problem: _Reporter) -> tuple[str, ...]:
    """A name or a list of names; an unknown or repeated one is reported and left out."""
    if value is None:
        return DEFAULT
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        problem(
            ("targets",),
            f"targets must be a list of agents to write for, e.g. [claude, cursor]; known: {', '.join(NAMES)}",
        )
        return DEFAULT
    found: list[str] = []
    for item in items:
        if not isinstance(item, str) or item not in NAMES:
            problem(("targets",), f"unknown target {item!r} in targets (known: {', '.join(NAMES)})")
        elif item not in found:
            found.append(item)
    return tuple(sorted(found, key=NAMES.index)) or DEFAULT


def split(text: str) -> tuple[str, ...]:
    """`--targets claude,cursor` (commas or spaces) as names; an unknown name is a ValueError naming it."""
    names = [name for name in text.replace(",", " ").split() if name]
    unknown = [name for name in names if name not in NAMES]
    if unknown or not names:
        raise ValueError(f"unknown target {unknown[0]!r}" if unknown else "no target named")
    return tuple(sorted(dict.fromkeys(names), key=NAMES.index))
