"""A library review as a pull-request comment (GitHub-flavoured Markdown) or as JSON with the same content."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from attune.patterns.review import PatternChange, Review, RuleChange
from attune.sync.targets import review as targets_review

# A hidden first line, so that a CI step can find its own comment and update it instead of adding one.
MARKER = "<!-- attune-companion: pattern review -->"
MAX_ROWS = 50  # a comment is capped at 65,536 characters; the JSON output always has every row
_SHORT_FIELDS = ("title", "category", "paths", "status", "tags", "confidence", "source", "file")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~@])")


def as_markdown(review: Review) -> str:
    base, head = review.base, review.head
    refs = f"{_code(base.ref)} → {_code(head.ref)} ({_code(base.sha[:7])}..{_code(head.sha[:7])})"
    lines = [MARKER, "### Pattern library review", ""]
    if review.empty:
        return "\n".join([*lines, f"{refs}: no change to the pattern library.", ""])
    counts = _counts(review.patterns)
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no pattern added, changed or removed"
    lines.append(f"{refs}: **{summary}**. {_tokens_sentence(review)}")
    if review.patterns:
        lines += ["", "| change | pattern | category | applies to | details |", "|---|---|---|---|---|"]
        lines += _capped([_pattern_row(c) for c in review.patterns])
    if review.rules:
        output = head.config.output_dir
        lines += ["", f"**Rule files** in {_code(output + '/')}", ""]
        lines += ["| file | loads | patterns (+ in, − out, ~ edited) | globs | ≈ tokens |", "|---|---|---|---|---|"]
        lines += _capped([_rule_row(r) for r in review.rules])
    lines += targets_review.as_markdown(review.targets, _code)  # issue 16
    if review.problems:
        text = "\n".join(str(p) for p in review.problems)
        fence = "`" * max(3, _longest_backticks(text) + 1)
        lines += ["", "**Problems at head** in the files this change touches:", "", f"{fence}text", text, fence]
    if review.duplicates:
        lines += ["", "**Possible duplicates**: the same fix in other words; merge them or say how they differ.", ""]
        lines += _capped([
            f"- {_code(d.first.id)} and {_code(d.second.id)} ({_code(d.second.file)}): "
            f"{d.similarity:.0%} of their fix words in common"
            for d in review.duplicates
        ])  # fmt: skip
    return "\n".join([*lines, ""])


def as_json(review: Review) -> str:
    tokens = review.tokens
    data = {
        "base": {"ref": review.base.ref, "commit": review.base.sha},
        "head": {"ref": review.head.ref, "commit": review.head.sha},
        "summary": _counts(review.patterns),
        "patterns": [_pattern_json(c) for c in review.patterns],
        "rules": [_rule_json(review.head.config.output_dir, r) for r in review.rules],
        "targets": targets_review.as_json(review.targets),
        "every_session_tokens": {
            "before": tokens.before, "after": tokens.after, "change": tokens.after - tokens.before,
            "budget": review.head.config.token_budget, "method": "rendered" if tokens.rendered else "estimated",
            "note": tokens.note,
        },
        "problems": [
            {"path": p.path, "line": p.line, "message": p.message, "severity": "warning" if p.warning else "error"}
            for p in review.problems
        ],
        "duplicates": [
            {"pattern": d.first.id, "file": d.first.file, "repeats": d.second.id, "repeats_file": d.second.file,
             "similarity": d.similarity}
            for d in review.duplicates
        ],
    }  # fmt: skip
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _counts(changes: Sequence[PatternChange]) -> dict[str, int]:
    kinds = ("added", "changed", "removed", "promoted", "unreadable")
    return {kind: sum(1 for c in changes if c.kind == kind) for kind in kinds}


def _tokens_sentence(review: Review) -> str:
    tokens = review.tokens
    delta = tokens.after - tokens.before
    how = "" if tokens.rendered else f" (approx.: estimated from titles and bodies, because {tokens.note})"
    change = "no change" if delta == 0 else f"{delta:+,}"
    budget = review.head.config.token_budget
    over = f", over the token_budget of {budget:,}" if tokens.after > budget else ""
    return f"Rules loaded in every session: ≈{tokens.before:,} → ≈{tokens.after:,} tokens ({change}{over}){how}."


def _pattern_row(change: PatternChange) -> str:
    shown = change.pattern
    name = f"{_code(change.id)} {_text(shown.title)}"
    details = {
        "added": f"new, {shown.status}",
        "removed": "removed from the library",
        "unreadable": "its file has errors at head (see the problems below)",
    }.get(change.kind) or _field_changes(change)
    return _row(change.kind, name, shown.category, _scope(shown.paths), details)


def _field_changes(change: PatternChange) -> str:
    old, new = change.before, change.after
    if old is None or new is None:  # promoted from staging: a new library file
        return "promoted from `.empathy/staging/`"
    parts = []
    for field in change.fields:
        if field in ("status", "category", "confidence"):
            parts.append(f"{field}: {_text(str(getattr(old, field)))} → {_text(str(getattr(new, field)))}")
        elif field == "paths":
            parts.append(f"paths: {_scope(old.paths)} → {_scope(new.paths)}")
        elif field == "file":
            parts.append(f"moved from {_code(old.file)}")
        else:
            parts.append(field)
    return ", ".join(parts)


def _rule_row(change: RuleChange) -> str:
    state = {"new": " (new)", "removed": " (removed)", "kept": " (kept as it was: a source file has errors)"}
    name = f"{_code(change.name)}{state.get(change.state, '')}"
    loads = "every session" if change.always else _scope(change.globs)
    members = " ".join(
        [f"+{_code(i)}" for i in change.added] + [f"−{_code(i)}" for i in change.removed]
        + [f"~{_code(i)}" for i in change.changed]
    )  # fmt: skip
    globs = " ".join([f"+{_code(g)}" for g in change.globs_added] + [f"−{_code(g)}" for g in change.globs_removed])
    tokens = f"{change.tokens_before:,} → {change.tokens_after:,}"
    return _row(name, loads, members, globs, tokens)


def _pattern_json(change: PatternChange) -> dict[str, object]:
    shown = change.pattern
    data: dict[str, object] = {
        "kind": change.kind, "id": change.id, "title": shown.title, "category": shown.category,
        "status": shown.status, "paths": list(shown.paths), "file": shown.file, "fields": list(change.fields),
    }  # fmt: skip
    if change.before is not None and change.after is not None:
        data["before"] = {f: _plain(getattr(change.before, f)) for f in change.fields if f in _SHORT_FIELDS}
    return data


def _rule_json(output_dir: str, change: RuleChange) -> dict[str, object]:
    return {
        "file": f"{output_dir}/{change.name}", "state": change.state, "every_session": change.always,
        "globs": list(change.globs), "globs_added": list(change.globs_added),
        "globs_removed": list(change.globs_removed), "patterns_added": list(change.added),
        "patterns_removed": list(change.removed), "patterns_changed": list(change.changed),
        "tokens_before": change.tokens_before, "tokens_after": change.tokens_after,
    }  # fmt: skip


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _capped(rows: Sequence[str]) -> list[str]:
    if len(rows) <= MAX_ROWS:
        return list(rows)
    return [*rows[:MAX_ROWS], "", f"… and {len(rows) - MAX_ROWS} more (`--format json` lists them all)"]


def _row(*cells: str) -> str:
    return "| " + " | ".join(cell.replace("\n", " ") for cell in cells) + " |"


def _scope(globs: Iterable[str]) -> str:
    shown = [_code(g) for g in globs]
    return ", ".join(shown) if shown else "everywhere"


def _code(text: str) -> str:
    """Inline code that survives any backticks in `text`, and a table's `|`."""
    fence = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def _text(text: str) -> str:
    """Pattern text as plain words: no Markdown, links, HTML or @mentions of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)
