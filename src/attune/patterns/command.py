"""`empathy patterns validate | list | new`."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from attune import atomic, dates, paths
from attune import config as config_mod
from attune.errors import UserError
from attune.patterns import checks, ids, store


def validate(*, files: list[str], strict: bool, root: str | None) -> int:
    top = paths.project_root(root)
    config, problems = config_mod.read(top)
    library = store.load_library(top, config)
    if files:
        in_library = {f.path for f in library.files}
        for name in files:
            path = Path(name).resolve()
            rel = paths.relative(path, top)
            if rel in in_library:
                problems += store.select(library, [rel])
            elif path.is_file():
                problems += store.read_file(top, path, config).problems
            else:
                raise UserError(f"{name}: no such file")
    else:
        problems += library.problems
    for problem in sorted(set(problems)):
        print(problem)
    if not problems:
        count = len(files) if files else len(library.files)
        print(f"{count} pattern file{'s' * (count != 1)} ok", file=sys.stderr)
    return 1 if any(strict or not p.warning for p in problems) else 0


def list_patterns(*, category: str | None, status: str | None, root: str | None) -> int:
    top = paths.project_root(root)
    config = config_mod.load(top)
    if category is not None:
        known_category(config, category)
    library = store.load_library(top, config)
    shown = [
        p for p in library.patterns
        if (category is None or p.category == category) and (status is None or p.status == status)
    ]  # fmt: skip
    for pattern in sorted(shown, key=lambda p: (p.category, p.id)):
        scope = ", ".join(pattern.paths) if pattern.paths else "everywhere"
        print(f"{pattern.id}\t{pattern.category}\t{pattern.status}\t{scope}\t{pattern.title}")
    broken = [p for p in library.problems if not p.warning]
    if broken:
        print(f"{len(broken)} problem(s) hide some patterns; run `empathy patterns validate`", file=sys.stderr)
    return 0


def new(*, category: str, title: str, globs: list[str], root: str | None) -> int:
    from attune.sync import template

    top = paths.project_root(root)
    config = config_mod.load(top)
    known_category(config, category)
    if not title.strip():
        raise UserError("the title is empty; give the pattern a short descriptive title")
    refuse_globs(globs, FLAGS.paths, "; nothing was written")  # what `validate` would refuse in the file
    library = store.load_library(top, config)
    taken = {p.id for p in library.patterns}
    folder = top / paths.PATTERNS_DIR / category
    slug = ids.slugify(title)
    pattern_id, number = slug, 1
    while pattern_id in taken or (folder / f"{pattern_id}.md").exists():
        number += 1
        pattern_id = f"{slug}-{number}"
    env = template.environment(top, config.templates_dir)
    text = template.render(env, ["pattern.md.j2"], {
        "id": pattern_id, "title": title.strip(), "category": category, "paths": globs,
        "today": dates.today(),
    }, top)  # fmt: skip
    target = folder / f"{pattern_id}.md"
    atomic.write_atomic(target, text)
    print(target.relative_to(top).as_posix())
    if checks.PLACEHOLDER in text:
        print("empathy: fill in its `<!-- fill in: ... -->` parts: until then `validate` reports it and the sync "
              "leaves it out of the rules", file=sys.stderr)  # fmt: skip
    return 0


class Spelling(NamedTuple):
    """How a caller names the fields it takes, for its error messages."""

    confidence: str
    paths: str


FLAGS = Spelling("--confidence", "--paths")


def stage(
    *, category: str, title: str, body: str | None, body_file: str | None, globs: list[str],
    confidence: float | None, source: str | None, root: str | None,
) -> int:  # fmt: skip
    """`empathy patterns stage`: a draft for review, by hand; wizards call the same function."""
    top = paths.project_root(root)
    config = config_mod.load(top)
    known_category(config, category)  # before the body file is read: the first thing to fix
    if body_file is not None:
        try:
            body = Path(body_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"--body-file {body_file}: {exc.strerror}") from None
    if not body or not body.strip():
        raise UserError("the body is empty: give --body TEXT or --body-file FILE")
    pattern_id, _ = stage_draft(
        top, config, title=title, category=category, body=body, globs=globs, source=source or "",
        confidence=confidence, spelling=FLAGS,
    )  # fmt: skip
    print(pattern_id)
    return 0


def stage_draft(
    top: Path, config: config_mod.Config, *, title: str, category: str, body: str, globs: Sequence[str],
    source: str, confidence: float | None, spelling: Spelling,
) -> tuple[str, Path]:  # fmt: skip
    """Refuse what a person would have to fix, then stage the draft: its id and file.

    The one way a draft is staged by hand, from `patterns stage` and from the MCP tool propose_pattern (issue 15).
    """
    from attune.patterns import staging

    known_category(config, category)
    if confidence is not None and not 0 <= confidence <= 1:
        raise UserError(f"{spelling.confidence} must be a number from 0 to 1")
    refuse_globs(globs, spelling.paths)
    pattern_id = staging.free_id(top, title)
    target = staging.stage_pattern(top, pattern_id=pattern_id, title=title.strip(), category=category, body=body,
                                   source=source, globs=list(globs), confidence=confidence)  # fmt: skip
    return pattern_id, target


def known_category(config: config_mod.Config, name: str) -> None:
    if config.category(name) is None:
        raise UserError(f"unknown category {name!r}; configured: {', '.join(c.name for c in config.categories)}")


def refuse_globs(globs: Sequence[str], named: str, after: str = "") -> None:
    """A one-line error for the first glob `validate` would refuse in the pattern file (issue 15)."""
    for glob in globs:
        for finding in checks.check_glob(glob):
            if not finding.warning:
                raise UserError(f"{named} {finding.message}{after}")


def staged(*, as_json: bool, root: str | None) -> int:
    from attune import scan
    from attune.patterns import staging

    # A draft edited by hand may hold what staging refuses: shown scrubbed, never echoed (issue 10).
    def clean(text: str | None) -> str | None:
        return scan.scrub(text).text if text else text

    drafts = [
        d._replace(id=clean(d.id) or "", title=clean(d.title) or "", category=clean(d.category) or "",
                   source=clean(d.source), classification=clean(d.classification), path=clean(d.path) or "")
        for d in staging.staged(paths.project_root(root))
    ]  # fmt: skip
    if as_json:
        print(json.dumps([d._asdict() for d in drafts], indent=2, ensure_ascii=False))
        return 0
    if not drafts:
        print("no staged patterns", file=sys.stderr)
    for d in drafts:
        confidence = f"{d.confidence:.2f}" if d.confidence is not None else "-"
        print(f"{d.id}\t{d.category}\t{confidence}\t{d.classification or '-'}\t{d.title}\t{d.source or ''}")
    return 0


def promote(*, pattern_id: str, category: str | None, root: str | None) -> int:
    from attune.patterns import staging

    top = paths.project_root(root)
    target = staging.promote(top, pattern_id, category)
    rel = paths.relative(target, top)
    if rel.startswith(staging.PRIVATE_DIR):
        print(f"promoted {pattern_id} to {rel}: SENSITIVE, so it stays out of git and out of the rules")
    else:
        print(f"promoted {pattern_id} to {rel}; run empathy-sync-claude to publish it")
    return 0


def reject(*, pattern_id: str, reason: str | None, root: str | None) -> int:
    from attune.patterns import staging

    top = paths.project_root(root)
    kept = staging.reject(top, pattern_id, reason)
    print(f"rejected {pattern_id}; a copy is kept in {paths.relative(kept, top)}")
    return 0


def review(*, base: str, head: str, output_format: str, root: str | None, quiet: bool = False) -> int:
    from attune import git, progress
    from attune.patterns import review_text, snapshot
    from attune.patterns.review import compare

    top = Path(root).resolve() if root else paths.find_root()
    if root and not top.is_dir():
        raise UserError(f"--root {root}: no such directory")
    head_sha = git.resolve(top, head, "--head")
    base_sha = git.merge_base(top, base, head)
    steps = progress.Progress("reviewing", 3, unit="steps", quiet=quiet)  # on a terminal only (issue 15)
    try:
        steps.advance(0, f"reading the library at {base}")
        old = snapshot.read(top, base, base_sha)
        steps.advance(1, f"reading the library at {head}")
        new = snapshot.read(top, head, head_sha, reuse=old)
        steps.advance(1, "comparing patterns and rendering rules")
        result = compare(old, new, is_folder=lambda rel: (top / rel).is_dir() and not (top / rel).is_symlink())
    finally:
        steps.finish()
    print(review_text.as_json(result) if output_format == "json" else review_text.as_markdown(result), end="")
    return 0
