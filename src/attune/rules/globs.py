"""Claude Code's `paths:` globs as regular expressions, matched the way the pinned client matches them.

Observed on the real CLI (tests/e2e/OBSERVED.md): globs are relative to the project root, braces
expand, a trailing `/**` means the folder's contents, and a glob without a slash matches the file
name at any depth (`*.py` matched `src/app.py`). A folder matches everything under it.
Standard library only: this runs on the hook path (issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(glob: str) -> list[str]:
    """`src/*.{py,pyi}` -> `src/*.py`, `src/*.pyi`; nested braces expand from the inside out."""
    found = _BRACES.search(glob)
    if found is None or "," not in found.group(1):
        return [glob]
    head, tail = glob[: found.start()], glob[found.end() :]
    return list(dict.fromkeys(g for choice in found.group(1).split(",") for g in expand(head + choice + tail)))


def to_regex(glob: str) -> str:
    """One glob (braces already expanded) as an anchored regular expression over a relative path."""
    text = glob.strip()
    anchored = "/" in text.rstrip("/")
    text = text.lstrip("/").rstrip("/")
    while text.endswith("/**"):
        text = text[:-3]
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[" and "]" in text[i + 2 :]:
            end = text.index("]", i + 2)
            inner = text[i + 1 : end]
            out.append("[" + ("^" + inner[1:] if inner.startswith("!") else inner).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return "^" + prefix + "".join(out) + "(?:/.*)?$"


def literal_prefix(glob: str) -> str:
    """The part of an anchored glob before its first wildcard: a path that lacks it cannot match."""
    text = glob.strip()
    if "/" not in text.rstrip("/"):
        return ""
    text = text.lstrip("/")
    cut = min((text.find(c) for c in "*?[" if c in text), default=len(text))
    return text[:cut]


def compile_globs(globs: list[str]) -> list[tuple[str, str, str]]:
    """(glob as written, its regular expression, its literal prefix) for each expanded glob."""
    return [(glob, to_regex(one), literal_prefix(one)) for glob in globs for one in expand(glob)]


def match(relative: str, compiled: list[tuple[str, str, str]]) -> str | None:
    """The first glob (as written) that `relative` (a path under the root, with `/`) matches."""
    for glob, regex, prefix in compiled:
        if relative.startswith(prefix) and re.match(regex, relative):
            return glob
    return None


def is_global(glob: str) -> bool:
    """A glob that matches every file, so its rule might as well have no `paths:` at all."""
    probes = ("a", "x/y/z.txt", ".hidden", "README")
    return any(all(re.match(to_regex(one), probe) for probe in probes) for one in expand(glob))


def normalise(path: str) -> str:
    """A path as globs see it: forward slashes, no leading `./` or `/`."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def first_match(globs: Iterable[str], path: str) -> str | None:
    """The first of `globs` (as written) that matches `path`, relative to the root, or None (issue 13: the MCP
    server's `rules_for_path` and search filter match as the client does, through this one matcher)."""
    return match(normalise(path), compile_globs([normalise(g) for g in globs if g]))
