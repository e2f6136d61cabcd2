"""`empathy report [--out FILE] [--days N] [--open] [--json]` (issue 17)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from attune import atomic, dates, paths
from attune.errors import UserError

DEFAULT_OUT = ".empathy/report.html"


def report(*, out: str | None, days: int, open_page: bool, as_json: bool, root: str | None) -> int:
    from attune.report import figures, page

    if not 1 <= days <= 3660:
        raise UserError(f"--days {days}: give a number of days from 1 to 3660")
    top = paths.project_root(root)
    found = figures.gather(top, today=dates.today(), days=days)
    if as_json:
        print(json.dumps(_plain(found), indent=2, ensure_ascii=False))
        return 0
    target = Path(out) if out else top / DEFAULT_OUT
    if out == "-":
        sys.stdout.write(page.render(found, top.name))
        return 0
    try:
        atomic.write_atomic(target, page.render(found, top.name))
    except OSError as exc:
        raise UserError(f"{target}: cannot write the report ({exc.strerror}); choose another --out") from None
    print(f"wrote {target} ({found.since} to {found.today})")
    if open_page:
        import webbrowser

        if not webbrowser.open(target.resolve().as_uri()):
            print(f"empathy: no browser to open it with; open {target} yourself", file=sys.stderr)
    return 0


def _plain(value: object) -> object:
    """NamedTuples as JSON objects, all the way down."""
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
