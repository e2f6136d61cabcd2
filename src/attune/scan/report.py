"""Findings as text (`path:line: type: masked`), JSON, or SARIF 2.1.0 for code-scanning tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

from attune import __version__
from attune.scan.files import NotScanned
from attune.scan.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(findings: Sequence[Finding], output_format: str, skipped: Sequence[NotScanned] = ()) -> str:
    """Text lists findings only (files not scanned go to stderr); JSON and SARIF carry both (issue 10)."""
    if output_format == "json":
        document = {"findings": [f._asdict() for f in findings], "not_scanned": [n._asdict() for n in skipped]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output_format == "sarif":
        return json.dumps(sarif(findings, skipped), indent=2, ensure_ascii=False) + "\n"
    return "".join(f"{f.file}:{f.line}: {f.type}: {f.masked}\n" for f in findings)


def sarif(findings: Sequence[Finding], skipped: Sequence[NotScanned] = ()) -> dict[str, object]:
    types = sorted({(f.kind, f.type) for f in findings})
    rules = [
        {
            "id": kind_type,
            "name": kind_type,
            "shortDescription": {"text": f"{'Secret' if kind == 'secret' else 'Personal data'}: {kind_type}"},
            "defaultConfiguration": {"level": "error" if kind == "secret" else "warning"},
            "properties": {"tags": ["security", kind]},
        }
        for kind, kind_type in types
    ]
    results = [
        {
            "ruleId": f.type,
            "ruleIndex": types.index((f.kind, f.type)),
            "level": "error" if f.kind == "secret" else "warning",
            "message": {"text": f"{f.type} found: {f.masked}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file.replace("\\", "/")},
                        "region": {"startLine": f.line},
                    }
                }
            ],
        }
        for f in findings
    ]
    driver = {
        "name": "empathy-scan",
        "version": __version__,
        "informationUri": "https://pypi.org/project/attune-companion/",
        "rules": rules,
    }
    # SARIF's place for "this file was not analysed": a notification on the run's invocation.
    notes = [
        {
            "level": "error",
            "message": {"text": f"not scanned: {n.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": n.file.replace("\\", "/")}}}],
        }
        for n in skipped
    ]
    invocation = {"executionSuccessful": not skipped, "toolExecutionNotifications": notes}
    run = {"tool": {"driver": driver}, "invocations": [invocation], "results": results}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
