"""Find and read pattern files: Markdown with YAML frontmatter, or YAML lists for bulk import."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from attune import paths, yamlio
from attune.config import Config
from attune.errors import Problem
from attune.patterns import cache, reader, validate
from attune.patterns.model import Library, Pattern, SourceFile

SUFFIXES = (".md", ".yaml", ".yml")


def is_pattern_file(name: str) -> bool:
    """Pattern files are `.md`, `.yaml` and `.yml`; dot-files, editor backups and READMEs are not."""
    return name.endswith(SUFFIXES) and not name.startswith((".", "#")) and name.lower() != "readme.md"


class Entry(NamedTuple):
    rel: str  # relative to the root, with forward slashes
    path: str
    stamp: cache.Stamp | None  # None when scanned without stat(), or for what `load` refuses: a link


def scan(root: Path, *, stat: bool = True) -> list[Entry]:
    """Every pattern file under `.empathy/patterns/`, sorted, with the stamp the cache keys on.

    `stat=False` leaves the stamps out: with nothing cached there is nothing to compare them
    with, and reading a file takes its stamp anyway (a first sync saves 1,000 stat calls).
    Symbolic links (to files or folders) are listed without a stamp and never followed:
    `load` refuses them, so what they point at never reaches a rule file (issue 11).
    """
    if reader.escapes(root) is not None:
        return []
    found: list[Entry] = []
    prefix = len(str(root)) + 1
    stack = [str(root / paths.PATTERNS_DIR)]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:  # an unreadable folder: `load` reports it, as it would a file
            found.append(Entry(directory[prefix:].replace(os.sep, "/"), directory, None))
            continue
        for entry in entries:
            if entry.is_symlink():
                # d_type tells, without a stat; a link to a folder is refused as a link to a file is
                if is_pattern_file(entry.name) or (not entry.name.startswith(".") and os.path.isdir(entry.path)):
                    found.append(Entry(entry.path[prefix:].replace(os.sep, "/"), entry.path, None))
            elif entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    stack.append(entry.path)
            elif is_pattern_file(entry.name):
                rel = entry.path[prefix:].replace(os.sep, "/")
                if not stat:
                    found.append(Entry(rel, entry.path, None))
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                except OSError:  # `load` tells why
                    found.append(Entry(rel, entry.path, None))
                    continue
                found.append(Entry(rel, entry.path, cache.Stamp(info.st_size, info.st_mtime_ns, info.st_ino)))
    return sorted(found)


def pattern_files(root: Path) -> list[Path]:
    return [Path(entry.path) for entry in scan(root)]


def load_library(root: Path, config: Config, *, use_cache: bool = True) -> Library:
    """The whole library; files whose stamp matches the cache are not read again."""
    outside = reader.escapes(root)
    if outside is not None:  # read none of it: every session would load what lies there (issue 11)
        message = f"is a symbolic link to {outside}, outside the repository; make it a real folder"
        return assemble([SourceFile(paths.PATTERNS_DIR, (), (Problem(paths.PATTERNS_DIR, 1, message),))])
    cache_key = cache.key(config) if use_cache else ""
    cached = cache.read(root, cache_key) if use_cache else {}
    entries = scan(root, stat=bool(cached))
    current: dict[str, tuple[cache.Stamp, SourceFile]] = {}
    missed: list[Entry] = []
    for entry in entries:
        hit = cached.get(entry.rel)
        if hit is not None and entry.stamp is not None and hit[0] == entry.stamp:
            current[entry.rel] = hit
        else:
            missed.append(entry)
    if missed:
        from attune import dates  # noqa: F401 - nearly every pattern has one: load it once, before any fork
        from attune.patterns import parallel  # many files to read: a first sync, a branch switch

        parsed = parallel.parse_all(missed, lambda e: load(e.rel, e.path, config))
        current.update((entry.rel, read) for entry, read in zip(missed, parsed, strict=True))
    # A file saved in the last seconds is not cached anyway: rewriting the cache for it alone would
    # cost a whole cache write on every sync that follows a save.
    cacheable = any(cache.settled(current[entry.rel][0]) for entry in missed)
    if use_cache and (cacheable or not cached.keys() <= current.keys()):
        cache.write(root, cache_key, current)
    return assemble(source for _, source in current.values())


def assemble(files: Iterable[SourceFile]) -> Library:
    ordered = tuple(sorted(files, key=lambda f: f.path))
    problems = [p for f in ordered for p in f.problems]
    problems += validate.library_problems(ordered)
    return Library(ordered, tuple(sorted(set(problems))))


def read_file(root: Path, path: Path, config: Config) -> SourceFile:
    return load(paths.relative(path, root), str(path), config)[1]


def load(rel: str, path: str, config: Config) -> tuple[cache.Stamp, SourceFile]:
    """Read and parse one file, with the stamp of what was read (taken before reading it).

    What is refused (a link, a pipe, a huge file: see attune.patterns.reader) gets the UNREAD
    stamp, so it is never cached and is looked at again on the next sync.
    """
    try:
        info, data = reader.read(path)
    except reader.Refused as exc:
        return cache.UNREAD, SourceFile(rel, (), (Problem(rel, 1, str(exc)),))
    stamp = cache.Stamp(info.st_size, info.st_mtime_ns, info.st_ino)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return stamp, SourceFile(rel, (), (Problem(rel, 1, "not UTF-8 text; save it as UTF-8"),))
    return stamp, parse(rel, text, config)


def folder_category(rel: str) -> str | None:
    """The category a file's folder names, or None for files at the top of patterns/."""
    parts = rel.split("/")
    prefix = paths.PATTERNS_DIR.split("/")
    if len(parts) >= len(prefix) + 2 and parts[: len(prefix)] == prefix:
        return parts[len(prefix)]
    return None


def parse(rel: str, text: str, config: Config) -> SourceFile:
    """Parse one pattern file's text; `rel` is its path relative to the root."""
    folder = folder_category(rel)
    if folder is not None and config.category(folder) is None:
        names = ", ".join(c.name for c in config.categories)
        problem = Problem(
            rel,
            1,
            f"folder {folder!r} is not a configured category ({names}); "
            "add it under categories: in .empathy/config.yaml or move the file",
        )
        return SourceFile(rel, (), (problem,))
    if rel.endswith(".md"):
        return _parse_markdown(rel, text.removeprefix("\ufeff"), folder, config)
    return _parse_bulk(rel, text, folder, config)


# The closing line of the frontmatter, and the blank lines between it and the body. Whitespace
# at the end of a line counts as str.rstrip() counts it (\s is the same set for str patterns).
_CLOSE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")


def _parse_markdown(rel: str, text: str, folder: str | None, config: Config) -> SourceFile:
    first = text.find("\n")
    if (text if first == -1 else text[:first]).rstrip() != "---":
        return SourceFile(
            rel,
            (),
            (
                Problem(
                    rel, 1, "no YAML frontmatter: start the file with a '---' line, the fields, and another '---' line"
                ),
            ),
        )
    close = _CLOSE.search(text, first + 1) if first != -1 else None
    if close is None:
        return SourceFile(
            rel, (), (Problem(rel, 1, "the frontmatter is not closed: add a '---' line after the fields"),)
        )
    try:
        doc = yamlio.load(text[first + 1 : max(first + 1, close.start() - 1)], first_line=2)
    except yamlio.YamlError as exc:
        return SourceFile(rel, (), (Problem(rel, exc.line, exc.message),))
    if not isinstance(doc.data, dict):
        return SourceFile(
            rel, (), (Problem(rel, 2, "the frontmatter must be `field: value` lines (id, title, category, ...)"),)
        )
    start = len(text)
    if close.end() < len(text):
        blank = _BLANK_LINES.match(text, close.end() + 1)  # always matches, if only the empty string
        start = blank.end() if blank is not None else close.end() + 1
    body = text[start:].rstrip()
    body_line = text.count("\n", 0, start) + 1
    fields = validate.Fields(doc.data, doc.lines, (), rel, 1)
    pattern = validate.build(fields, body, body_line, folder, config)
    return SourceFile(rel, _one(pattern), tuple(sorted(fields.problems)))


def _parse_bulk(rel: str, text: str, folder: str | None, config: Config) -> SourceFile:
    try:
        doc = yamlio.load(text)
    except yamlio.YamlError as exc:
        return SourceFile(rel, (), (Problem(rel, exc.line, exc.message),))
    if doc.data is None:
        return SourceFile(rel, (), ())
    if not isinstance(doc.data, list):
        return SourceFile(
            rel, (), (Problem(rel, 1, "a bulk pattern file must be a YAML list of patterns (`- id: ...`)"),)
        )
    patterns: list[Pattern] = []
    problems: list[Problem] = []
    for index, item in enumerate(doc.data):
        line = doc.lines.get((index,), 1)
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, "each item must be a pattern mapping with id, title, category, ..."))
            continue
        body = item.get("body", "")
        fields = validate.Fields(item, doc.lines, (index,), rel, line)
        if not isinstance(body, str):
            fields.error("'body' must be text (use `body: |` for several lines)", "body")
            body = ""
        body_line = fields.line_of("body") + (1 if "\n" in body else 0)
        pattern = validate.build(fields, body.strip(), body_line, folder, config, body_key=True)
        patterns.extend(_one(pattern))
        problems.extend(fields.problems)
    return SourceFile(rel, tuple(patterns), tuple(sorted(problems)))


def _one(pattern: Pattern | None) -> tuple[Pattern, ...]:
    return (pattern,) if pattern is not None else ()


def select(library: Library, files: Sequence[str]) -> list[Problem]:
    """The problems that concern `files` (paths relative to the root)."""
    wanted = set(files)
    return [p for p in library.problems if p.path in wanted]
