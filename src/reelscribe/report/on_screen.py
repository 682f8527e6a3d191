"""What is on screen, drawn from the merged view: the shots as a filmstrip on a timeline with
the text, face and moderation tracks below it, the boxes over the player or the picture, the
lists, and the banner of a video flagged for review."""

from __future__ import annotations

from typing import Any

from video_pipeline.vision_model import KIND_TITLES, VISION_KINDS

from .formats import clock
from .templating import render
from .vision_view import Box, Item, Vision

# A thumbnail needs this many pixels to be seen, so the strip is made wide enough for the
# shortest shot to get them (a flash under a second counts as a second), within bounds; a
# narrow window scrolls the strip, not the page.
THUMB_PX = 64.0
SHORTEST_S = 1.0
STRIP_MIN_PX = 640.0
STRIP_MAX_PX = 12000.0
TICK_PX = 80.0
_STEPS = (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)
# Which found things are drawn over the player or the picture, and how each is named. A
# person is not drawn apart: the face box they were found in carries their name.
BOXED = ("text", "faces", "celebrities")
LANES = ("text", "faces", "face_search", "moderation", "labels", "celebrities")
# A lane whose marks carry their names, since who it is matters more than that one is there.
NAMED_LANES = ("face_search",)
SAME_FACE = 0.3  # intersection over union of a face's box and a person's: the same face


def moment(seconds: float) -> str:
    """A time in the video as a player shows it, with tenths where a shot starts between
    seconds (0:04.5), since shots and cues can be shorter than one."""
    tenths = round(seconds * 10) % 10
    return f"{clock(seconds)}.{tenths}" if tenths else clock(seconds)


def _percent(confidence: float | None) -> str:
    return "" if confidence is None else f"{confidence:.0f}%"


def _span(item: Item) -> str:
    if item.start is None:
        return ""
    if item.end is None or item.end - item.start < 0.5:
        return moment(item.start)
    return f"{moment(item.start)}–{moment(item.end)}"


def review_banner(vision: Vision | None) -> dict[str, Any] | None:
    """The banner's words when the video (or picture) is flagged for a moderator's look."""
    if vision is None or not vision.needs_review:
        return None
    labels = [(name, "" if c is None else f"{c:.1f}%") for name, c in vision.review]
    return {"labels": labels, "image": vision.kind == "image"}


def _overlap(a: Box, b: Box) -> float:
    width = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    height = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    shared = width * height
    return shared / (a.width * a.height + b.width * b.height - shared)


def _at_same_time(a: Item, b: Item) -> bool:
    if a.start is None or b.start is None:
        return a.start is None and b.start is None  # a picture's: always together
    a_end = a.end if a.end is not None else a.start
    b_end = b.end if b.end is not None else b.start
    return a.start <= b_end and b.start <= a_end


def person_in(face: Item, people: list[Item]) -> Item | None:
    """The enrolled person whose match was this face: seen at the same time, in the same
    place; the best overlap when several were."""
    if face.box is None:
        return None
    placed = [
        (_overlap(face.box, p.box), p)
        for p in people
        if p.box is not None and _at_same_time(face, p)
    ]
    best = max(placed, key=lambda found: found[0], default=None)
    return best[1] if best is not None and best[0] >= SAME_FACE else None


def boxes(vision: Vision | None) -> list[dict[str, Any]]:
    """What is drawn over the player or the picture: each text line and face with a box, and
    each moderation label as a note in the corner while it lasts."""
    if vision is None:
        return []
    drawn: list[dict[str, Any]] = []
    people = vision.found.get("face_search", [])
    for kind in BOXED:
        for number, item in enumerate(vision.found.get(kind, []), start=1):
            if item.box is None:
                continue
            label = f"Face {number}" if kind == "faces" else item.name
            person = person_in(item, people) if kind == "faces" else None
            if person is not None:
                label = person.name
            drawn.append(
                {
                    "kind": kind,
                    "person": person is not None,
                    "number": number,
                    "label": label,
                    "title": f"{label} ({_percent(item.confidence)})".replace(" ()", ""),
                    "start": item.start,
                    "end": item.end,
                    "box": item.box,
                }
            )
    for item in vision.found.get("moderation", []):
        if item.start is None:
            continue
        drawn.append(
            {
                "kind": "moderation",
                "person": False,
                "number": 0,
                "label": f"{item.name} {_percent(item.confidence)}".strip(),
                "title": item.detail,
                "start": item.start,
                "end": item.end,
                "box": None,
            }
        )
    return drawn


def _step(span: float, width: float) -> float:
    return next((s for s in _STEPS if width * s / span >= TICK_PX), _STEPS[-1])


def _bar(item: Item, span: float) -> dict[str, Any] | None:
    if item.start is None:
        return None
    end = item.end if item.end is not None else item.start
    return {
        "left": 100 * item.start / span,
        "width": 100 * max(end - item.start, 0.0) / span,
        "at": item.start,
        "title": f"{_span(item)} {item.name} {_percent(item.confidence)}".strip(),
        "name": item.name,
    }


def filmstrip(vision: Vision, length: float | None) -> dict[str, Any]:
    """The strip's geometry, in percentages of the video's length so it scales with its box."""
    span = max(length or 0.0, vision.end, 0.001)
    shortest = min((s.end - s.start for s in vision.shots if s.end > s.start), default=span)
    width = min(max(span * THUMB_PX / max(shortest, SHORTEST_S), STRIP_MIN_PX), STRIP_MAX_PX)
    shots = [
        {
            "index": s.index,
            "start": s.start,
            "left": 100 * s.start / span,
            "width": 100 * (s.end - s.start) / span,
            "thumbnail": s.thumbnail,
            "at": moment(s.start),
            "title": f"Shot {s.index}: {moment(s.start)}–{moment(s.end)}",
        }
        for s in vision.shots
    ]
    lanes = []
    for kind in LANES:
        branch = vision.branches.get(kind)
        if branch is None or not branch.available or not vision.found.get(kind):
            continue
        bars = [b for b in (_bar(i, span) for i in vision.found[kind]) if b is not None]
        if bars:
            named = kind in NAMED_LANES
            lanes.append({"kind": kind, "name": KIND_TITLES[kind], "bars": bars, "named": named})
    cue_bars = [b for b in (_bar(c, span) for c in vision.cues) if b is not None]
    if cue_bars:
        lanes.append({"kind": "cues", "name": "Technical cues", "bars": cue_bars, "named": False})
    step, ticks, tick = _step(span, width), [], 0.0
    while tick <= span + 1e-9:
        ticks.append((clock(tick), 100 * tick / span))
        tick += step
    return {"span": span, "width": width, "shots": shots, "lanes": lanes, "ticks": ticks}


def _listed(vision: Vision, kind: str) -> dict[str, Any]:
    branch = vision.branches[kind]
    items = vision.found.get(kind, [])
    return {
        "kind": kind,
        "name": KIND_TITLES[kind],
        "available": branch.available,
        "reason": branch.reason or "No reason was given.",
        "entries": [
            {
                "number": number,
                "name": item.name,
                "detail": item.detail,
                "when": _span(item),
                "at": item.start,
                "confidence": _percent(item.confidence),
                "boxed": item.box is not None and kind in BOXED,
            }
            for number, item in enumerate(items, start=1)
        ],
    }


def on_screen_section(vision: Vision, length: float | None, playable: bool) -> str:
    """The section: the filmstrip and tracks for a video, then each branch's list (or why
    there is none). `playable` says whether a player is there to seek."""
    video = vision.kind == "video"
    cues = [
        {"name": c.name, "when": _span(c), "at": c.start, "number": n, "detail": ""}
        for n, c in enumerate(vision.cues, start=1)
    ]
    return render(
        "on_screen.html.j2",
        refused="",
        video=video,
        playable=playable and video,
        strip=filmstrip(vision, length) if video else None,
        shots=vision.branches["shots"],
        shot_count=len(vision.shots),
        lists=[_listed(vision, kind) for kind in VISION_KINDS if kind != "shots"],
        cues=cues,
        tracks=vision.tracks,
    )


def refused_section(reason: str) -> str:
    """The section for a view that does not match the model: why it was not drawn."""
    return render("on_screen.html.j2", refused=reason)
