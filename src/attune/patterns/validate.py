"""Turn parsed frontmatter into a Pattern, reporting every problem as `path:line: message`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from attune import digest, paths
from attune.config import Config
from attune.errors import Problem
from attune.patterns import checks
from attune.patterns.model import CLASSIFICATIONS, FIELDS, REQUIRED, STATUSES, Pattern, SourceFile
from attune.yamlio import KeyPath

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*$")


class Fields:
    """One pattern's raw fields with the line of each, while they are being checked."""

    def __init__(
        self, data: Mapping[str, object], lines: Mapping[KeyPath, int], base: KeyPath, path: str, line: int
    ) -> None:
        self.data = data
        self.lines = lines
        self.base = base
        self.path = path
        self.line = line
        self.problems: list[Problem] = []

    def line_of(self, *key: str | int) -> int:
        return self.lines.get((*self.base, *key), self.line)

    def error(self, message: str, *key: str | int) -> None:
        self.problems.append(Problem(self.path, self.line_of(*key), message))

    def warn(self, message: str, line: int) -> None:
        self.problems.append(Problem(self.path, line, message, warning=True))

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(
                    f"missing field {key!r}",
                )
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(f"{key!r} must be a non-empty string", key)
            return None
        return value.strip()

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.error(f'{key!r} must be a list, e.g. {key}: ["{value}"]', key)
            return ()
        if not isinstance(value, list):
            self.error(f"{key!r} must be a list of strings", key)
            return ()
        good = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                good.append(item)
            else:
                self.error(f"{key!r} item {item!r} must be a string (quote it)", key, index)
        return tuple(good)

    def date(self, key: str) -> str | None:
        from attune.dates import date, datetime  # lazily: a no-op sync reads no date

        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        self.error(f"{key!r} must be a date such as 2026-11-22", key)
        return None


def build(
    fields: Fields, body: str, body_line: int, folder: str | None, config: Config, *, body_key: bool = False
) -> Pattern | None:
    """The pattern, or None when it has errors (all of them are in `fields.problems`)."""
    known = (*FIELDS, "body") if body_key else FIELDS
    for key in fields.data:
        if key not in known:
            fields.error(_unknown_field(key, known), key)
    for key in REQUIRED:
        if key not in fields.data:
            fields.error(f"missing field {key!r}")
    pattern_id = fields.text("id")
    if pattern_id is not None and not _ID.match(pattern_id):
        fields.error(
            f"id {pattern_id!r} must be lowercase letters, digits, '.', '_' or '-', e.g. 'null-user-lookup'", "id"
        )
    title = fields.text("title")
    category = fields.text("category")
    if category is not None:
        if config.category(category) is None:
            names = ", ".join(c.name for c in config.categories)
            fields.error(
                f"unknown category {category!r} (configured: {names}); "
                "add it under categories: in .empathy/config.yaml",
                "category",
            )
        elif folder is not None and category != folder:
            fields.error(
                f"category {category!r} does not match its folder {folder!r}; move the file or fix the category",
                "category",
            )
    globs = fields.strings("paths")
    for index, glob in enumerate(globs):
        for finding in checks.check_glob(glob):
            line = fields.line_of("paths", index)
            fields.problems.append(Problem(fields.path, line, finding.message, finding.warning))
    tags = fields.strings("tags")
    status = fields.data.get("status", "active")
    if status not in STATUSES:
        fields.error(f"status {status!r} must be one of: {', '.join(STATUSES)}", "status")
    confidence = fields.data.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1
    ):
        fields.error(f"confidence {confidence!r} must be a number from 0 to 1", "confidence")
        confidence = None
    created, updated = fields.date("created"), fields.date("updated")
    if created and updated and updated < created:
        fields.warn(f"updated {updated} is before created {created}", fields.line_of("updated"))
    source = fields.text("source")
    classification = fields.data.get("classification")
    if classification is not None and classification not in CLASSIFICATIONS:
        allowed = ", ".join(CLASSIFICATIONS)
        fields.error(f"classification {classification!r} must be one of: {allowed}", "classification")
        classification = None
    if classification == "SENSITIVE" and fields.path.startswith(paths.PATTERNS_DIR + "/"):
        fields.warn(
            "a SENSITIVE pattern does not belong in the committed library: it is never synced; keep it in "
            ".empathy/private/patterns/ (git-ignored)",
            fields.line_of("classification"),
        )
    for finding in checks.check_body(body, category or ""):
        line = body_line + finding.offset
        fields.problems.append(Problem(fields.path, line, finding.message, warning=finding.warning))
    if any(not p.warning for p in fields.problems):
        return None
    if pattern_id is None or title is None or category is None:  # reported as errors above
        return None
    values = (
        pattern_id, title, category, globs, tags, str(status),
        float(confidence) if confidence is not None else None,
        created, updated, source, classification,
    )  # fmt: skip
    return Pattern(*values, body, fields.path, fields.line, _digest((*values, fields.path), body))


def library_problems(files: Iterable[SourceFile]) -> list[Problem]:
    """Problems that only show across files: the same id twice, reported at both places."""
    first: dict[str, Pattern] = {}
    problems: list[Problem] = []
    for source in files:
        for pattern in source.patterns:
            earlier = first.setdefault(pattern.id, pattern)
            if earlier is not pattern:
                for here, there in ((pattern, earlier), (earlier, pattern)):
                    message = f"duplicate id {pattern.id!r} (also at {there.file}:{there.line}); ids must be unique"
                    problems.append(Problem(here.file, here.line, message))
    return problems


def _digest(values: tuple[object, ...], body: str) -> str:
    # Every field that can reach a rule file, and nothing else (comments in the frontmatter,
    # line numbers), so that a cosmetic edit does not re-render anything. repr() of str, float,
    # None and tuples of str is exact and stable; it never holds a raw \x1f, so the body can
    # follow that separator as it is, without a repr() that would copy and escape all of it.
    combined = digest.hasher()
    combined.update(f"{values!r}\x1f".encode())
    combined.update(body.encode())
    return combined.hexdigest()


def _unknown_field(key: object, known: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(known)}"
    return f"unknown field {key!r} ({hint})"
