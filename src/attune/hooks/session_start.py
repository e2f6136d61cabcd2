"""SessionStart: a compact digest of the previous session and of patterns waiting for review.

Only for new sessions (`startup`, `clear`): a resumed or compacted session already has its own
history. Capped at `hooks.digest_tokens` (about four characters a token), scrubbed, and
nothing at all when there is nothing to say.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from attune import paths, sessions
from attune.hooks.payload import NOTHING, Answer, Context, Payload, specific

STAGING = "staging"
_LIST_LIMIT = 8


def handle(payload: Payload, context: Context) -> Answer:
    if not context.library:
        return NOTHING
    from attune.hooks import team

    others = team.started(payload, context) if payload.session_id else ""  # issue 14
    if payload.text("source") in ("resume", "compact"):
        shown = _capped(others, context)
        return Answer(output=specific("SessionStart", additionalContext=shown)) if shown else NOTHING
    text = digest(context, exclude=payload.session_id, first=others)
    if not text:
        return NOTHING
    return Answer(output=specific("SessionStart", additionalContext=text))


def digest(context: Context, exclude: str = "", first: str = "") -> str:
    parts = [first] if first else []
    previous = sessions.latest(context.path, exclude=exclude)
    if previous is not None:
        parts.append(_previous(previous))
    staged = _staged(context)
    if staged:
        parts.append(staged)
    text = "\n\n".join(part for part in parts if part)
    if not text:
        return ""
    return _capped(sessions.scrubbed(text), context)


def _capped(text: str, context: Context) -> str:
    limit = context.policy.digest_tokens * 4
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def _previous(record: sessions.Record) -> str:
    when = record.updated.replace("T", " ").removesuffix("Z")
    lines = [f"## Previous session in this project (last active {when} UTC)"]
    summary = record.summary
    if summary is not None:
        for title, items in (
            ("Decisions", summary.decisions),
            ("Open questions", summary.open_questions),
            ("Next steps", summary.next_steps),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"- {item}" for item in items[:_LIST_LIMIT])
    elif record.last_assistant_message:
        last = record.last_assistant_message.strip()
        lines.append("Its last answer: " + (last if len(last) <= 600 else last[:599] + "…"))
    if record.compact_summaries and summary is None:
        lines.append("Compaction summary: " + record.compact_summaries[-1][:800])
    if record.files_touched:
        lines.append("Files touched: " + _names(record.files_touched))
    return "\n".join(lines) if len(lines) > 1 else ""


def _staged(context: Context) -> str:
    folder = context.path / paths.EMPATHY_DIR / STAGING
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".md"))
    except OSError:
        return ""
    if not names:
        return ""
    from attune import config
    from attune.patterns import store

    cfg = config.read(context.path)[0]
    titles: list[str] = []
    for name in names:
        parsed = store.read_file(context.path, folder / name, cfg)
        titles.extend(f"- {p.title} ({p.category}, id {p.id})" for p in parsed.patterns)
    if not titles:
        return ""
    shown = titles[:_LIST_LIMIT]
    more = [f"- and {len(titles) - _LIST_LIMIT} more"] if len(titles) > _LIST_LIMIT else []
    return "\n".join(
        [f"## Patterns waiting for review ({len(titles)}): `empathy patterns staged` lists them", *shown, *more]
    )


def _names(files: Sequence[str]) -> str:
    shown = ", ".join(files[:10])
    return shown + (f" (+{len(files) - 10} more)" if len(files) > 10 else "")
