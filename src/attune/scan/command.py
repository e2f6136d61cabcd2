"""`empathy scan`: files, directories or the staged index; text, JSON or SARIF; a detect-secrets baseline."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from attune import paths as project_paths
from attune import progress
from attune.scan import baseline as baseline_mod
from attune.scan import files, prefilter, report
from attune.scan.findings import Finding, LineIndex, mask
from attune.scan.secrets import Detect, RawHit


def scan(
    *,
    paths: Sequence[str],
    only: str | None,
    staged: bool,
    baseline: str | None,
    update_baseline: bool,
    output_format: str,
    quiet: bool = False,
    history: str | None = None,
) -> int:
    if history is not None:
        return _history(history, paths, only, baseline, update=update_baseline, output_format=output_format)
    gone = files.missing(paths)
    if gone:
        print(f"empathy scan: error: no such file or directory: {gone[0]}", file=sys.stderr)
        return 2
    chosen = _baseline_path(baseline, update_baseline)
    known = baseline_mod.load(chosen) if chosen else None
    sources = files.staged(paths) if staged else files.from_paths(paths or ["."])
    findings: list[Finding] = []
    entries: list[baseline_mod.Entry] = []
    scanned: list[str] = []
    skipped: list[files.NotScanned] = []
    partial = 0
    shown = progress.Progress("scanning", unit="files", quiet=quiet)  # files, on a terminal only (issue 15)
    with contextlib.ExitStack() as stack:
        stack.callback(shown.finish)
        detect = _lazy_session(stack)
        for source in shown.over(sources):
            if isinstance(source, files.NotScanned):
                skipped.append(source)
                shown.finish()
                print(f"empathy scan: {source.file}: not scanned: {source.reason}", file=sys.stderr)
                continue
            text = files.decode(source.data)
            if text is None:
                continue
            file_key = baseline_mod.key(source.path, chosen) if chosen else source.shown
            scanned.append(file_key)
            # The engine (its regexes and 326 provider formats) loads only once a file has a candidate: one small
            # clean file scanned, as a pre-commit hook does, skips it (issue 15).
            secrets = only != "pii" and prefilter.has_secret_candidate(text)
            pii = only != "secrets" and prefilter.has_pii_candidate(text)
            if not secrets and not pii:
                continue
            from attune.scan.engine import scan_hits

            hits = scan_hits(
                text,
                source.shown,
                secrets=secrets,
                pii_=pii,
                detect=detect,
                aliases=known is not None,
                prefiltered=True,
            )
            if not hits:
                continue
            index = LineIndex(text)
            if update_baseline:
                entries += baseline_mod.entries_for(hits, file_key, index)
                continue
            new = [h for h in hits if known is None or not baseline_mod.is_known(known, file_key, h)]
            findings += [Finding(h.kind, h.type, source.shown, index.line(h.start), mask(h.value)) for h in new]
            partial += sum(known is not None and baseline_mod.known_by_fragment(known, file_key, h) for h in new)
    if update_baseline and chosen and known is not None:
        from attune.scan.secrets import baseline_header

        count = baseline_mod.update(known, scanned, entries, baseline_header())
        print(f"{chosen}: {count} known finding{'s' * (count != 1)} recorded", file=sys.stderr)
        return 1 if skipped else 0
    sys.stdout.write(report.render(findings, output_format, skipped))
    if partial:
        print(
            f"empathy scan: {partial} of these match{'es' * (partial == 1)} a baseline entry that fingerprints only "
            "part of the secret (detect-secrets hashes a token's prefix), which would allowlist every token of its "
            "kind; run `empathy scan --update-baseline` to record the whole value",
            file=sys.stderr,
        )
    if findings and output_format == "text":
        count = len({f.file for f in findings})
        print(f"{len(findings)} finding{'s' * (len(findings) != 1)} in {count} file{'s' * (count != 1)}; "
              "remove them, or mark a false alarm with `pragma: allowlist secret`", file=sys.stderr)  # fmt: skip
    # A guard fails closed: a file that could not be scanned may hold a secret (issue 10).
    return 1 if findings or skipped else 0


def _history(
    revisions: str, paths: Sequence[str], only: str | None, baseline: str | None, *, update: bool, output_format: str
) -> int:
    """The lines commits added in REVISIONS (default: every commit reachable from HEAD) (issue 12)."""
    from attune.errors import UserError
    from attune.scan import history

    if update:
        raise UserError("--update-baseline records the files as they are; run it without --history")
    chosen = _baseline_path(baseline, False)
    known = baseline_mod.load(chosen) if chosen else None
    with contextlib.ExitStack() as stack:
        found = history.scan_history(
            root=project_paths.find_root(),
            revisions=revisions,
            paths=paths,
            only=only,
            known=known,
            baseline_path=chosen,
            detect=_lazy_session(stack),
        )
    return history.report(found, output_format)


def _baseline_path(given: str | None, update: bool) -> Path | None:
    if given is not None:
        return Path(given)
    default = project_paths.find_root() / files.BASELINE_NAME
    return default if update or default.exists() else None


def _lazy_session(stack: contextlib.ExitStack) -> Detect:
    """detect-secrets is imported and configured once, and only if some file has a line for it."""
    session: list[Detect] = []

    def detect(lines: Sequence[tuple[int, str]], filename: str) -> list[RawHit]:
        if not session:
            from attune.scan import secrets

            session.append(stack.enter_context(secrets.session()))
        return session[0](lines, filename)

    return detect
