"""Charts as inline SVG, drawn by our code: no library, no script, readable with JavaScript off (issue 17)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

WIDTH = 640
BAR = 18  # height of one horizontal bar, and the gap pattern around it
COLOURS = ("#3b6ea5", "#d9822b", "#5a9e5a", "#b04a4a", "#7d5ba6", "#8c8c8c")


def bars(values: Mapping[str, float], *, label: str, unit: str = "") -> str:
    """One horizontal bar per key, longest first as given; the value printed at the bar's end."""
    if not values:
        return f'<p class="empty">No {escape(label)} in this period.</p>'
    top = max(values.values()) or 1
    rows = []
    for index, (name, value) in enumerate(values.items()):
        y = index * (BAR + 6)
        length = max(1.0, 380 * value / top)
        rows.append(
            f'<g class="bar"><text x="0" y="{y + 13}">{escape(_short(name))}</text>'
            f'<rect x="200" y="{y}" width="{length:.1f}" height="{BAR}" fill="{COLOURS[index % len(COLOURS)]}">'
            f"<title>{escape(name)}: {_number(value)}{escape(unit)}</title></rect>"
            f'<text x="{206 + length:.1f}" y="{y + 13}">{_number(value)}{escape(unit)}</text></g>'
        )
    height = len(values) * (BAR + 6)
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def columns(days: Sequence[str], values: Mapping[str, float], *, label: str, unit: str = "") -> str:
    """One column per day of the period (days without a value are zero), for figures over time."""
    if not any(values.get(day) for day in days):
        return f'<p class="empty">No {escape(label)} in this period.</p>'
    top = max(values.get(day, 0) for day in days) or 1
    step = (WIDTH - 40) / max(1, len(days))
    parts = []
    for index, day in enumerate(days):
        value = values.get(day, 0)
        height = 120 * value / top
        x = 40 + index * step
        parts.append(
            f'<rect class="column" x="{x:.1f}" y="{130 - height:.1f}" width="{max(1.0, step - 2):.1f}" '
            f'height="{height:.1f}" fill="{COLOURS[0]}"><title>{day}: {_number(value)}{escape(unit)}</title></rect>'
        )
    parts.append(f'<text x="0" y="14">{_number(top)}{escape(unit)}</text><text x="0" y="130">0</text>')
    parts.append(f'<text x="40" y="148">{days[0]}</text><text x="{WIDTH - 80}" y="148">{days[-1]}</text>')
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{WIDTH}" height="152" '
        f'viewBox="0 0 {WIDTH} 152" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def timeline(spans: Sequence[tuple[str, str, str]], first: str, last: str, *, label: str) -> str:
    """Sessions as spans (name, start, end; ISO times) between two days."""
    if not spans:
        return f'<p class="empty">No {escape(label)} in this period.</p>'
    start, end = _seconds(first + "T00:00:00"), _seconds(last + "T23:59:59")
    scale = (WIDTH - 200) / max(1, end - start)
    parts = []
    for index, (name, began, ended) in enumerate(spans):
        x = 200 + max(0, _seconds(began) - start) * scale
        width = max(2.0, (_seconds(ended) - _seconds(began)) * scale)
        y = index * (BAR - 4)
        parts.append(
            f'<g class="span"><text x="0" y="{y + 11}">{escape(_short(name))}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR - 8}" fill="{COLOURS[2]}">'
            f"<title>{escape(name)}: {escape(began)} to {escape(ended)}</title></rect></g>"
        )
    height = len(spans) * (BAR - 4) + 4
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def _seconds(stamp: str) -> float:
    import datetime

    try:
        moment = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".") if value < 1 else f"{value:,.2f}"
