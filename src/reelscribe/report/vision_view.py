"""The merged view of what is on screen (output/vision/<name>.json), read for the report.

The view is data the pipeline wrote from what it read in a video, so every field is checked
as it is read: a missing or malformed one is left out, never guessed, and text stays text for
the templates to escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..results import VideoFolder

# The branches in the order the report lists them, with the words it names them by.
BRANCHES = {
    "shots": "Shots",
    "text": "On-screen text",
    "faces": "Faces",
    "moderation": "Moderation",
    "labels": "Labels",
    "celebrities": "Celebrities",
}


@dataclass(frozen=True)
class Box:
    """A Rekognition bounding box as percentages of the picture, clipped to it."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Item:
    """One thing found: a text line, a face, a moderation label, a label or a celebrity."""

    name: str
    start: float | None = None
    end: float | None = None
    confidence: float | None = None
    box: Box | None = None
    detail: str = ""


@dataclass(frozen=True)
class Shot:
    index: int
    start: float
    end: float
    thumbnail: str | None  # a path relative to the report, when the file is in the folder


@dataclass(frozen=True)
class Branch:
    available: bool
    reason: str = ""


@dataclass
class Vision:
    kind: str
    branches: dict[str, Branch]
    shots: list[Shot] = field(default_factory=list)
    cues: list[Item] = field(default_factory=list)
    found: dict[str, list[Item]] = field(default_factory=dict)
    needs_review: bool = False
    review: list[tuple[str, float | None]] = field(default_factory=list)
    poster: str | None = None
    tracks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def end(self) -> float:
        """The last time anything in the view reaches."""
        ends = [s.end for s in self.shots] + [c.end or 0.0 for c in self.cues]
        ends += [i.end or i.start or 0.0 for items in self.found.values() for i in items]
        return max(ends, default=0.0)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _time(value: Any) -> float | None:
    number = _number(value)
    return number if number is not None and number >= 0 else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def box(value: Any) -> Box | None:
    """Rekognition's {Left, Top, Width, Height} ratios as percentages, clipped to the picture."""
    if not isinstance(value, dict):
        return None
    ratios = [_number(value.get(k)) for k in ("Left", "Top", "Width", "Height")]
    if any(r is None for r in ratios):
        return None
    left, top, width, height = (float(r or 0.0) for r in ratios)
    right, bottom = min(left + width, 1.0), min(top + height, 1.0)
    left, top = max(left, 0.0), max(top, 0.0)
    if right <= left or bottom <= top:
        return None
    return Box(100 * left, 100 * top, 100 * (right - left), 100 * (bottom - top))


def _item(raw: dict[str, Any], name: str, detail: str = "") -> Item:
    start, end = _time(raw.get("start")), _time(raw.get("end"))
    if start is not None and end is not None and end < start:
        end = start
    return Item(name, start, end, _number(raw.get("confidence")), box(raw.get("box")), detail)


def _branches(raw: Any) -> dict[str, Branch]:
    given = raw if isinstance(raw, dict) else {}
    branches = {}
    for kind in BRANCHES:
        entry = given.get(kind)
        if not isinstance(entry, dict):
            branches[kind] = Branch(False, "The view does not say whether this ran.")
            continue
        available = entry.get("available") is True
        branches[kind] = Branch(available, "" if available else _text(entry.get("reason")))
    return branches


def _shots(folder: VideoFolder, raw: Any) -> list[Shot]:
    shots = []
    for number, shot in enumerate(_list(raw), start=1):
        start, end = _time(shot.get("start")), _time(shot.get("end"))
        if start is None or end is None or end < start:
            continue
        index = shot.get("index")
        thumbnail = folder.output_path(shot.get("thumbnailKey"))
        shots.append(
            Shot(
                index if isinstance(index, int) and not isinstance(index, bool) else number,
                start,
                end,
                folder.relative(thumbnail) if thumbnail else None,
            )
        )
    return sorted(shots, key=lambda s: (s.start, s.index))


def _review(raw: dict[str, Any], moderation: list[Item]) -> list[tuple[str, float | None]]:
    """The labels that flagged the video, each with its highest confidence. The view may name
    them as strings or as {name, confidence}; a bare name takes its confidence from the
    moderation items."""
    best: dict[str, float] = {}
    for item in moderation:
        if item.confidence is not None:
            best[item.name] = max(best.get(item.name, 0.0), item.confidence)
    named: dict[str, float | None] = {}
    for entry in raw.get("reviewLabels") or []:
        name = _text(entry.get("name") if isinstance(entry, dict) else entry)
        if not name:
            continue
        given = _number(entry.get("confidence")) if isinstance(entry, dict) else None
        named[name] = given if given is not None else best.get(name)
    return list(named.items())


def read_vision(folder: VideoFolder) -> Vision | None:
    """The folder's view, shaped for the page; None when the folder has none."""
    raw = folder.vision
    if not raw:
        return None
    kind = raw.get("mediaKind") if raw.get("mediaKind") in ("video", "image") else "video"
    found = {
        "text": [_item(t, _text(t.get("text"))) for t in _list(raw.get("text"))],
        "faces": [_item(f, "Face") for f in _list(raw.get("faces"))],
        "moderation": [
            _item(m, _text(m.get("name")), _text(m.get("parentName")))
            for m in _list(raw.get("moderation"))
        ],
        "labels": [
            _item(label, _text(label.get("name")), _text(label.get("parentName")))
            for label in _list(raw.get("labels"))
        ],
        "celebrities": [_item(c, _text(c.get("name"))) for c in _list(raw.get("celebrities"))],
    }
    found = {kind_: [i for i in items if i.name] for kind_, items in found.items()}
    for items in found.values():
        # In time; things seen together (or in a picture) keep the view's order.
        items.sort(key=lambda i: i.start if i.start is not None else -1.0)
    cues = [_item(c, _text(c.get("type"))) for c in _list(raw.get("technicalCues"))]
    poster = folder.output_path(raw.get("posterKey"))
    tracks_raw = raw.get("tracks") if isinstance(raw.get("tracks"), dict) else {}
    tracks = []
    for name, key in (tracks_raw or {}).items():
        path = folder.output_path(key)
        if path is not None and path.suffix.lower() == ".vtt":
            tracks.append((str(name), folder.relative(path)))
    return Vision(
        kind=str(kind),
        branches=_branches(raw.get("branches")),
        shots=_shots(folder, raw.get("shots")),
        cues=[c for c in cues if c.name and c.start is not None],
        found=found,
        needs_review=raw.get("needsReview") is True,
        review=_review(raw, found["moderation"]),
        poster=folder.relative(poster) if poster else None,
        tracks=tracks,
    )
