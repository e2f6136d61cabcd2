"""Claude Code's `paths:` globs as the other agents read them (issue 16).

Cursor's `globs:` and Copilot's `applyTo:` are one comma-separated string, so a brace
alternative such as `*.{ts,tsx}` would be cut in two at its comma: it is expanded into one glob
per alternative first. AGENTS.md and GEMINI.md scope by the folder they sit in, so a glob
can be placed only by its literal leading folders.
"""

from __future__ import annotations

import itertools

_WILD = frozenset("*?[{")


def expand(glob: str) -> list[str]:
    """Every alternative of the first brace group with a top-level comma, recursively; else the glob."""
    depth = 0
    start = -1
    commas: list[int] = []
    for index, char in enumerate(glob):
        if char == "{":
            if depth == 0:
                start, commas = index, []
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0 and commas:
                head, tail = glob[:start], glob[index + 1 :]
                cuts = [start, *commas, index]
                options = [glob[a + 1 : b] for a, b in itertools.pairwise(cuts)]
                return [expanded for option in options for expanded in expand(head + option + tail)]
        elif char == "," and depth == 1:
            commas.append(index)
    return [glob]


def flat(globs: tuple[str, ...]) -> tuple[str, ...]:
    """The globs with their braces expanded, without repeats, in order."""
    return tuple(dict.fromkeys(expanded for glob in globs for expanded in expand(glob)))


def comma_list(globs: tuple[str, ...]) -> str:
    return ",".join(flat(globs))


def inexpressible(globs: tuple[str, ...]) -> tuple[str, ...]:
    """Globs a comma-separated list cannot hold (a comma left after expansion, such as `[,]`)."""
    return tuple(glob for glob in flat(globs) if "," in glob)


def folder(glob: str) -> str:
    """The literal folders a glob starts with: `src/api/**/*.py` -> `src/api`; `**/*.py` -> ``."""
    parts = glob.split("/")
    literal: list[str] = []
    for part in parts[:-1]:
        if _WILD & set(part) or part in ("", ".", ".."):
            break
        literal.append(part)
    return "/".join(literal)


def whole_folder(glob: str) -> bool:
    """The glob means everything under its folder (`src/api/**`), so the folder's file says it exactly."""
    base = folder(glob)
    return bool(base) and glob in (f"{base}/**", f"{base}/**/*")
