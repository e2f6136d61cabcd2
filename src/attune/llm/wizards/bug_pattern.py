"""bug-pattern: a fix commit to a staged debugging pattern; offline, a draft from the message and diff."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import cast

from attune.git import Commit
from attune.llm.wizards import diff
from attune.llm.wizards.base import Inputs, Output, Wizard, clip, strings

_FIX_WORDS = re.compile(r"\b(fix(es|ed)?|bug(fix)?|hotfix|regression|crash(es|ed)?|resolves? #\d+)\b", re.IGNORECASE)
_ERROR_LINE = re.compile(
    r"(\b\w*(Error|Exception)\b[:(].*|Traceback \(most recent call last\).*|\bpanic: .*|FAILED .*)"
)
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


def is_fix_commit(message: str) -> bool:
    """Whether a commit message says it fixes a bug (its subject line, by the usual words)."""
    return bool(_FIX_WORDS.search(message.partition("\n")[0]))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("commit", nargs="?", default="HEAD", metavar="COMMIT", help="the fix commit (default HEAD)")


def _gather(root: Path, args: argparse.Namespace) -> Inputs:
    from attune import git

    commit = git.read_commit(root, args.commit)
    context = {"sha": commit.sha[:12], "subject": commit.subject, "body": commit.body, "files": list(commit.files),
               "diff": clip(commit.diff)}  # fmt: skip
    return Inputs(context, commit, f"commit {commit.sha[:12]}")


def _commit(inputs: Inputs) -> Commit:
    return cast("Commit", inputs.data)


def check(output: Output, inputs: Inputs) -> list[str]:
    from attune.patterns.checks import check_glob

    problems = [f"$.{key}: empty" for key in ("title", "error", "root_cause", "fix") if not output[key].strip()]
    if len(output["title"]) > 100:
        problems.append("$.title: longer than 100 characters")
    if not 0 <= output["confidence"] <= 1:
        problems.append(f"$.confidence: {output['confidence']} is not between 0 and 1")
    for index, glob in enumerate(output["paths"]):
        problems.extend(f"$.paths[{index}]: {f.message}" for f in check_glob(glob) if not f.warning)
    return problems


def offline(inputs: Inputs) -> Output:
    commit = _commit(inputs)
    text = f"{commit.body}\n{commit.diff}"
    error = next((m.group(0).strip() for m in _ERROR_LINE.finditer(text)), commit.subject)
    # The first paragraph of the message that is not the error itself says why, when anything does.
    prose = [line for line in commit.body.splitlines() if not _ERROR_LINE.search(line)]
    paragraphs = [p.strip() for p in "\n".join(prose).split("\n\n") if p.strip()]
    cause = paragraphs[0] if paragraphs else "Not stated in the commit message: read the change and fill this in."
    changed = ", ".join(f"`{name}`" for name in commit.files[:5]) + (" and more" if len(commit.files) > 5 else "")
    fix = f"What commit {commit.sha[:10]} changed in {changed}:\n\n```diff\n{_excerpt(commit.diff)}\n```"
    return {
        "title": _PREFIX.sub("", commit.subject).strip().rstrip(".").capitalize()[:100] or commit.subject,
        "error": error[:300], "root_cause": cause, "fix": fix, "paths": _globs(commit.files),
        "tags": _tags(commit.files), "confidence": 0.3,
    }  # fmt: skip


def apply(root: Path, output: Output, inputs: Inputs) -> list[str]:
    from attune.patterns.command import slugify
    from attune.patterns.staging import stage_pattern, taken_ids
    from attune.scan import scrub

    taken = taken_ids(root)
    base = slugify(output["title"])
    pattern_id, number = base, 1
    while pattern_id in taken:
        number += 1
        pattern_id = f"{base}-{number}"
    sha = _commit(inputs).sha
    note = f"<!-- drafted offline from commit {sha[:12]}: check every line -->\n\n" if output.get("offline") else ""
    body = f"{note}**Error:** {output['error']}\n\n**Root cause:** {output['root_cause']}\n\n**Fix:** {output['fix']}"
    target = stage_pattern(
        root, pattern_id=pattern_id, title=output["title"], category="debugging", body=scrub(body).text,
        source=sha, globs=strings(output["paths"], 5), tags=strings(output["tags"], 6),
        confidence=float(output["confidence"]),
    )  # fmt: skip
    return [f"staged {target.relative_to(root).as_posix()}: review it before it joins the library"]


def show(output: Output) -> str:
    scope = ", ".join(output["paths"]) or "everywhere"
    return "\n".join([
        f"title: {output['title']}", f"paths: {scope}", f"error: {output['error']}",
        f"root cause: {output['root_cause']}", f"fix: {output['fix']}", f"confidence: {output['confidence']}",
    ])  # fmt: skip


def _excerpt(patch: str, limit: int = 15) -> str:
    lines = [line for line in patch.splitlines() if line.startswith(("+", "-", "@@"))]
    hunks = [line for line in lines if not line.startswith(("+++", "---"))]
    files = len(diff.parse(patch))
    more = f"\n... ({len(hunks) - limit} more lines in {files} file(s))" if len(hunks) > limit else ""
    return "\n".join(hunks[:limit]) + more


def _globs(files: tuple[str, ...]) -> list[str]:
    if len(files) <= 3:
        return list(files)
    folders = sorted({name.rsplit("/", 1)[0] for name in files if "/" in name})
    return [f"{folder}/**" for folder in folders[:5]] or list(files[:5])


def _tags(files: tuple[str, ...]) -> list[str]:
    found = {_LANGUAGES[Path(name).suffix] for name in files if Path(name).suffix in _LANGUAGES}
    found |= {name.split("/", 1)[0] for name in files if "/" in name}
    return sorted(found)[:6]


WIZARD = Wizard(
    name="bug-pattern",
    summary="turn a fix commit into a staged debugging pattern (error, root cause, fix, paths)",
    task="fix_bug",
    start_low=True,  # drafting from a commit is mostly summarizing; escalate if the draft fails its checks
    schema=SCHEMA,
    prompt_version="1",
    arguments=_arguments,
    gather=_gather,
    check=check,
    offline=offline,
    show=show,
    apply=apply,
)
