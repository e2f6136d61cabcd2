"""What may reach a rule file: source names that cannot end its marker comment, and no secrets.

A pattern that fails is held back the way a malformed one is: its file counts as broken, so rule
files built from it keep their previous content, and `sync --check` fails.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from attune import __version__, atomic, digest, paths
from attune.errors import Problem
from attune.patterns.model import Pattern


def unsafe_names(patterns: Iterable[Pattern]) -> dict[str, Problem]:
    """Source files whose names would break out of the `<!-- ... -->` marker that lists them (issue 11)."""
    found: dict[str, Problem] = {}
    for pattern in patterns:
        name = pattern.file
        if name in found or safe_name(name):
            continue
        shown = name.encode("unicode_escape").decode("ascii")  # the report stays on one line
        found[name] = Problem(
            shown, 1,
            "the file name has a control character, '--' or '>', which would end the rule file's marker "
            "comment and turn the rest into rule text; rename the file",
        )  # fmt: skip
    return found


def safe_name(name: str) -> bool:
    """No control or format character (str.isprintable), and nothing that closes an HTML comment."""
    return name.isprintable() and "--" not in name and ">" not in name


def secrets(
    root: Path, patterns: Iterable[Pattern], library: Iterable[Pattern], *, rendered_only: bool = False
) -> dict[str, list[Problem]]:
    """Pattern files that hold a secret, each with its findings as `path:line: type (masked)` (issue 10).

    Each pattern's text that a rule file can show (title, body, globs, tags, source) is scanned once:
    a clean verdict is remembered by the pattern's digest, so that re-rendering a file of 250
    patterns after one edit scans one. `library` (all usable patterns) bounds what is remembered.

    `rendered_only`: the rule files are rendered by the packaged template, which shows a pattern's
    title, globs and body (and the rules index its id), never its tags or source; only those are
    scanned then (issue 15: 172 -> 156 us a pattern of bench_sync's library). A template that a
    project overrides may show any field: all of them are scanned, and remembered apart.
    """
    chosen = list(patterns)
    if not chosen:
        return {}
    cache_key, remembered = _read_verdicts(root, rendered_only)
    unseen = list({p.digest: p for p in chosen if p.digest not in remembered}.values())  # the digest covers the file
    flagged = _flag_all(unseen, _rendered if rendered_only else _shown)
    suspects: dict[str, Pattern] = {}
    clean: set[str] = set()
    for pattern, leaks in zip(unseen, flagged, strict=True):
        if leaks:
            suspects.setdefault(pattern.file, pattern)
        else:
            clean.add(pattern.digest)
    if clean:
        current = {p.digest for p in library}
        _write_verdicts(root, rendered_only, cache_key, (remembered & current) | clean)
    return {rel: _findings(root, pattern) for rel, pattern in sorted(suspects.items())}


def _flag_all(patterns: list[Pattern], shown: Callable[[Pattern], str]) -> list[bool]:
    """Which patterns hold a secret: on a first sync, shared out across the cores by forking (issue 15).

    Scanning is most of a first sync (about 200 us a pattern, pure Python). The scanner's modules are
    loaded and its keyword automaton built here first, so that no child builds its own. In a first
    sync of bench_sync's 10,000 patterns on two cores, the child takes half of about 2 s of scanning
    off the sync's critical path.
    """
    if not patterns:
        return []
    from attune.patterns import parallel
    from attune.scan import scan_text  # it runs the secret prefilter first

    def leaks(pattern: Pattern) -> bool:
        return bool(scan_text(shown(pattern), pattern.file, secrets=True, pii=False))

    if parallel.workers(len(patterns), _PER_WORKER) > 1:
        scan_text("token", "", secrets=True, pii=False)  # a candidate: the engine loads, its automaton is built
    return parallel.flag_all(patterns, leaks, per_worker=_PER_WORKER)


_PER_WORKER = 100  # patterns: about 20 ms of scanning, well above what a fork costs


def _findings(root: Path, pattern: Pattern) -> list[Problem]:
    """The findings with the file's own line numbers; at the pattern's first line if the file moved on."""
    from attune.scan import scan_text

    rel = pattern.file
    try:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    found = [(f, f.line) for f in scan_text(text, rel, secrets=True, pii=False)] if text else []
    found = found or [(f, pattern.line) for f in scan_text(_shown(pattern), rel, secrets=True, pii=False)]
    return [
        Problem(
            rel, line,
            f"{f.type} ({f.masked}): a secret would reach every session's rules; remove it from the pattern "
            "(the sync keeps this file's rules as they were)",
        )
        for f, line in found
    ]  # fmt: skip


def _shown(pattern: Pattern) -> str:
    return "\n".join((pattern.id, pattern.title, *pattern.paths, *pattern.tags, pattern.source or "", pattern.body))


def _rendered(pattern: Pattern) -> str:
    """What the packaged template and the rules index show of a pattern (attune.sync.builtin, rules.index)."""
    return "\n".join((pattern.id, pattern.title, *pattern.paths, pattern.body))


def _verdicts_file(root: Path, rendered_only: bool) -> Path:
    name = digest.fingerprint(str(root), size=10) + ("-rendered" if rendered_only else "")
    return Path(paths.cache_dir("scanned", f"{name}.txt"))


def _read_verdicts(root: Path, rendered_only: bool) -> tuple[str, set[str]]:
    """The scanner's stamp, and the digests of patterns it found clean (none if it changed since)."""
    here = Path(__file__).resolve().parent.parent / "scan"
    stamps = [__version__]
    for module in sorted(os.listdir(here)):
        if module.endswith(".py"):
            stamps.append(f"{module}:{os.stat(here / module).st_mtime_ns}")
    cache_key = digest.fingerprint("\0".join(stamps))
    try:
        lines = _verdicts_file(root, rendered_only).read_text(encoding="ascii").split("\n")
    except (OSError, ValueError):
        return cache_key, set()
    return cache_key, set(lines[1:]) if lines[0] == cache_key else set()


def _write_verdicts(root: Path, rendered_only: bool, cache_key: str, clean: set[str]) -> None:
    target = _verdicts_file(root, rendered_only)
    with contextlib.suppress(OSError):  # a read-only cache directory costs speed, never correctness
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic.write_atomic(target, "\n".join([cache_key, *sorted(clean)]), durable=False)
