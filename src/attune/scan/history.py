"""`empathy scan --history [RANGE]`: the lines that commits added, scanned as gitleaks' `git` mode does (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from attune.errors import UserError
from attune.scan import baseline as baseline_mod
from attune.scan.engine import scan_hits
from attune.scan.findings import LineIndex, mask
from attune.scan.secrets import Detect


class Added(NamedTuple):
    """The lines one commit added to one file: (line number in that commit's file, text)."""

    commit: str
    file: str  # relative to the repository's top level, forward slashes
    lines: list[tuple[int, str]]


class HistoryFinding(NamedTuple):
    commit: str
    kind: str
    type: str
    file: str
    line: int
    masked: str


_COMMIT = "\x00commit "


def added(root: Path, revisions: str, paths: Sequence[str]) -> Iterator[Added]:
    """Every commit's added lines, newest first; merges show no diff of their own (as `git log -p`)."""
    command = ["git", "-c", "core.quotePath=false", "log", "-p", "-U0", "--no-color", "--no-ext-diff"]
    command += ["--no-renames", "--format=%x00commit %H", *revisions.split(), "--", *paths]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        if "does not have any commits" in " ".join(message):
            return
        raise UserError(
            f"--history {revisions or 'HEAD'}: git log failed ({message[0] if message else 'no output'}); "
            "pass a range such as main..HEAD inside a git repository"
        )
    yield from parse(result.stdout.decode("utf-8", "replace"))


def parse(log: str) -> Iterator[Added]:
    commit, file, number = "", "", 0
    lines: list[tuple[int, str]] = []
    in_hunk = False
    for line in log.split("\n"):
        if line.startswith(_COMMIT) or line.startswith("diff --git "):
            if file and lines:
                yield Added(commit, file, lines)
            file, lines, in_hunk = "", [], False
            if line.startswith(_COMMIT):
                commit = line[len(_COMMIT) :]
        elif not in_hunk and line.startswith("+++ "):
            file = "" if line == "+++ /dev/null" else line[6:] if line.startswith("+++ b/") else line[4:]
        elif line.startswith("@@ "):
            in_hunk = True
            number = int(line.split(" ")[2][1:].split(",")[0])
        elif in_hunk and line.startswith("+"):
            lines.append((number, line[1:]))
            number += 1
    if file and lines:
        yield Added(commit, file, lines)


def scan_history(
    *,
    root: Path,
    revisions: str,
    paths: Sequence[str],
    only: str | None,
    known: baseline_mod.Baseline | None,
    baseline_path: Path | None,
    detect: Detect,
) -> list[HistoryFinding]:
    findings: list[HistoryFinding] = []
    for change in added(root, revisions, paths):
        text = "\n".join(text for _, text in change.lines)
        hits = scan_hits(text, change.file, secrets=only != "pii", pii_=only != "secrets", detect=detect,
                         aliases=known is not None)  # fmt: skip
        if not hits:
            continue
        index = LineIndex(text)
        file_key = baseline_mod.key(root / change.file, baseline_path) if baseline_path else change.file
        for hit in hits:
            if known is not None and baseline_mod.is_known(known, file_key, hit):
                continue
            number = change.lines[index.line(hit.start) - 1][0]
            findings.append(HistoryFinding(change.commit, hit.kind, hit.type, change.file, number, mask(hit.value)))
    return findings


def render(findings: Sequence[HistoryFinding], output_format: str) -> str:
    if output_format == "text":
        return "".join(f"{f.commit[:12]}:{f.file}:{f.line}: {f.type}: {f.masked}\n" for f in findings)
    if output_format == "sarif":
        from attune.scan.findings import Finding
        from attune.scan.report import sarif

        document = sarif([Finding(f.kind, f.type, f.file, f.line, f.masked) for f in findings])
        for run in document["runs"]:  # type: ignore[attr-defined]
            for result, finding in zip(run["results"], findings, strict=True):
                result["partialFingerprints"] = {"commitSha": finding.commit}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return json.dumps({"findings": [f._asdict() for f in findings]}, indent=2, ensure_ascii=False) + "\n"


def report(findings: Sequence[HistoryFinding], output_format: str) -> int:
    sys.stdout.write(render(findings, output_format))
    if findings and output_format == "text":
        commits = len({f.commit for f in findings})
        print(
            f"{len(findings)} finding{'s' * (len(findings) != 1)} in {commits} commit{'s' * (commits != 1)}; "
            "rotate what leaked, then record false alarms with --update-baseline or a pragma",
            file=sys.stderr,
        )
    return 1 if findings else 0
