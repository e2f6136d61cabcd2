"""What may reach a rule file: source names that cannot end its marker comment, and no secrets.

A pattern that fails is held back the way a malformed one is: its file counts as broken, so rule
files built from it keep their previous content, and `sync --check` fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from attune.errors import Problem
from attune.patterns.model import Pattern


def unsafe_names(patterns: Iterable[Pattern]) -> dict[str, Problem]:
    """Source files whose names would break out of the `<!-- ... -->` marker that lists them (issue 11)."""
    found: dict[str, Problem] = {}
    for pattern in patterns:
        name = pattern.file
        if name in found or safe_name(name):
            continue
        shown = name.encode("unicode_escape").decode("ascii")  # the report stays on one line
        found[name] = Problem(
            shown, 1,
            "the file name has a control character, '--' or '>', which would end the rule file's marker "
            "comment and turn the rest into rule text; rename the file",
        )  # fmt: skip
    return found


def safe_name(name: str) -> bool:
    """No control or format character (str.isprintable), and nothing that closes an HTML comment."""
    return name.isprintable() and "--" not in name and ">" not in name


def secrets(root: Path, patterns: Iterable[Pattern]) -> dict[str, list[Problem]]:
    """Pattern files that hold a secret, each with its findings as `path:line: type (masked)` (issue 10).

    The text a rule file can show (title, body, globs, tags, source) goes through the scanner's
    cheap prefilter; only a file with a candidate in it is scanned whole, for the file's own lines.
    """
    from attune.scan import has_candidate, scan_text

    candidates = sorted({p.file for p in patterns if has_candidate(_shown(p))})
    found: dict[str, list[Problem]] = {}
    for rel in candidates:
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # the store reported it already
        for finding in scan_text(text, rel, secrets=True, pii=False):
            found.setdefault(rel, []).append(Problem(
                rel, finding.line,
                f"{finding.type} ({finding.masked}): a secret would reach every session's rules; remove it "
                "from the pattern (the sync keeps this file's rules as they were)",
            ))  # fmt: skip
    return found


def _shown(pattern: Pattern) -> str:
    return "\n".join((pattern.id, pattern.title, *pattern.paths, *pattern.tags, pattern.source or "", pattern.body))
