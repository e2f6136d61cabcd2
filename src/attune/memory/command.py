"""`empathy memory ...`: recall, and (with issue 5's store) working memory."""

from __future__ import annotations

import json
from pathlib import Path

from attune import paths, sessions
from attune.errors import UserError


def recall(*, query: str, days: float | None, limit: int, as_json: bool, root: str | None) -> int:
    from attune import config as config_mod
    from attune.memory import recall as recall_mod
    from attune.patterns import store

    top = Path(root).resolve() if root else paths.find_root()
    if not (top / paths.EMPATHY_DIR).is_dir():
        raise UserError(f"no {paths.EMPATHY_DIR}/ in {top}: run `empathy init` there, or pass --root")
    if days is not None and days <= 0:
        raise UserError("--days must be a positive number of days")
    records = [(record, paths.relative(path, top)) for record, path in sessions.every(top)]
    library = store.load_library(top, config_mod.read(top)[0])
    hits = recall_mod.build(records, library.usable).search(query, limit=limit, days=days)
    if as_json:
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
