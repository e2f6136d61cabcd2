"""Checks on the parts of a pattern that reach Claude Code: its globs and its body text."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple


class Finding(NamedTuple):
    offset: int  # line offset inside the checked text (0 for a glob)
    message: str
    warning: bool


# `empathy patterns new` marks what the author still has to write with this comment.
PLACEHOLDER = "<!-- fill in:"
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_PARTIAL_DOUBLE_STAR = re.compile(r"[^/]\*\*|\*\*[^/]")


@functools.lru_cache(maxsize=1024)  # a library repeats its scopes: most globs are checked once
def check_glob(glob: str) -> tuple[Finding, ...]:
    """What Claude Code would do wrong with this `paths:` glob, and how to fix it."""
    return tuple(_glob_findings(glob))


def _glob_findings(glob: str) -> list[Finding]:
    found: list[Finding] = []

    def error(message: str) -> None:
        found.append(Finding(0, f"glob {glob!r}: {message}", warning=False))

    if not glob.strip():
        error("is empty; remove it")
        return found
    if glob != glob.strip():
        error("has spaces at an end; remove them")
    if glob.startswith("/") or glob.startswith("~") or _DRIVE.match(glob):
        error("is absolute; globs are relative to the repository root, e.g. 'src/**/*.py'")
    if "\\" in glob:
        error("uses '\\'; separate directories with '/'")
    if glob.startswith("./"):
        error("starts with './'; drop it, globs are already relative to the repository root")
    if ".." in glob.split("/"):
        error("uses '..'; a rule can only match files inside the repository")
    if glob.endswith("/"):
        error(f"ends with '/' and matches no file; use '{glob}**'")
    brackets = _bracket_problem(glob)
    if brackets:
        error(brackets)
    if _PARTIAL_DOUBLE_STAR.search(glob):
        found.append(
            Finding(0, f"glob {glob!r}: '**' spans directories only as a whole path segment, "
                    "as in 'src/**/*.py'; here it acts like '*'", warning=True)
        )  # fmt: skip
    return found


def _bracket_problem(glob: str) -> str | None:
    depth = 0
    index = 0
    while index < len(glob):
        char = glob[index]
        if char == "[":
            close = glob.find("]", index + 2 if glob[index + 1 : index + 2] in ("!", "^") else index + 1)
            if close == -1:
                return (
                    "has a '[' with no closing ']'; Claude Code reads '[' as a character class "
                    "(write '[[]' for a literal '[')"
                )
            index = close
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return "has a '}' with no opening '{'"
        index += 1
    if depth:
        return "has a '{' with no closing '}'; braces list alternatives, as in '**/*.{ts,tsx}'"
    return None


# Text that tries to steer the model away from its instructions. A rule is loaded as trusted
# project instructions, so such text in a pattern would be a prompt injection carried into
# every matching session. Each expression names the instruction being overridden, so that
# "don't ignore the linter's rules" stays quiet. Expressions run on the lowercased body (far
# cheaper than re.IGNORECASE), and only when one of their words is there: a regex that starts
# with \b gets no literal-prefix speed-up and costs about 15 us on a typical body.
_INJECTION_SOURCES = (
    (
        ("ignore", "disregard", "forget", "override", "bypass"),
        r"\b(ignore|disregard|forget|override|bypass)\b[\w\s,']{0,30}?"
        r"\b(previous|prior|above|earlier|preceding|system|original|all other|your)\s+"
        r"(instructions|prompts?|rules|directions|guidelines|messages|context)\b",
    ),
    (
        ("ignore", "disregard", "forget"),
        r"\b(ignore|disregard|forget)\s+(everything|all)\s+(above|before|previously|you\s+(were|have\s+been)\s+told)\b",
    ),
    (("now",), r"\byou\s+are\s+now\s+(a|an|in|no\s+longer)\b"),
    (("system",), r"\b(new|updated|real)\s+system\s+(prompt|instructions)\b"),
    (("user",), r"\bdo\s+not\s+(tell|inform|alert|show)\s+the\s+user\b"),
    (
        ("system", "instructions"),
        r"\b(reveal|print|repeat|output|leak)\b[\w\s]{0,20}\b(system\s+prompt|your\s+instructions)\b",
    ),
    (("<",), r"</?\s*(system|instructions)\s*>"),
)


_TRIGGER_WORDS = frozenset(word for words, _ in _INJECTION_SOURCES for word in words)


@functools.cache
def _injection() -> tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]:
    """Compiled on first use: a sync that finds every file in its cache never needs them."""
    return tuple((words, re.compile(expression)) for words, expression in _INJECTION_SOURCES)


def check_body(body: str, category: str) -> list[Finding]:
    found: list[Finding] = []
    if not body.strip():
        found.append(Finding(0, "the body is empty: the rule would carry only the title", warning=True))
        return found
    lowered = body.lower()
    flagged: set[int] = set()
    present = {word for word in _TRIGGER_WORDS if word in lowered}
    for words, expression in _injection() if present else ():
        if not present.isdisjoint(words):
            for match in expression.finditer(lowered):
                offset = lowered.count("\n", 0, match.start())
                if offset not in flagged:
                    flagged.add(offset)
                    found.append(
                        Finding(offset, f"the body tells the model to set aside its instructions "
                                f"({match.group(0)!r}); rules are loaded as trusted guidance, so "
                                "reword it as advice about the code", warning=True)
                    )  # fmt: skip
    placeholder = body.find(PLACEHOLDER)
    if placeholder != -1:
        offset = body.count("\n", 0, placeholder)
        # An error, not a warning: a half-written pattern must never reach the rules (issue 15).
        message = (
            "the body still holds placeholder text from `empathy patterns new`; "
            "replace every `<!-- fill in: ... -->` before the pattern can be synced"
        )
        found.append(Finding(offset, message, warning=False))
    if category == "debugging":
        missing = [part for part in ("error", "cause", "fix") if part not in lowered]
        if missing:
            found.append(
                Finding(0, "a debugging pattern's body should give the error as seen, the root cause "
                        f"and the fix (missing: {', '.join(missing)})", warning=True)
            )  # fmt: skip
    return sorted(found)
