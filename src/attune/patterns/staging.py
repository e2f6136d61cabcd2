"""Staged patterns: drafts in `.empathy/staging/` that a person reviews before they join the library.

Every write passes the scanner: a secret refuses it (with an audit entry, never a silent
success), personal data is scrubbed first, and a classification is detected and written into
the draft. Promotion validates the draft and moves it into `.empathy/patterns/<category>/` as
active, or, when it is SENSITIVE, into `.empathy/private/patterns/` (git-ignored, never synced).
Rejected drafts are kept in `.empathy/private/rejected/`, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import atomic, audit, dates, paths, yamlio
from attune.errors import UserError
from attune.patterns import ids

if TYPE_CHECKING:
    from attune.scan import Finding

STAGING_DIR = f"{paths.EMPATHY_DIR}/staging"
PRIVATE_DIR = f"{paths.EMPATHY_DIR}/private"
# The validator's id shape, bounded: an id becomes a file name, so it is checked before it is a path (issue 11).


class StagingRefused(UserError):
    """A draft the scanner refused; the message names the finding's type, never its value."""


class Draft(NamedTuple):
    """A pattern about to be written, field by field."""

    id: str
    title: str
    category: str
    body: str
    source: str | None
    globs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: str = "staged"
    confidence: float | None = None
    classification: str | None = None
    created: str | None = None
    updated: str | None = None


class Staged(NamedTuple):
    id: str
    title: str
    category: str
    confidence: float | None
    source: str | None
    classification: str | None
    created: str | None
    path: str  # relative to the root


def taken_ids(root: Path) -> set[str]:
    """Ids in the library and in staging, so that a new draft can pick a free one."""
    from attune import config as config_mod
    from attune.patterns import store

    library = store.load_library(root, config_mod.load(root))
    staged = {p.stem for p in (root / STAGING_DIR).glob("*.md")}
    return {p.id for p in library.patterns} | staged


def draft_path(root: Path, pattern_id: str) -> Path:
    """`.empathy/staging/<id>.md` for a well-formed id whose file stays in that folder; else a UserError."""
    folder = root / STAGING_DIR
    path = folder / f"{check_id(pattern_id)}.md"
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        raise UserError(f"{STAGING_DIR}/{pattern_id}.md is a link to outside {STAGING_DIR}/; nothing was changed")
    return path


def check_id(pattern_id: str) -> str:
    if not ids.ID.fullmatch(pattern_id):
        raise UserError(
            f"{shown(pattern_id)} is not a pattern id: use 1 to 128 lowercase letters, digits, '.', '_' or '-' "
            "(e.g. 'null-user-lookup'); `empathy patterns staged` lists the staged ones"
        )
    return pattern_id


def _refusal(message: str) -> UserError:
    """An error that quotes a draft's fields: scrubbed, as a draft may hold what it must not (issue 10)."""
    from attune import scan

    return UserError(scan.scrub(message).text)


def shown(text: str) -> str:
    """A value from the user for a message: scrubbed, and short (issue 10: an id can be a secret)."""
    from attune import scan

    cleaned = scan.scrub(text).text
    return repr(cleaned if len(cleaned) <= 60 else cleaned[:59] + "…")


def free_id(root: Path, title: str) -> str:
    return ids.unused(ids.slugify(title), taken_ids(root))


def stage_pattern(
    root: Path,
    *,
    pattern_id: str,
    title: str,
    category: str,
    body: str,
    source: str,
    globs: Sequence[str] = (),
    tags: Sequence[str] = (),
    confidence: float | None = None,
    classification: str | None = None,
) -> Path:
    """Write `.empathy/staging/<id>.md` atomically with `status: staged`; refuse an id already taken."""
    target = draft_path(root, pattern_id)
    today = dates.today()
    draft = Draft(pattern_id, title, category, body, source, tuple(globs), tuple(tags), "staged", confidence,
                  classification, today, today)  # fmt: skip
    draft = guarded(root, draft)  # before the id is looked up or echoed: it may be a secret
    if target.exists() or pattern_id in taken_ids(root):
        raise UserError(f"pattern id {pattern_id!r} is already taken; choose another id (nothing was written)")
    atomic.write_atomic(target, render(draft))
    return target


def render(draft: Draft) -> str:
    """A pattern file in the library's format."""
    lines = ["---", f"id: {draft.id}", f"title: {yamlio.dump_scalar(draft.title)}", f"category: {draft.category}"]
    if draft.globs:
        lines.append("paths:")
        lines.extend(f"  - {yamlio.dump_scalar(glob)}" for glob in draft.globs)
    lines.append(f"tags: [{', '.join(yamlio.dump_scalar(tag) for tag in draft.tags)}]")
    lines.append(f"status: {draft.status}")
    if draft.confidence is not None:
        lines.append(f"confidence: {draft.confidence:.2f}")
    lines += [f"created: {draft.created}"] if draft.created else []
    lines += [f"updated: {draft.updated}"] if draft.updated else []
    lines += [f"source: {yamlio.dump_scalar(draft.source)}"] if draft.source else []
    lines += [f"classification: {draft.classification}"] if draft.classification else []
    return "\n".join([*lines, "---", ""]) + "\n" + draft.body.strip() + "\n"


def guarded(root: Path, draft: Draft) -> Draft:
    """Refuse a secret, scrub personal data, classify: the draft as it may be written.

    Every field is scanned, not only the text: a secret in `tags`, or used as the id (which is
    also the file name), once reached the library and the rules (issue 10). Names (the id and
    the category) with personal data are refused too: a name cannot be scrubbed.
    """
    from attune import scan
    from attune.memory import classify

    fields = {"id": (draft.id,), "category": (draft.category,), "title": (draft.title,), "body": (draft.body,),
              "source": (draft.source or "",), "paths": draft.globs, "tags": draft.tags}  # fmt: skip
    found = {name: [f for value in values for f in _scan(value, name in _NAMES)] for name, values in fields.items()}
    for kind, what in (("secret", "a secret"), ("pii", "personal data")):
        where = [name for name, findings in found.items() if any(f.kind == kind for f in findings)]
        if kind == "pii":
            where = [name for name in where if name in _NAMES]
        if where:
            hits = [f for f in found[where[0]] if f.kind == kind]
            kinds = ", ".join(f"{f.type} ({f.masked})" for f in hits[:3])
            also = f" (and in {', '.join(where[1:])})" if where[1:] else ""
            audit.record(root, "staging.refused", id=shown(draft.id), fields=where, findings=[f.type for f in hits])
            fix = "describe it without the value" if kind == "secret" else "choose another name"
            raise StagingRefused(
                f"refused to stage {shown(draft.id)}: its {where[0]} holds {what}: {kinds}{also}; {fix}"
            )
    findings = [f for values in found.values() for f in values]
    if findings:
        title, body, source = (scan.scrub(part).text for part in (draft.title, draft.body, draft.source or ""))
        globs = tuple(scan.scrub(glob).text for glob in draft.globs)
        tags = tuple(scan.scrub(tag).text for tag in draft.tags)
        draft = draft._replace(title=title, body=body, source=source or None, globs=globs, tags=tags)
        audit.record(root, "staging.scrubbed", id=draft.id, findings=[f.type for f in findings])
    text = "\n".join([draft.title, draft.body, draft.source or "", *draft.globs, *draft.tags])
    verdict = classify.classify(text, findings, draft.classification)
    audit.record(root, "classified", id=draft.id, level=verdict.level, reasons=list(verdict.reasons))
    return draft._replace(classification=verdict.level)


_NAMES = ("id", "category")


def _scan(value: str, name: bool) -> list[Finding]:
    from attune import names, scan

    return names.findings(value) if name else scan.scan_text(value)


def staged(root: Path) -> list[Staged]:
    from attune import config as config_mod
    from attune.patterns import store

    config = config_mod.read(root)[0]
    found = []
    for path in sorted((root / STAGING_DIR).glob("*.md")):
        for p in store.read_file(root, path, config).patterns:
            found.append(Staged(p.id, p.title, p.category, p.confidence, p.source, p.classification, p.created, p.file))
    return found


def promote(root: Path, pattern_id: str, category: str | None = None) -> Path:
    """Validate the draft and move it into the library as active (or the private area if SENSITIVE)."""
    from attune import config as config_mod
    from attune.patterns import store

    config = config_mod.load(root)
    staged_file = draft_path(root, pattern_id)
    if not staged_file.is_file():
        known = ", ".join(s.id for s in staged(root)) or "none"
        raise _refusal(f"no staged pattern {pattern_id!r} (staged: {known}); see `empathy patterns staged`")
    parsed = store.read_file(root, staged_file, config)
    errors = [p for p in parsed.problems if not p.warning]
    if errors or not parsed.patterns:
        raise _refusal(f"{errors[0] if errors else staged_file}: fix the draft, then promote it again")
    p = parsed.patterns[0]
    chosen = category or p.category
    if config.category(chosen) is None:
        raise _refusal(f"unknown category {chosen!r}; configured: {', '.join(c.name for c in config.categories)}")
    if any(q.id == p.id for q in store.load_library(root, config).patterns):
        raise _refusal(f"the library already has a pattern with id {p.id!r}; rename the draft's id first")
    today = dates.today()
    draft = Draft(p.id, p.title, chosen, p.body, p.source, p.paths, p.tags, "active", p.confidence,
                  p.classification, p.created or today, today)  # fmt: skip
    draft = guarded(root, draft)
    text = render(draft)
    base = f"{PRIVATE_DIR}/patterns" if draft.classification == "SENSITIVE" else paths.PATTERNS_DIR
    target = root / base / chosen / f"{p.id}.md"
    rel = paths.relative(target, root)
    problems = [q for q in store.parse(rel, text, config).problems if not q.warning]
    if problems:
        raise _refusal(f"{problems[0]}; the draft was left in {STAGING_DIR}/")
    if target.exists():
        raise UserError(f"{rel} already exists; nothing was moved")
    atomic.write_atomic(target, text)
    staged_file.unlink()
    audit.record(root, "promoted", id=p.id, category=chosen, classification=draft.classification, to=rel)
    return target


def reject(root: Path, pattern_id: str, reason: str | None) -> Path:
    """Remove the draft from staging; a copy is kept in the git-ignored private area."""
    draft = draft_path(root, pattern_id)
    if not draft.is_file():
        known = ", ".join(s.id for s in staged(root)) or "none"
        raise _refusal(f"no staged pattern {pattern_id!r} (staged: {known}); see `empathy patterns staged`")
    kept = root / PRIVATE_DIR / "rejected" / f"{pattern_id}.md"
    atomic.write_atomic(kept, draft.read_text(encoding="utf-8"))
    draft.unlink()
    audit.record(root, "rejected", id=pattern_id, reason=reason or "")
    return kept
