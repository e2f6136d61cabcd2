"""Which commits the library already learned from: every `source:` in the library, staging, private and rejected drafts.

`patterns extract` and `wizard run bug-pattern` both consult it, so a commit staged by one is
never staged again by the other (issue 15).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from attune import config as config_mod
from attune import safefile
from attune.patterns import store
from attune.patterns.staging import PRIVATE_DIR, STAGING_DIR

_SHA = re.compile(r"\b[0-9a-f]{7,40}\b")
_SOURCE_LINE = re.compile(r"(?m)^source:[ \t]*(.*)$")


_DRAFT_LIMIT = 16 * 1024 * 1024  # a draft larger than this is not a draft anyone wrote


def recorded(root: Path) -> list[tuple[str, str]]:
    """(commit id or abbreviation, file) for every commit named as a `source` in the library, in staging,
    in the private area (SENSITIVE patterns) or among rejected drafts: a rejected draft must not come back."""
    found: list[tuple[str, str]] = []
    library = store.load_library(root, config_mod.load(root))
    for pattern in library.patterns:
        found.extend((sha, pattern.file) for sha in _commit_ids([pattern.source or ""]))
    # Drafts are read as text: one a person is still editing may not parse, and must still count.
    drafts = [*(root / STAGING_DIR).glob("*.md"), *(root / PRIVATE_DIR).rglob("*.md")]
    for path in sorted(drafts):
        # Through the safe reader: a pull request can put a link or a named pipe among the drafts.
        text = safefile.text(str(path), _DRAFT_LIMIT)
        if text is None:
            continue
        rel = path.relative_to(root).as_posix()
        found.extend((sha, rel) for sha in _commit_ids(_SOURCE_LINE.findall(text)))
    return found


def _commit_ids(values: Iterable[str]) -> list[str]:
    """Commit ids in a source: a sha, an abbreviation, or a URL that ends in one (.../commit/<sha>)."""
    return [match.lower() for value in values for match in _SHA.findall(value.lower())]


def recorded_in(recorded: list[tuple[str, str]], sha: str) -> str | None:
    return next((where for known, where in recorded if sha.startswith(known)), None)
