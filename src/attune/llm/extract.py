"""`empathy patterns extract`: the bug-pattern wizard over each fix commit since a ref, each draft staged.

It lives in llm, which uses patterns; patterns never imports llm (issue 15).
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import TextIO

from attune import paths, progress
from attune.errors import UserError
from attune.patterns import sources

# Files that hold no code: a fix that touches only these (a typo, a pattern's glob) teaches no debugging lesson.
_NOT_CODE = re.compile(
    r"(^|/)(\.empathy|\.claude|docs?)/|\.(md|rst|txt|adoc)$|(^|/)(LICENSE|CHANGELOG|CHANGES|AUTHORS)[^/]*$"
)


def extract(*, since: str, offline: bool, root: str | None, quiet: bool = False) -> int:
    from attune import git
    from attune.llm.command import resolve, warn
    from attune.llm.state import State
    from attune.llm.wizards import run as wizard_run
    from attune.llm.wizards.base import narrow
    from attune.llm.wizards.bug_pattern import WIZARD, BugPatternDraft, fix_reasons, inputs_for, stage_draft

    top = paths.project_root(root)
    shas = git.commits_since(top, since)
    if not shas:
        print(f"no commits in {since}..HEAD: nothing to extract", file=sys.stderr)
        return 0
    settings = resolve(top)
    warn(settings.warnings)
    recorded = sources.recorded(top)
    steps = progress.Progress("extracting", len(shas), unit="commits", quiet=quiet)  # on a terminal only (issue 15)

    def show(line: str, stream: TextIO = sys.stdout) -> None:
        steps.finish()  # the progress line is erased first, so this one starts on a clean line
        print(line, file=stream)

    failed = 0
    shown: set[str] = set()
    with contextlib.ExitStack() as stack:
        state = None
        if not offline:
            # One cache for every commit; when it cannot open, each draft falls back offline and says why.
            with contextlib.suppress(UserError):
                state = stack.enter_context(State())
        for sha in steps.over(shas):
            commit = git.read_commit(top, sha)
            line = f"{sha[:12]} {_one_line(commit.subject)}"
            reasons = fix_reasons(f"{commit.subject}\n{commit.body}", commit.diff)
            where = sources.recorded_in(recorded, sha)
            if not reasons:
                show(f"{line}: skipped, not a bug fix")
                continue
            if all(_NOT_CODE.search(name) for name in commit.files):
                show(f"{line}: skipped, it changes no code (documentation or the pattern library only)")
                continue
            if where is not None:
                show(f"{line}: skipped, already in {where}")
                continue
            inputs = inputs_for(commit)
            if offline:
                result = wizard_run.offline(WIZARD, inputs, [])
            else:
                result = wizard_run.produce(top, settings, WIZARD, inputs, state=state)
            for note in result.notes:
                if note not in shown:  # "no API key" once, not once a commit
                    shown.add(note)
                    show(f"empathy: {note}", sys.stderr)
            try:
                target = stage_draft(top, narrow(BugPatternDraft, result.draft), result.source, sha)
            except UserError as exc:  # a refused write (a secret in the draft, say): the others still go ahead
                show(f"{line}: not staged, {exc}")
                failed += 1
                continue
            recorded.append((sha, target.relative_to(top).as_posix()))
            how = "offline draft" if result.source.offline else f"drafted by {result.source.model}"
            show(f"{line}: staged {target.stem} ({how}; {reasons[0]})")
    return 1 if failed else 0


def _one_line(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
