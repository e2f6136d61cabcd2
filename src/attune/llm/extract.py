"""`empathy patterns extract`: the bug-pattern wizard over each fix commit since a ref, each draft staged.

It lives in llm, which uses patterns; patterns never imports llm (issue 15).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from attune import config as config_mod
from attune import paths
from attune.errors import UserError
from attune.patterns import store
from attune.patterns.staging import PRIVATE_DIR, STAGING_DIR

_SHA = re.compile(r"\b[0-9a-f]{7,40}\b")
# Files that hold no code: a fix that touches only these (a typo, a pattern's glob) teaches no debugging lesson.
_NOT_CODE = re.compile(
    r"(^|/)(\.empathy|\.claude|docs?)/|\.(md|rst|txt|adoc)$|(^|/)(LICENSE|CHANGELOG|CHANGES|AUTHORS)[^/]*$"
)
_SOURCE_LINE = re.compile(r"(?m)^source:[ \t]*(.*)$")


def extract(*, since: str, offline: bool, root: str | None) -> int:
    from attune import git
    from attune.llm.command import resolve, warn
    from attune.llm.state import State
    from attune.llm.wizards import run as wizard_run
    from attune.llm.wizards.bug_pattern import WIZARD, fix_reasons, inputs_for, stage_draft

    top = paths.project_root(root)
    shas = git.commits_since(top, since)
    if not shas:
        print(f"no commits in {since}..HEAD: nothing to extract", file=sys.stderr)
        return 0
    settings = resolve(top)
    warn(settings.warnings)
    recorded = sources(top)
    failed = 0
    shown: set[str] = set()
    with contextlib.ExitStack() as stack:
        state = None
        if not offline:
            # One cache for every commit; when it cannot open, each draft falls back offline and says why.
            with contextlib.suppress(UserError):
                state = stack.enter_context(State())
        for sha in shas:
            commit = git.read_commit(top, sha)
            line = f"{sha[:12]} {_one_line(commit.subject)}"
            reasons = fix_reasons(f"{commit.subject}\n{commit.body}", commit.diff)
            where = _recorded_in(recorded, sha)
            if not reasons:
                print(f"{line}: skipped, not a bug fix")
                continue
            if all(_NOT_CODE.search(name) for name in commit.files):
                print(f"{line}: skipped, it changes no code (documentation or the pattern library only)")
                continue
            if where is not None:
                print(f"{line}: skipped, already in {where}")
                continue
            inputs = inputs_for(commit)
            if offline:
                result = wizard_run.offline(WIZARD, inputs, [])
            else:
                result = wizard_run.produce(top, settings, WIZARD, inputs, state=state)
            for note in result.notes:
                if note not in shown:  # "no API key" once, not once a commit
                    shown.add(note)
                    print(f"empathy: {note}", file=sys.stderr)
            try:
                target = stage_draft(top, result.output, sha)
            except UserError as exc:  # a refused write (a secret in the draft, say): the others still go ahead
                print(f"{line}: not staged, {exc}")
                failed += 1
                continue
            recorded.append((sha, target.relative_to(top).as_posix()))
            how = "offline draft" if result.output["offline"] else f"drafted by {result.output['model']}"
            print(f"{line}: staged {target.stem} ({how}; {reasons[0]})")
    return 1 if failed else 0


def sources(root: Path) -> list[tuple[str, str]]:
    """(commit id or abbreviation, file) for every commit named as a `source` in the library, in staging,
    in the private area (SENSITIVE patterns) or among rejected drafts: a rejected draft must not come back."""
    found: list[tuple[str, str]] = []
    library = store.load_library(root, config_mod.load(root))
    for pattern in library.patterns:
        found.extend((sha, pattern.file) for sha in _commit_ids([pattern.source or ""]))
    # Drafts are read as text: one a person is still editing may not parse, and must still count.
    drafts = [*(root / STAGING_DIR).glob("*.md"), *(root / PRIVATE_DIR).rglob("*.md")]
    for path in sorted(drafts):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        rel = path.relative_to(root).as_posix()
        found.extend((sha, rel) for sha in _commit_ids(_SOURCE_LINE.findall(text)))
    return found


def _commit_ids(values: Iterable[str]) -> list[str]:
    """Commit ids in a source: a sha, an abbreviation, or a URL that ends in one (.../commit/<sha>)."""
    return [match.lower() for value in values for match in _SHA.findall(value.lower())]


def _recorded_in(recorded: list[tuple[str, str]], sha: str) -> str | None:
    return next((where for known, where in recorded if sha.startswith(known)), None)


def _one_line(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
