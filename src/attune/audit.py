"""The audit log, `.empathy/audit.jsonl`: refusals, redactions, promotions, rejections, classifications.

One JSON object per line, appended (one write per line, so processes do not interleave). It
never holds a secret value: callers pass types and masked values, and every string is scrubbed
again here in case one slipped through.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

from attune import appendlog, paths

FILE = "audit.jsonl"


def record(root: Path, action: str, **fields: object) -> None:
    """Append one entry; a project without `.empathy/` keeps no audit log."""
    folder = root / paths.EMPATHY_DIR
    if not folder.is_dir():
        return
    from attune import scan

    def clean(value: object) -> object:
        if isinstance(value, str):
            return scan.scrub(value).text
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        return value

    entry: dict[str, object] = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "action": action}
    entry.update({key: clean(value) for key, value in fields.items()})
    appendlog.append_line(folder / FILE, json.dumps(entry, ensure_ascii=False))  # never through a link (issue 11)


def entries(root: Path) -> Iterator[dict[str, object]]:
    try:
        with open(root / paths.EMPATHY_DIR / FILE, encoding="utf-8") as handle:
            for line in handle:
                try:
                    yield json.loads(line)
                except ValueError:
                    continue
    except OSError:
        return
