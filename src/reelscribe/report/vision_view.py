"""The merged view of what is on screen (output/vision/<name>.json), read for the report.

The view is read through the layer's own model (video_pipeline.vision_model), the one the
pipeline wrote it with: a file that does not match it is refused with the reason, never
guessed at. What is shaped here is for the page: boxes as percentages clipped to the picture,
items of every kind named alike, keys followed to files inside the folder, and text that stays
text for the templates to escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from video_pipeline.vision_model import Box as ViewBox
from video_pipeline.vision_model import Branch, VisionView

from ..results import VideoFolder


class ViewError(ValueError):
    """The folder's view is not a merged vision view the pipeline writes."""


@dataclass(frozen=True)
class Box:
    """A Rekognition bounding box as percentages of the picture, clipped to it."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Item:
    """One thing found: a text line, a face, a person, a moderation label, a label or a
    celebrity."""

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


def box(value: ViewBox | None) -> Box | None:
    """Rekognition's ratios as percentages, clipped to the picture; None when nothing is left."""
    if value is None:
        return None
    right, bottom = min(value.Left + value.Width, 1.0), min(value.Top + value.Height, 1.0)
    left, top = max(value.Left, 0.0), max(value.Top, 0.0)
    if right <= left or bottom <= top:
        return None
    return Box(100 * left, 100 * top, 100 * (right - left), 100 * (bottom - top))


def _review(view: VisionView, moderation: list[Item]) -> list[tuple[str, float | None]]:
    """The labels that flagged the video, each with its highest confidence among the
    moderation items."""
    best: dict[str, float] = {}
    for item in moderation:
        if item.confidence is not None:
            best[item.name] = max(best.get(item.name, 0.0), item.confidence)
    return [(name, best.get(name)) for name in dict.fromkeys(view.reviewLabels)]


def read_view(folder: VideoFolder) -> VisionView | None:
    """The folder's view as the pipeline wrote it; None when the folder has none."""
    path = folder.media("vision")
    if path is None:
        return None
    try:
        return VisionView.model_validate_json(path.read_bytes())
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'the file'}: {e['msg']}"
            for e in error.errors()[:5]
        )
        more = error.error_count() - 5
        more_text = f" (and {more} more)" if more > 0 else ""
        raise ViewError(
            f"{folder.relative(path)} is not a merged vision view: {problems}{more_text}"
        ) from error


def read_vision(folder: VideoFolder) -> Vision | None:
    """The folder's view, shaped for the page; None when the folder has none. A view that does
    not match the model raises ViewError."""
    view = read_view(folder)
    if view is None:
        return None
    found = {
        "text": [Item(t.text, t.start, t.end, t.confidence, box(t.box)) for t in view.text],
        "faces": [Item("Face", f.start, f.end, f.confidence, box(f.box)) for f in view.faces],
        "face_search": [
            Item(p.name, p.start, p.end, p.similarity, box(p.box)) for p in view.people
        ],
        "moderation": [
            Item(m.name, m.start, m.end, m.confidence, detail=m.parentName) for m in view.moderation
        ],
        "labels": [Item(lb.name, lb.start, lb.end, lb.confidence) for lb in view.labels],
        "celebrities": [
            Item(c.name, c.start, c.end, c.confidence, box(c.box)) for c in view.celebrities
        ],
    }
    found = {kind: [i for i in items if i.name.strip()] for kind, items in found.items()}
    for items in found.values():
        # In time; things seen together (or in a picture) keep the view's order.
        items.sort(key=lambda i: i.start if i.start is not None else -1.0)
    shots = []
    for shot in sorted(view.shots, key=lambda s: (s.start, s.index)):
        thumbnail = folder.output_path(shot.thumbnailKey)
        linked = folder.relative(thumbnail) if thumbnail else None
        shots.append(Shot(shot.index, shot.start, shot.end, linked))
    poster = folder.output_path(view.posterKey)
    tracks = []
    for name, key in view.tracks.items():
        path = folder.output_path(key)
        if path is not None and path.suffix.lower() == ".vtt":
            tracks.append((name, folder.relative(path)))
    return Vision(
        kind=view.mediaKind,
        branches=dict(view.branches),
        shots=shots,
        cues=[Item(c.type, c.start, c.end) for c in view.technicalCues if c.type.strip()],
        found=found,
        needs_review=view.needsReview,
        review=_review(view, found["moderation"]),
        poster=folder.relative(poster) if poster else None,
        tracks=tracks,
    )
