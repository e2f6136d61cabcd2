"""Staged patterns: drafts in `.empathy/staging/` that a person reviews before they join the library.

Issue 5 extends `stage_pattern` (scanner checks, classification, an audit log); keep it small.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from attune import atomic, paths, yamlio
from attune.errors import UserError

STAGING_DIR = f"{paths.EMPATHY_DIR}/staging"


def taken_ids(root: Path) -> set[str]:
    """Ids in the library and in staging, so that a new draft can pick a free one."""
    from attune import config as config_mod
    from attune.patterns import store

    library = store.load_library(root, config_mod.load(root))
    staged = {p.stem for p in (root / STAGING_DIR).glob("*.md")}
    return {p.id for p in library.patterns} | staged


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
) -> Path:
    """Write `.empathy/staging/<id>.md` atomically with `status: staged`; refuse an id already taken."""
    target = root / STAGING_DIR / f"{pattern_id}.md"
    if target.exists() or pattern_id in taken_ids(root):
        raise UserError(f"pattern id {pattern_id!r} is already taken; choose another id (nothing was written)")
    today = datetime.date.today().isoformat()
    lines = ["---", f"id: {pattern_id}", f"title: {yamlio.dump_scalar(title)}", f"category: {category}"]
    if globs:
        lines.append("paths:")
        lines.extend(f"  - {yamlio.dump_scalar(glob)}" for glob in globs)
    lines.append(f"tags: [{', '.join(yamlio.dump_scalar(tag) for tag in tags)}]")
    lines.append("status: staged")
    if confidence is not None:
        lines.append(f"confidence: {confidence:.2f}")
    lines += [f"created: {today}", f"updated: {today}", f"source: {yamlio.dump_scalar(source)}", "---", ""]
    atomic.write_atomic(target, "\n".join(lines) + body.strip() + "\n")
    return target
