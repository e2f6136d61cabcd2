"""bug-pattern: a fix commit to a staged debugging pattern; offline, a draft from the message and diff."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple, cast

from attune.git import Commit
from attune.llm.wizards import diff
from attune.llm.wizards.base import Argument, Inputs, Source, clip, number, strings, text, texts, wizard

_FIX_WORDS = re.compile(r"\b(fix(es|ed)?|bug(fix)?|hotfix|regression|crash(es|ed)?|resolves? #\d+)\b", re.IGNORECASE)
_ERROR_LINE = re.compile(
    r"(\b\w*(Error|Exception)\b[:(].*|Traceback \(most recent call last\).*|\bpanic: .*|FAILED .*)"
)
_CODE_LINE = re.compile(r"\b(raise|throw)\b|^\s*[+-]")  # a quoted line of code or diff, not an error seen
_ISSUE_FIXED = re.compile(r"\b(fix(es|ed)?|resolve[sd]?)\s+(\w[\w.-]*/[\w.-]+)?#\d+", re.IGNORECASE)
# Weaker evidence: a symptom in the subject counts only with a change in the diff that looks like a fix.
_SYMPTOM = re.compile(
    r"(\b\w+(Error|Exception)\b|\b(prevent[sd]?|avoid[sd]?|guard|broken|wrong|incorrect|missing|"
    r"fail(s|ed|ing|ure)?|leak[sd]?|race|deadlock|hang[sd]?|overflow|off-by-one)\b)",
    re.IGNORECASE,
)
_GUARD = re.compile(
    r"(^\s*except\b|\bcatch\s*\(|\bis (not )?None\b|[!=]==? ?(null|undefined|nil)\b|\?\.|^\s*rescue\b|"
    r"\brecover\(\)|\bif not \w)"
)
_TEST_FILE = re.compile(r"(^|/)(tests?|spec|__tests__)/|(^|/)test_[^/]*$|_test\.\w+$|\.(spec|test)\.\w+$")
_TEST_DEF = re.compile(r"^\s*(async\s+)?(def test_|func Test|(it|test|describe)\s*\()")
_PREFIX = re.compile(r"^\s*(fix(es|ed)?|bug(fix)?|hotfix)(\([^)]*\))?\s*[:!-]?\s*", re.IGNORECASE)
_LANGUAGES = {".py": "python", ".js": "javascript", ".ts": "typescript", ".tsx": "typescript", ".go": "go",
              ".rs": "rust", ".java": "java", ".rb": "ruby", ".sql": "sql", ".sh": "shell"}  # fmt: skip

SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "description": "what goes wrong, in under 80 characters"},
        "error": {"type": "string", "description": "the error exactly as a developer would see it"},
        "root_cause": {"type": "string"},
        "fix": {"type": "string", "description": "what to do, and what not to do"},
        "paths": {"type": "array", "items": {"type": "string"}, "description": "globs of the files it applies to"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "confidence": {"type": "number", "description": "0 to 1: how sure you are this is a reusable lesson"},
    },
    "required": ["title", "error", "root_cause", "fix", "paths", "tags", "confidence"],
    "additionalProperties": False,
}


class BugPatternDraft(NamedTuple):
    """A debugging pattern drafted from a fix commit; the fields of SCHEMA, in its order."""

    title: str
    error: str
    root_cause: str
    fix: str
    paths: tuple[str, ...]  # globs
    tags: tuple[str, ...]
    confidence: float  # 0 to 1, as the model wrote it (an int stays an int in --json)


def parse(output: Mapping[str, object]) -> BugPatternDraft:
    return BugPatternDraft(
        text(output["title"]), text(output["error"]), text(output["root_cause"]), text(output["fix"]),
        texts(output["paths"]), texts(output["tags"]), number(output["confidence"]),
    )  # fmt: skip


def is_fix_commit(message: str, patch: str = "") -> bool:
    """Whether a commit fixes a bug, by its message and, when given, its diff (see `fix_reasons`)."""
    return bool(fix_reasons(message, patch))


def fix_reasons(message: str, patch: str = "") -> list[str]:
    """Why a commit looks like a bug fix; empty when it does not.

    The subject's usual words (fix, bug, hotfix, regression, crash) or a fixed issue anywhere in
    the message are enough. So is an error quoted in the body. A symptom in the subject (an
    exception name, "missing key", "prevent double submit") counts only when the diff also adds
    a guard (an except, a null check) or a test next to a code change.
    """
    subject, _, body = message.partition("\n")
    reasons = []
    if _FIX_WORDS.search(subject):
        reasons.append("its subject says it fixes a bug")
    elif _ISSUE_FIXED.search(message):
        reasons.append("its message says it fixes an issue")
    if _ERROR_LINE.search(body):
        reasons.append("its message quotes an error")
    if patch and _SYMPTOM.search(subject):
        from attune.llm.wizards import diff

        changes = diff.parse(patch)
        code = [c for c in changes if not _TEST_FILE.search(c.path)]
        tests = [c for c in changes if _TEST_FILE.search(c.path)]
        if any(_GUARD.search(text) for c in code for _, text in c.added):
            reasons.append("its subject names a symptom and the diff adds a guard")
        if code and any(_TEST_DEF.search(text) for c in tests for _, text in c.added):
            reasons.append("its subject names a symptom and the diff adds a test next to the code change")
    return reasons


def _gather(root: Path, commit: str | None) -> Inputs:
    from attune import git
    from attune.errors import UserError
    from attune.patterns import sources

    found = git.read_commit(root, commit or "HEAD")
    where = sources.recorded_in(sources.recorded(root), found.sha)
    if where is not None:  # as `patterns extract` skips it: one commit, one draft (issue 15)
        raise UserError(f"bug-pattern: commit {found.sha[:12]} is already the source of {where}; "
                        "review that draft (or reject it) instead of drafting it again")  # fmt: skip
    return inputs_for(found)


def inputs_for(commit: Commit) -> Inputs:
    """The wizard's inputs for a commit already read (`patterns extract` reads each commit once)."""
    context = {"sha": commit.sha[:12], "subject": commit.subject, "body": commit.body, "files": list(commit.files),
               "diff": clip(commit.diff)}  # fmt: skip
    return Inputs(context, commit, f"commit {commit.sha[:12]}")


def _commit(inputs: Inputs) -> Commit:
    return cast("Commit", inputs.data)


def check(draft: BugPatternDraft, inputs: Inputs) -> list[str]:
    from attune.patterns.checks import check_glob

    required = {"title": draft.title, "error": draft.error, "root_cause": draft.root_cause, "fix": draft.fix}
    problems = [f"$.{key}: empty" for key, value in required.items() if not value.strip()]
    if len(draft.title) > 100:
        problems.append("$.title: longer than 100 characters")
    if not 0 <= draft.confidence <= 1:
        problems.append(f"$.confidence: {draft.confidence} is not between 0 and 1")
    for index, glob in enumerate(draft.paths):
        problems.extend(f"$.paths[{index}]: {f.message}" for f in check_glob(glob) if not f.warning)
    return problems


def offline(inputs: Inputs) -> BugPatternDraft:
    commit = _commit(inputs)
    # The error as seen is quoted in the message, or named in the subject; the diff holds the new code
    # (a `raise` it adds is the fix, not the symptom), so it is never where the error comes from (issue 15).
    subject = _PREFIX.sub("", commit.subject).strip().rstrip(".")
    quoted = (
        found.group(0).strip()
        for line in commit.body.splitlines()
        if (found := _ERROR_LINE.search(line)) and not _CODE_LINE.search(line)
    )
    error = next(quoted, subject or commit.subject)
    # The first paragraph of the message that is not the error itself says why, when anything does.
    prose = [line for line in commit.body.splitlines() if not _ERROR_LINE.search(line)]
    paragraphs = [p.strip() for p in "\n".join(prose).split("\n\n") if p.strip()]
    cause = paragraphs[0] if paragraphs else "Not stated in the commit message: read the change and fill this in."
    changed = ", ".join(f"`{name}`" for name in commit.files[:5]) + (" and more" if len(commit.files) > 5 else "")
    fix = f"What commit {commit.sha[:10]} changed in {changed}:\n\n```diff\n{_excerpt(commit.diff)}\n```"
    return BugPatternDraft(
        title=_title(subject) or commit.subject, error=error[:300], root_cause=cause, fix=fix,
        paths=_globs(commit.files), tags=_tags(commit.files), confidence=0.3,
    )  # fmt: skip


def _title(subject: str, limit: int = 100) -> str:
    """The subject as a title: its first letter raised, every other capital kept (KeyError stays KeyError),
    cut at a word's end."""
    title = subject[:1].upper() + subject[1:]
    if len(title) > limit:
        cut = title.rfind(" ", 0, limit)
        title = title[: cut if cut > 0 else limit].rstrip(" ,;:-")
    return title


def apply(root: Path, draft: BugPatternDraft, source: Source, inputs: Inputs) -> list[str]:
    target = stage_draft(root, draft, source, _commit(inputs).sha)
    return [f"staged {target.relative_to(root).as_posix()}: review it before it joins the library"]


def stage_draft(root: Path, draft: BugPatternDraft, source: Source, sha: str) -> Path:
    """Write the draft into `.empathy/staging/` under a free id, with commit `sha` as its source."""
    from attune.patterns.staging import free_id, stage_pattern
    from attune.scan import scrub

    pattern_id = free_id(root, draft.title)
    note = f"<!-- drafted offline from commit {sha[:12]}: check every line -->\n\n" if source.offline else ""
    body = f"{note}**Error:** {draft.error}\n\n**Root cause:** {draft.root_cause}\n\n**Fix:** {draft.fix}"
    return stage_pattern(
        root, pattern_id=pattern_id, title=draft.title, category="debugging", body=scrub(body).text,
        source=sha, globs=strings(draft.paths, 5), tags=strings(draft.tags, 6), confidence=float(draft.confidence),
    )  # fmt: skip


def show(draft: BugPatternDraft) -> str:
    scope = ", ".join(draft.paths) or "everywhere"
    return "\n".join([
        f"title: {draft.title}", f"paths: {scope}", f"error: {draft.error}",
        f"root cause: {draft.root_cause}", f"fix: {draft.fix}", f"confidence: {draft.confidence}",
    ])  # fmt: skip


def _excerpt(patch: str, limit: int = 15) -> str:
    lines = [line for line in patch.splitlines() if line.startswith(("+", "-", "@@"))]
    hunks = [line for line in lines if not line.startswith(("+++", "---"))]
    files = len(diff.parse(patch))
    more = f"\n... ({len(hunks) - limit} more lines in {files} file(s))" if len(hunks) > limit else ""
    return "\n".join(hunks[:limit]) + more


def _globs(files: tuple[str, ...]) -> tuple[str, ...]:
    if len(files) <= 3:
        return files
    folders = sorted({name.rsplit("/", 1)[0] for name in files if "/" in name})
    return tuple(f"{folder}/**" for folder in folders[:5]) or files[:5]


def _tags(files: tuple[str, ...]) -> tuple[str, ...]:
    found = {_LANGUAGES[Path(name).suffix] for name in files if Path(name).suffix in _LANGUAGES}
    found |= {name.split("/", 1)[0] for name in files if "/" in name}
    return tuple(sorted(found)[:6])


WIZARD = wizard(
    BugPatternDraft,
    name="bug-pattern",
    summary="turn a fix commit into a staged debugging pattern (error, root cause, fix, paths)",
    task="fix_bug",
    start_low=True,  # drafting from a commit is mostly summarizing; escalate if the draft fails its checks
    schema=SCHEMA,
    prompt_version="1",
    argument=Argument("commit", "COMMIT", "the fix commit (default HEAD)", default="HEAD"),
    gather=_gather,
    parse=parse,
    check=check,
    offline=offline,
    show=show,
    apply=apply,
)
