"""The report as one self-contained HTML page: styles inline, charts as SVG, no script, no network (issue 17)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from html import escape

from attune.report import svg
from attune.report.figures import Figures

_STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto;
       max-width: 960px; padding: 24px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; border-bottom: 1px solid #ddd; margin-top: 32px; }
.muted, .empty { color: #777; } .warn { color: #b04a4a; font-weight: 600; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.tile { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.tile b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { text-align: left; padding: 3px 8px; }
th { border-bottom: 1px solid #bbb; } tr:nth-child(even) td { background: #f6f6f6; }
code { font-size: 12px; } svg.chart text { font-size: 11px; fill: #333; }
"""


def render(figures: Figures, project: str) -> str:
    days = _days(figures.since, figures.today)
    sections = [_library(figures), _rules(figures), _guards(figures, days), _costs(figures, days), _sessions(figures)]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Attune report: {text(project)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Attune report: {text(project)}</h1>"
        f'<p class="muted">{figures.since} to {figures.today} ({figures.days} days). Built by '
        "<code>empathy report</code> from the library, the rule files, the ledgers and the session records "
        "on this machine; nothing here left it.</p>" + "".join(sections) + "</body></html>\n"
    )


@functools.lru_cache(maxsize=4096)
def text(value: object) -> str:
    """Escaped for HTML, and scrubbed once more: the sources are scrubbed records, but a page is shared."""
    from attune import scan

    return escape(scan.scrub(str(value)).text)


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{body}</section>'


def _tiles(items: Iterable[tuple[str, object]]) -> str:
    return (
        '<div class="tiles">'
        + "".join(f'<div class="tile"><b>{text(v)}</b>{text(k)}</div>' for k, v in items)
        + "</div>"
    )


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], empty: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{text(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    if not body:
        return f'<p class="empty">{escape(empty)}</p>'
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _library(f: Figures) -> str:
    lib = f.library
    totals = {category: sum(counts.values()) for category, counts in lib.by_category.items()}
    statuses = {s: sum(c.get(s, 0) for c in lib.by_category.values()) for s in ("active", "staged", "deprecated")}
    body = _tiles([("patterns", sum(totals.values())), *statuses.items(), ("waiting for review", len(lib.staged)),
                   ("problems", lib.problem_count)])  # fmt: skip
    body += svg.bars(totals, label="patterns by category")
    body += "<h3>Staged, waiting for review</h3>" + _table(
        ("id", "title", "category", "age (days)"), [(s.id, s.title, s.category, s.age_days) for s in lib.staged[:50]],
        "Nothing is waiting for review.",
    )  # fmt: skip
    body += "<h3>Validation problems</h3>" + _table(("problem",), [(p,) for p in lib.problems], "No problems.")
    body += "<h3>Near-duplicates</h3>" + _table(
        ("pattern", "pattern", "fix words in common"), [(a, b, f"{score}%") for a, b, score in lib.duplicates],
        "No two patterns give the same fix.",
    )  # fmt: skip
    return _section("library", "Library health", body)


def _rules(f: Figures) -> str:
    rules = f.rules
    over = rules.always_tokens > rules.budget
    body = _tiles([("rule files", len(rules.files)), ("always-loaded tokens", f"≈{rules.always_tokens:,}"),
                   ("token budget", f"{rules.budget:,}"), ("never loaded", len(rules.never_loaded))])  # fmt: skip
    if over:
        body += (
            f'<p class="warn">Rules loaded in every session cost ≈{rules.always_tokens:,} tokens, '
            f"over the budget of {rules.budget:,}.</p>"
        )
    body += svg.bars({r.name: r.loads + r.delivered for r in rules.files if r.loads or r.delivered}, label="rule loads")
    body += _table(
        ("file", "scope", "≈ tokens", "loaded", "delivered on write", "last loaded"),
        [(r.name, ", ".join(r.scope) or "every session", r.tokens, r.loads, r.delivered, r.last_loaded or "never")
         for r in rules.files],
        "No rule files: run empathy-sync-claude.",
    )  # fmt: skip
    return _section("rules", "Rules", body)


def _guards(f: Figures, days: list[str]) -> str:
    g = f.guards
    errors = sum(g.hook_errors.values())
    body = _tiles([("blocked", g.blocked), ("redactions and refusals", sum(g.redactions.values())),
                   ("hook errors", errors), ("failed open", g.failed_open)])  # fmt: skip
    if g.failed_open:
        body += (
            f'<p class="warn">{g.failed_open} guarded call(s) went through unchecked because '
            "<code>on_error: allow</code>.</p>"
        )
    body += "<h3>Blocked over time</h3>" + svg.columns(days, g.by_day, label="blocked calls by day")
    body += "<h3>Blocked by tool</h3>" + svg.bars(g.by_tool, label="blocked calls by tool")
    body += "<h3>By finding type</h3>" + svg.bars(g.by_type, label="blocked calls by finding type")
    body += "<h3>Redactions, scrubs and refused writes</h3>" + _table(
        ("record", "entries"), list(g.redactions.items()), "None in this period."
    )
    body += "<h3>Hook errors</h3>" + _table(("event", "errors"), list(g.hook_errors.items()), "No hook errors.")
    return _section("guards", "Guards", body)


def _costs(f: Figures, days: list[str]) -> str:
    c = f.costs
    body = _tiles([
        ("spent", f"${c.total_usd:.4f}"), ("calls", c.calls), ("cache saved", f"${c.cache_saved_usd:.4f}"),
        ("routing saved", f"${c.routing_saved_usd:.4f}"), ("daily ceiling", f"${c.daily_limit_usd:.2f}"),
    ])  # fmt: skip
    body += "<h3>Spend by day</h3>" + svg.columns(days, c.by_day, label="spend by day", unit=" $")
    body += "<h3>By wizard</h3>" + svg.bars(c.by_wizard, label="spend by wizard", unit=" $")
    body += "<h3>By tier</h3>" + svg.bars(c.by_tier, label="spend by tier", unit=" $")
    body += (
        f'<p class="muted">Always using the premium tier would have cost ${c.premium_usd:.4f} '
        "(an estimate from the same tokens).</p>"
    )
    return _section("costs", "Costs", body)


def _sessions(f: Figures) -> str:
    s = f.sessions
    body = _tiles([("sessions", s.total), ("active now", len(s.active))])
    spans = [(r.id, r.started, r.updated) for r in reversed(s.recent[:30])]
    body += svg.timeline(spans, f.since, f.today, label="sessions")
    body += _table(("session", "started", "last update", "decisions", "files"),
                   [(r.id, r.started, r.updated, "; ".join(r.decisions), ", ".join(r.files)) for r in s.recent],
                   "No sessions in this period.")  # fmt: skip
    if s.active:
        body += "<h3>Active sessions and leases</h3>" + _table(
            ("session", "files held", "since", "doing"),
            [(a.session, ", ".join(a.files), a.since, a.doing) for a in s.active], "",
        )  # fmt: skip
    return _section("sessions", "Sessions", body)


def _days(first: str, last: str) -> list[str]:
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    return [(start + datetime.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
