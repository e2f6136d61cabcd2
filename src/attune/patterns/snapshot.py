"""The pattern library, config, staging area and templates as committed at one revision, read from git objects."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import config as config_mod
from attune import digest, paths
from attune.config import Config
from attune.errors import Problem, UserError
from attune.patterns import store
from attune.patterns.model import Library, SourceFile
from attune.patterns.staging import STAGING_DIR
from attune.sync import rules
from attune.sync.rules import Rule

if TYPE_CHECKING:
    import jinja2

    from attune import git


class Snapshot(NamedTuple):
    ref: str  # as the user wrote it
    sha: str
    config: Config
    config_problems: tuple[Problem, ...]
    config_blob: str | None  # None when the revision has no config (the defaults apply)
    library: Library
    blobs: Mapping[str, str]  # pattern file -> blob id, to tell which files a change touched
    staged: frozenset[str]  # ids of the drafts in .empathy/staging/
    templates: Mapping[str, str]  # file name under templates_dir -> text


def read(root: Path, ref: str, sha: str, *, reuse: Snapshot | None = None) -> Snapshot:
    """The snapshot of commit `sha`; files unchanged since `reuse` (same blob, same config) are not read again."""
    from attune import git

    # One listing holds the config and the folders it names (issue 15: two git processes fewer a
    # revision). The templates folder is taken to be the other revision's, or the default one, and
    # listed again only when this revision's config names another; files the other revision has
    # come back without their data, read after all when the config changed.
    guess = reuse.config.templates_dir if reuse is not None else config_mod.DEFAULT.templates_dir
    known = dict(reuse.blobs) if reuse is not None else {}
    found = git.files_at(root, sha, [paths.CONFIG_FILE, paths.PATTERNS_DIR, STAGING_DIR, guess], known=known)
    config_file = found.get(paths.CONFIG_FILE)
    config, problems = _config(config_file)
    config_blob = config_file.id if config_file is not None else None
    reused: dict[str, SourceFile] = {}
    if reuse is not None and reuse.config_blob == config_blob:
        reused = {f.path: f for f in reuse.library.files}
    if config.templates_dir != guess:
        found.update(git.files_at(root, sha, [config.templates_dir]))
    unread = {rel: blob.id for rel, blob in found.items() if blob.data is None and rel not in reused}
    if unread:
        contents = git.blobs(root, sorted(set(unread.values())))
        found.update({rel: git.Blob(blob_id, contents[blob_id]) for rel, blob_id in unread.items()})
    files = []
    pattern_blobs = {}
    library = [(rel, blob) for rel, blob in sorted(found.items()) if _in_library(rel)]  # judged once (issue 15)
    fresh = [(rel, blob.data) for rel, blob in library if blob.data is not None]
    parsed = dict(zip((rel for rel, _ in fresh), _parse_all(fresh, config), strict=True))
    for rel, blob in library:
        pattern_blobs[rel] = blob.id
        files.append(reused[rel] if blob.data is None else parsed[rel])
    staged = set()
    for rel, blob in found.items():
        if _in_staging(rel):
            staged.add(rel.rsplit("/", 1)[-1].removesuffix(".md"))  # staging names drafts by id
            staged.update(p.id for p in _parse(rel, blob.data, config).patterns)
    # Only the rule templates at the top of the folder shape a rule file (wizards/ holds prompts).
    prefix = f"{config.templates_dir}/"
    templates = {
        rel.removeprefix(prefix): (blob.data or b"").decode("utf-8", errors="replace")
        for rel, blob in sorted(found.items())  # git's order, whichever listing a template came from
        if rel.startswith(prefix) and rel.endswith(".j2") and "/" not in rel.removeprefix(prefix)
    }
    return Snapshot(
        ref, sha, config, tuple(problems), config_blob, store.assemble(files), pattern_blobs,
        frozenset(staged), templates,
    )  # fmt: skip


def group(snapshot: Snapshot) -> list[Rule]:
    """The rule files a sync at this revision would write; equal sources (templates included) mean equal files."""
    fingerprint = digest.fingerprint(repr(sorted(snapshot.templates.items())))
    return rules.group(snapshot.library.usable, snapshot.config, fingerprint)


def render_pair(
    base: Snapshot, base_rules: Sequence[Rule], head: Snapshot, head_rules: Sequence[Rule]
) -> tuple[dict[str, int], dict[str, int]]:
    """Approximate tokens of each rule's body at both revisions, rendered by their real templates.

    Each revision's template overrides go into a temporary directory, never into the working tree;
    a template that does not render is a UserError naming it. One Jinja environment serves both
    when their templates are the same, so each template compiles once (issue 15).
    """
    if not base_rules and not head_rules:
        return {}, {}
    if base.config.templates_dir == head.config.templates_dir and base.templates == head.templates:
        with _environment(base) as (env, scratch):
            return _render(env, scratch, base, base_rules), _render(env, scratch, head, head_rules)
    with _environment(base) as (env, scratch):
        before = _render(env, scratch, base, base_rules)
    with _environment(head) as (env, scratch):
        return before, _render(env, scratch, head, head_rules)


@contextlib.contextmanager
def _environment(snapshot: Snapshot) -> Iterator[tuple[jinja2.Environment, Path]]:
    """The revision's templates over the packaged ones, its overrides written to a scratch directory."""
    from attune.sync import template

    with tempfile.TemporaryDirectory(prefix="empathy-review-") as scratch:
        base = Path(scratch)
        override = base / snapshot.config.templates_dir
        for name, text in snapshot.templates.items():
            target = override / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        yield template.environment(base, snapshot.config.templates_dir if snapshot.templates else None), base


def _render(env: jinja2.Environment, scratch: Path, snapshot: Snapshot, chosen: Sequence[Rule]) -> dict[str, int]:
    from attune.sync import render

    try:
        return {rule.name: rules.tokens(render.render_body(env, rule, scratch)) for rule in chosen}
    except UserError as exc:
        raise UserError(f"at {snapshot.ref}: {exc}") from None


def estimate_tokens(chosen: Sequence[Rule]) -> dict[str, int]:
    """Without rendering: the titles and bodies alone, which is what most of a rule file is."""
    return {r.name: sum(rules.tokens(f"{p.title}\n{p.body}") for p in r.patterns) for r in chosen}


def _in_library(rel: str) -> bool:
    inside = rel.removeprefix(f"{paths.PATTERNS_DIR}/")
    parts = inside.split("/")
    # As `store.scan` walks the working tree: no dot-folders, only pattern file names.
    return inside != rel and store.is_pattern_file(parts[-1]) and not any(p.startswith(".") for p in parts[:-1])


def _in_staging(rel: str) -> bool:
    inside = rel.removeprefix(f"{STAGING_DIR}/")
    return inside != rel and "/" not in inside and inside.endswith(".md") and not inside.startswith(".")


def _config(found: git.Blob | None) -> tuple[Config, list[Problem]]:
    if found is None:
        return config_mod.DEFAULT, []
    try:
        text = (found.data or b"").decode("utf-8")
    except UnicodeDecodeError:
        return config_mod.DEFAULT, [Problem(paths.CONFIG_FILE, 1, "not UTF-8 text; save it as UTF-8")]
    return config_mod.parse(text)


def _parse_all(items: Sequence[tuple[str, bytes | None]], config: Config) -> list[SourceFile]:
    """Each (path, data) parsed, on several cores when there are many (a review of a large library)."""
    from attune.patterns import cache, parallel

    # parallel carries a stamp with each file; a blob has none
    loaded = parallel.parse_all(items, lambda item: (cache.UNREAD, _parse(item[0], item[1], config)))
    return [source for _, source in loaded]


def _parse(rel: str, data: bytes | None, config: Config) -> SourceFile:
    try:
        text = (data or b"").decode("utf-8")
    except UnicodeDecodeError:
        return SourceFile(rel, (), (Problem(rel, 1, "not UTF-8 text; save it as UTF-8"),))
    return store.parse(rel, text, config)
