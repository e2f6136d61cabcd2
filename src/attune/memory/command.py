"""`empathy memory ...`: recall, and (with issue 5's store) working memory."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from attune import paths
from attune.errors import UserError

if TYPE_CHECKING:
    from attune.config import Config


def recall(*, query: str, days: float | None, limit: int, as_json: bool, root: str | None) -> int:
    from attune.memory import ranking

    top = Path(root).resolve() if root else paths.find_root()
    if not (top / paths.EMPATHY_DIR).is_dir():
        raise UserError(f"no {paths.EMPATHY_DIR}/ in {top}: run `empathy init` there, or pass --root")
    if days is not None and days <= 0:
        raise UserError("--days must be a positive number of days")
    # The index on disk, brought up to date with the files that changed since the last call (issue 13).
    hits = ranking.recall_hits(top, lambda: _config(top), query, limit=limit, days=days)
    # Titles and snippets come scrubbed: the index stores them so (an older release's records may hold a secret).
    if as_json:
        import json

        print(json.dumps([{"kind": h.document.kind, "id": h.document.key, "title": h.document.title,
                           "date": h.document.date, "path": h.document.where, "score": h.score,
                           "snippet": h.snippet} for h in hits], indent=2, ensure_ascii=False))  # fmt: skip
        return 0
    if not hits:
        print(f"nothing recalled for {query!r}")
        return 0
    for hit in hits:
        doc = hit.document
        when = doc.date[:10] or "undated"
        print(f"{hit.score:6.2f}  {doc.kind:7}  {when}  {doc.title}  ({doc.where})")
        if hit.snippet:
            print(f"        {hit.snippet}")
    return 0


def _config(top: Path) -> Config:
    from attune import config as config_mod  # read only when a pattern file has to be parsed again (issue 13)

    return config_mod.read(top)[0]


def _clean(text: str) -> str:
    from attune import scan

    return scan.scrub(text).text


def _top(root: str | None) -> Path:
    return Path(root).resolve() if root else paths.find_root()


def stash(*, key: str, value: str, ttl: float | None, agent: str | None, root: str | None) -> int:
    import json

    from attune.memory import working

    try:
        parsed: object = json.loads(value)
    except ValueError:
        parsed = value  # not JSON: keep it as text
    entry = working.stash(key, parsed, ttl, agent_id=agent, root=_top(root))
    scope = f" for agent {agent}" if agent else ""
    minutes = (entry.expires_in or 0) / 60
    print(f"remembered {key!r}{scope} for {minutes:.0f} min ({entry.classification})")
    return 0


def get(*, key: str, agent: str | None, root: str | None) -> int:
    import json

    from attune.memory import working

    entry = working.get_entry(key, agent, root=_top(root))
    if entry is None:
        print(f"nothing remembered under {key!r} (expired or never stashed)", file=sys.stderr)
        return 1
    print(json.dumps(entry.value, ensure_ascii=False, indent=2) if not isinstance(entry.value, str) else entry.value)
    return 0


def list_keys(*, prefix: str, agent: str | None, root: str | None) -> int:
    from attune.memory import working

    for entry in sorted(working.entries(prefix, agent_id=agent, root=_top(root)), key=lambda e: e.key):
        left = f"{entry.expires_in / 60:.0f} min left" if entry.expires_in is not None else "no expiry"
        owner = f"  agent {_clean(entry.agent)}" if entry.agent else ""
        print(f"{_clean(entry.key)}\t{left}\t{entry.classification}{owner}")  # keys stored before issue 10
    return 0


def forget(*, key: str, agent: str | None, root: str | None) -> int:
    from attune.memory import working

    if working.forget(key, agent_id=agent, root=_top(root)):
        print(f"forgot {key!r}")
        return 0
    print(f"nothing remembered under {key!r}", file=sys.stderr)
    return 1


def clear(*, root: str | None) -> int:
    from attune.memory import working

    count = working.clear(root=_top(root))
    print(f"cleared {count} entr{'y' if count == 1 else 'ies'} from working memory")
    return 0
