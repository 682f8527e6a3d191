"""`reelscribe search`'s answer as a person reads it: hits by upload, each moment's time, kind
and snippet with the matched words marked."""

from __future__ import annotations

import html
import re
from typing import Any, TextIO

_MARK = re.compile(r"<b>(.*?)</b>", re.DOTALL)
_KIND_NAMES = {
    "transcript": "said",
    "text": "on screen",
    "label": "label",
    "face": "face",
    "celebrity": "celebrity",
    "moderation": "moderation",
    "keyPhrase": "key phrase",
    "entity": "entity",
    "shot": "shot",
    "person": "person",
}


def clock(seconds: float | None) -> str:
    """12.3 -> 0:12.3; an hour or more -> 1:02:03.0; a picture's moment has no time."""
    if seconds is None:
        return "picture"
    minutes, rest = divmod(float(seconds), 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours}:{minutes:02d}:{rest:04.1f}" if hours else f"{minutes}:{rest:04.1f}"


def plain(highlight: str, bold: bool) -> str:
    """The snippet's marks as terminal bold, or [brackets] where there is no terminal."""
    marked = _MARK.sub(lambda m: f"\x1b[1m{m[1]}\x1b[0m" if bold else f"[{m[1]}]", highlight)
    return html.unescape(" ".join(marked.split()))


def print_results(found: dict[str, Any], stream: TextIO) -> None:
    bold = stream.isatty()
    total, hits = found["total"], found["hits"]
    noun = "upload" if total == 1 else "uploads"
    print(f'{total} {noun} match "{found["query"]}"', file=stream)
    for hit in hits:
        where = f"  {hit['report']}" if hit.get("report") else ""
        print(f"\n{hit['name']}  ({hit['user']}, {hit['mediaKind']}){where}", file=stream)
        for moment in hit["moments"]:
            kind = _KIND_NAMES.get(moment["kind"], moment["kind"])
            text = plain(moment["highlight"], bold)
            print(f"  {clock(moment['start']):>9}  {kind:<11} {text}", file=stream)
    if len(hits) < total:
        print(f"\n{total - len(hits)} more; raise --limit to see them", file=stream)
    facets = found["facets"]
    for name, title in (("kind", "kinds"), ("user", "users"), ("language", "languages")):
        counts = facets.get(name) or {}
        if counts:
            listed = ", ".join(f"{value or '-'} {n}" for value, n in sorted(counts.items()))
            print(f"{title}: {listed}", file=stream)
