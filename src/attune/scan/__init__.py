"""Secret and PII scanning for every caller: hooks, memory, the LLM client and `empathy scan` (issue 3).

Importing this package is cheap: the prefilter and detectors use the standard library only, and
detect-secrets is imported only when a line holds a candidate that its plugins should see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attune.scan import prefilter
from attune.scan.prefilter import has_candidate

if TYPE_CHECKING:
    from attune.scan.findings import Finding, Scrubbed

__all__ = ["Finding", "Scrubbed", "has_candidate", "scan_text", "scrub"]


def scan_text(text: str, filename: str = "", *, secrets: bool = True, pii: bool = True) -> list[Finding]:
    """Findings in `text`; `filename` (may be "") gives context such as the file type.

    Each prefilter runs once, and only for the kinds asked for: the engine is told what they found
    instead of asking again (issue 15: the sync's secret screen ran the secret prefilter twice per
    pattern, and the PII one for nothing).
    """
    secrets = secrets and prefilter.has_secret_candidate(text)
    pii = pii and prefilter.has_pii_candidate(text)
    if not secrets and not pii:
        return []
    from attune.scan.engine import scan_hits  # the detectors' regexes compile only when there is a candidate
    from attune.scan.findings import LineIndex, to_findings

    hits = scan_hits(text, filename, secrets=secrets, pii_=pii, prefiltered=True)
    return to_findings(hits, filename, LineIndex(text)) if hits else []


def scrub(text: str, filename: str = "", *, pii: bool = True) -> Scrubbed:
    """`text` with PII replaced by [EMAIL], [PHONE], ... and secrets by [SECRET:<type>], and the findings.

    `pii=False` redacts secrets only (what the hooks do to tool output the model will read).
    """
    from attune.scan.findings import LineIndex, Scrubbed, to_findings

    secrets = prefilter.has_secret_candidate(text)
    pii = pii and prefilter.has_pii_candidate(text)
    if not secrets and not pii:
        return Scrubbed(text, [])
    from attune.scan.engine import scan_hits
    from attune.scan.pii import placeholder

    hits = scan_hits(text, filename, secrets=secrets, pii_=pii, prefiltered=True)
    if not hits:
        return Scrubbed(text, [])
    parts = []
    position = 0
    for hit in hits:
        parts.append(text[position : hit.start])
        parts.append(placeholder(hit.type) if hit.kind == "pii" else f"[SECRET:{hit.type}]")
        position = hit.end
    parts.append(text[position:])
    return Scrubbed("".join(parts), to_findings(hits, filename, LineIndex(text)))


def __getattr__(name: str) -> object:
    """`Finding` and `Scrubbed` load with their module on first use: a clean PreToolUse never needs them."""
    if name in ("Finding", "Scrubbed"):
        from attune.scan import findings

        return getattr(findings, name)
    raise AttributeError(f"module 'attune.scan' has no attribute {name!r}")
