"""The pattern record, the fields of the format, and a parsed library."""

from __future__ import annotations

from typing import NamedTuple

from attune.errors import Problem

FIELDS = (
    "id", "title", "category", "paths", "tags", "status",
    "confidence", "created", "updated", "source", "classification",
)  # fmt: skip
REQUIRED = ("id", "title", "category")
STATUSES = ("active", "staged", "deprecated")
CLASSIFICATIONS = ("PUBLIC", "INTERNAL", "SENSITIVE")


class Pattern(NamedTuple):
    id: str
    title: str
    category: str
    paths: tuple[str, ...]  # globs relative to the repository root; empty means everywhere
    tags: tuple[str, ...]
    status: str
    confidence: float | None
    created: str | None  # ISO dates
    updated: str | None
    source: str | None  # a commit, pull request or URL
    classification: str | None  # PUBLIC, INTERNAL or SENSITIVE (never synced); None means not classified
    body: str
    file: str  # the source file, relative to the root
    line: int  # where the pattern starts in that file
    digest: str  # fingerprint of everything that reaches a rule file


class SourceFile(NamedTuple):
    path: str
    patterns: tuple[Pattern, ...]
    problems: tuple[Problem, ...]

    @property
    def broken(self) -> bool:
        return any(not p.warning for p in self.problems)


class Library(NamedTuple):
    files: tuple[SourceFile, ...]  # sorted by path
    problems: tuple[Problem, ...]  # every file's problems and the library-wide ones, sorted

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return tuple(p for f in self.files for p in f.patterns)

    @property
    def broken(self) -> frozenset[str]:
        """Source files with an error: their rules keep their previous output."""
        return frozenset(p.path for p in self.problems if not p.warning)

    @property
    def usable(self) -> tuple[Pattern, ...]:
        """Patterns from files without errors."""
        broken = self.broken
        return tuple(p for p in self.patterns if p.file not in broken)
