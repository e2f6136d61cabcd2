"""What Claude Code mishandles in rule files, found before a session pays for it (issue 13).

- Rules without `paths:` load in full in every session: over `token_budget` is an error, naming
  the largest patterns, for `empathy-sync-claude --check` and `empathy doctor` as for a sync.
- A very long rule file: Claude Code loads it whole, and a hook can deliver at most 10,000
  characters of it (attune.rules.index shortens it).
- A glob that matches every file makes a scoped rule global in all but name.
- In any `.claude/rules/**/*.md`, ours or not, the frontmatter forms the pinned client gets wrong
  (tests/e2e/OBSERVED.md): `globs:` (ignored: loads always), an empty `paths:` (loads always), an
  unquoted glob starting with `*` (loads always), frontmatter that is not YAML (never loads).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from attune import paths, safefile
from attune.errors import Problem
from attune.rules import globs as globs_mod

if TYPE_CHECKING:
    from attune.config import Config
    from attune.sync.render import Plan

LONG_CHARS = 40_000  # Claude Code flags memory files past this size as hurting performance
_UNQUOTED_STAR = re.compile(r"^\s*-\s+\*")
_GLOBS_KEY = "`globs:` is not Claude Code's key: this rule loads in every session; write `paths:` with quoted globs"
_EMPTY = "an empty `paths:` loads this rule in every session; list quoted globs or remove the frontmatter"
_UNQUOTED = 'an unquoted glob starting with `*` makes Claude Code load this rule in every session; quote it ("**/*.md")'
_NOT_YAML = (
    "`paths:` is not valid YAML, so Claude Code never loads this rule; close the list or write one quoted glob a line"
)


def lint(root: Path, plan: Plan, config: Config) -> list[Problem]:
    found = [*budget(root, plan, config), *sizes(root, plan), *global_globs(plan)]
    return found + frontmatter(root, plan.output_dir)


def budget(root: Path, plan: Plan, config: Config) -> list[Problem]:
    from attune.sync import rules

    live = [c for c in plan.changes if c.action not in ("remove", "blocked") and c.always]
    total = sum(c.tokens for c in live)
    if total <= config.token_budget:
        return []
    sizes = sorted(
        ((rules.tokens(p.body) + rules.tokens(p.title), p.id, p.file) for c in live if c.rule for p in c.rule.patterns),
        reverse=True,
    )
    largest = ", ".join(f"{pid} in {file} (~{size})" for size, pid, file in sizes[:3])
    return [
        Problem(
            paths.CONFIG_FILE,
            1,
            f"~{total} tokens of rules load in every session, over the token_budget of {config.token_budget}; "
            f"largest: {largest}. Scope them with paths:, shorten them, or raise token_budget",
        )
    ]


def sizes(root: Path, plan: Plan) -> list[Problem]:
    found = []
    for change in plan.changes:
        text = change.new if change.new is not None else change.old
        if text is None or change.action in ("remove", "blocked") or len(text) <= LONG_CHARS:
            continue
        where = paths.relative(plan.output_dir / change.name, root)
        found.append(
            Problem(
                where,
                1,
                _long(len(text)),
                warning=True,
            )
        )
    return found


def global_globs(plan: Plan) -> list[Problem]:
    found = []
    for change in plan.changes:
        if change.rule is None or change.action in ("remove", "blocked"):
            continue
        for glob in change.rule.paths:
            if globs_mod.is_global(glob):
                for pattern in change.rule.patterns:
                    found.append(
                        Problem(
                            pattern.file,
                            pattern.line,
                            f"paths: {glob!r} matches every file, so this scoped rule loads on the first file the "
                            "agent touches; drop paths: (and count it in token_budget) or narrow the glob",
                            warning=True,
                        )
                    )
    return found


def frontmatter(root: Path, ours: Path | None = None) -> list[Problem]:
    """Frontmatter of any rule file under .claude/rules/ that the client reads otherwise than meant,
    and other files than ours (`sizes` checks those) that are very long."""
    found = []
    base = root / ".claude" / "rules"
    for folder, _, names in os.walk(base):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            path = Path(folder) / name
            found.extend(_front(root, path))
            size = path.stat().st_size if path.is_file() else 0
            if size > LONG_CHARS and path.parent != ours:
                found.append(Problem(paths.relative(path, root), 1, _long(size), warning=True))
    return found


def _long(chars: int) -> str:
    return (
        f"{chars:,} characters: Claude Code loads a rule file whole and warns past {LONG_CHARS:,}, and a hook "
        "delivers only its most relevant 10,000. Split it, or scope its parts with paths:"
    )


def _front(root: Path, path: Path) -> list[Problem]:
    # Through the safe reader: a pull request can put a named pipe or a link under .claude/rules/.
    try:
        head = safefile.tail(str(path), 0, 4096)[1].decode("utf-8", "replace")
    except safefile.Refused:
        return []
    if not head.startswith("---\n"):
        return []
    end = head.find("\n---", 3)
    lines = head[4:end].splitlines() if end != -1 else []
    where = paths.relative(path, root)
    found = []
    keys = {line.split(":", 1)[0].strip(): number for number, line in enumerate(lines, 2) if line and line[0] != " "}
    if "globs" in keys and "paths" not in keys:
        found.append(Problem(where, keys["globs"], _GLOBS_KEY, warning=True))
    if "paths" in keys:
        number = keys["paths"]
        value = lines[number - 2].split(":", 1)[1].strip()
        items = [line for line in lines[number - 1 :] if line.startswith((" ", "-"))]
        if not value and not items:
            found.append(Problem(where, number, _EMPTY, warning=True))
        for offset, line in enumerate(items):
            if _UNQUOTED_STAR.match(line):
                found.append(Problem(where, number + 1 + offset, _UNQUOTED, warning=True))
        if value.startswith("[") and not value.endswith("]"):
            found.append(Problem(where, number, _NOT_YAML))
    return found
