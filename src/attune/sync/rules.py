"""Group patterns into rule files, name them, and read and write the generated-file marker.

One rule file per category and distinct set of `paths:` globs: patterns without paths go to
`<output>.md`, which Claude Code loads in every session; patterns that share the same globs
go to `<output>--<slug>.md`, with those globs as its `paths:` frontmatter, so they load only
when Claude reads or writes a matching file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from attune import digest
from attune.config import Category, Config
from attune.patterns.model import Pattern
from attune.sync.targets import marker

# Bump when the code (not the templates) changes what a rule file looks like; it is part of
# every sources hash, so that a no-op sync never keeps files rendered by older code.
RENDER_FORMAT = "1"  # file names are not in the file, so they need no bump
MARKER = marker.FILE_MARK
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


class Rule(NamedTuple):
    name: str  # file name inside the output directory
    category: Category
    paths: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    sources: str  # hash of everything the file is rendered from


class Generated(NamedTuple):
    """A rule file on disk that carries our marker."""

    text: str
    sources: str
    intact: bool  # the content still matches the hash in its marker
    source_files: frozenset[str]
    body: str  # what reaches the model: the text without frontmatter and marker


def group(patterns: Iterable[Pattern], config: Config, fingerprint: str) -> list[Rule]:
    """Active patterns grouped into rule files, in a stable order."""
    buckets: dict[tuple[str, tuple[str, ...]], list[Pattern]] = {}
    for pattern in patterns:
        # SENSITIVE knowledge never reaches the rules, wherever its file sits (issue 5).
        if pattern.status == "active" and pattern.classification != "SENSITIVE":
            scope = tuple(sorted(set(pattern.paths)))
            buckets.setdefault((pattern.category, scope), []).append(pattern)
    rules: list[Rule] = []
    for category in config.categories:
        scopes = sorted(scope for (name, scope) in buckets if name == category.name)
        names = _names(category.output, scopes)
        for scope in scopes:
            members = tuple(sorted(buckets[(category.name, scope)], key=lambda p: p.id))
            name = names[scope]
            rules.append(Rule(name, category, scope, members, _sources(name, category, scope, members, fingerprint)))
    return sorted(rules, key=lambda r: r.name)


def _names(output: str, scopes: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    slugs = {scope: _slug(scope) for scope in scopes if scope}
    taken: dict[str, int] = {}
    for slug in slugs.values():
        taken[slug] = taken.get(slug, 0) + 1
    names: dict[tuple[str, ...], str] = {}
    for scope in scopes:
        if not scope:
            names[scope] = f"{output}.md"
            continue
        slug = slugs[scope]
        if taken[slug] > 1:  # two scopes read alike: tell them apart by their globs' hash
            slug = f"{slug}-{_hash(to_json(scope))[:6]}"
        names[scope] = f"{output}--{slug}.md"
    return names


def _slug(scope: tuple[str, ...]) -> str:
    """A short readable name for a set of globs: `src/api/**` -> `api`, `src/**/*.py` -> `src-py`."""
    words: list[str] = []
    for glob in scope:
        word = _glob_word(glob)
        if word and word not in words:
            words.append(word)
    return "-".join(words)[:40].strip("-") or "all"


def _glob_word(glob: str) -> str:
    parts = [part for part in glob.lower().split("/") if part.strip("*")]
    if not parts:
        return ""
    last = parts[-1]
    if any(char in last for char in "*?[{"):  # a file pattern such as *.py: its folder and its kinds
        kinds = _SLUG_JUNK.sub("-", last.replace("*", "")).strip("-")
        folder = _SLUG_JUNK.sub("-", parts[-2]).strip("-") if len(parts) > 1 else ""
        return "-".join(word for word in (folder, kinds) if word)
    return _SLUG_JUNK.sub("-", last).strip("-")


def _sources(
    name: str, category: Category, scope: tuple[str, ...], members: Sequence[Pattern], fingerprint: str
) -> str:
    blob = to_json([RENDER_FORMAT, fingerprint, name, list(category), list(scope), [p.digest for p in members]])
    return _hash(blob)


def to_json(value: str | Sequence[object], *, ensure_ascii: bool = True) -> str:
    """`json.dumps(value)` for a string or nested lists of strings, without importing json
    (about 2 ms of a sync) when every string is printable ASCII with no quote or backslash."""
    if isinstance(value, str):
        if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
            return f'"{value}"'
        import json

        return json.dumps(value, ensure_ascii=ensure_ascii)
    return "[" + ", ".join(to_json(item, ensure_ascii=ensure_ascii) for item in value) + "]"  # type: ignore[arg-type]


def _hash(text: str) -> str:
    return digest.fingerprint(text)


def frontmatter(rule: Rule) -> str:
    """The `paths:` frontmatter exactly as Claude Code parses it; none for unscoped files."""
    if not rule.paths:
        return ""
    # JSON strings are valid YAML double-quoted scalars: quoting keeps '*' and '{' literal.
    items = "".join(f"  - {to_json(glob, ensure_ascii=False)}\n" for glob in rule.paths)
    return f"---\npaths:\n{items}---\n"


def assemble(rule: Rule, body: str) -> str:
    """The whole file: frontmatter, the marker with both hashes and the sources, the body."""
    files = sorted({p.file for p in rule.patterns})
    return marker.assemble_file(frontmatter(rule), body, rule.sources, (), files)


def parse_generated(text: str) -> Generated | None:
    """Our marker's contents, or None for a file we did not write (never touch those).

    A rule file carries the mark of the other agents' whole files: one reader for both (issue 15).
    """
    found = marker.read_file(text)
    return None if found is None else Generated(text, found.sources, found.intact, found.source_files, found.body)


class Glob(NamedTuple):
    line: int  # the glob's line in the rule file: what a citation points at
    glob: str


_FENCE = re.compile(r"^[^\S\n]*---[^\S\n]*$", re.MULTILINE)


def scope_of(text: str) -> tuple[Glob, ...]:
    """The `paths:` globs of a rule file's frontmatter, with their lines; () for a file loaded in every session.

    The one reader of a rule's scope (issue 15), for the files `frontmatter` wrote and for a rule file
    written by hand alike: the report, `rules explain` and the MCP server's `rules_for_path`. Frontmatter
    that is not closed or not YAML, or a `paths:` that is neither a string nor a list, is no scope.
    """
    first, _, rest = text.partition("\n")
    close = _FENCE.search(rest) if first.strip() == "---" else None
    if close is None:
        return ()
    from attune import yamlio  # only reports and explanations read scopes back; a sync never does

    try:
        doc = yamlio.load(rest[: close.start()], first_line=2)
    except ValueError:
        return ()
    globs = doc.data.get("paths") if isinstance(doc.data, dict) else None
    if isinstance(globs, str):
        globs = [globs]
    if not isinstance(globs, list):
        return ()
    return tuple(Glob(doc.lines.get(("paths", n), 2), str(glob)) for n, glob in enumerate(globs) if str(glob))


def tokens(body: str) -> int:
    """Approximate tokens that reach the model: about four characters each, comments excluded."""
    visible = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    return (len(visible.strip()) + 3) // 4
