"""Claude Code's rule globs (`paths:` frontmatter) as regular expressions: which globs apply to a path.

Globs are relative to the project root: `*` stays within one folder, `**` crosses any number,
`?` is one character, `[...]` a class and `{a,b}` alternatives (issue 13: `rules_for_path`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


@functools.lru_cache(maxsize=4096)
def compile_glob(glob: str) -> re.Pattern[str]:
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := glob.find("]", i + 2)) != -1:
            inner = glob[i + 1 : end]
            inner = "^" + inner[1:] if inner.startswith("!") else inner
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char == "}" and depth:
            depth -= 1
            out.append(")")
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(char))
        i += 1
    out.append(")" * depth)
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error:
        return re.compile(re.escape(glob) + r"\Z")


def normalise(path: str) -> str:
    """A path as globs see it: forward slashes, no leading `./` or `/`."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def first_match(globs: Iterable[str], path: str) -> str | None:
    """The first of `globs` that matches `path` (relative to the root), or None."""
    path = normalise(path)
    for glob in globs:
        if glob and compile_glob(normalise(glob)).match(path):
            return glob
    return None
