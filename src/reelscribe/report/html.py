"""Small helpers for writing HTML by hand: escaping, embedded JSON and readable numbers."""

from __future__ import annotations

import html
from typing import Any

from ..jsonfiles import to_json


def esc(value: object) -> str:
    """Text for an element's content or a quoted attribute value."""
    return html.escape(str(value), quote=True)


def json_script(element_id: str, data: Any) -> str:
    """Data for the page's script, as a JSON block the browser never executes.

    `</` is escaped so no string in the data can close the script element early, and the
    line separators JavaScript once treated as line ends are escaped too.
    """
    text = to_json(data, indent=False, lenient=True)
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def seconds(value: float | None) -> str:
    """A duration the way a person reads it: 0.05 s, 4.2 s, 2 min 05 s."""
    if value is None:
        return "–"
    if value < 0.995:
        return f"{value:.2f} s"
    if value < 60:
        return f"{value:.1f} s"
    minutes, rest = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def clock(value: float) -> str:
    """A media time as a player shows it: 0:07, 1:02:03."""
    whole = max(0, int(value))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def size(value: int) -> str:
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.0f} KiB"
    return f"{value / (1024 * 1024):.1f} MiB"


def pretty_json(value: Any, limit: int | None = None) -> str:
    """Indented JSON, cut at `limit` characters with a note saying so."""
    text = value if isinstance(value, str) else to_json(value, lenient=True)
    if limit is not None and len(text) > limit:
        return text[:limit] + f"\n… ({len(text) - limit:,} more characters not shown)"
    return text
