"""Readable numbers for the report: durations, media times, file sizes and indented JSON."""

from __future__ import annotations

from typing import Any

from ..jsonfiles import to_json


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
