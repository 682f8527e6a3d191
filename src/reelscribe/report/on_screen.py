"""What is on screen, drawn from the merged view: the shots as a filmstrip on a timeline with
the text, face and moderation tracks below it, the boxes over the player or the picture, the
lists, and the banner of a video flagged for review."""

from __future__ import annotations

from typing import Any

from video_pipeline.vision_model import KIND_TITLES, VISION_KINDS

from .formats import clock
from .templating import render
from .vision_view import Item, Vision

# A thumbnail needs this many pixels to be seen, so the strip is made wide enough for the
# shortest shot to get them (a flash under a second counts as a second), within bounds; a
# narrow window scrolls the strip, not the page.
THUMB_PX = 64.0
SHORTEST_S = 1.0
STRIP_MIN_PX = 640.0
STRIP_MAX_PX = 12000.0
TICK_PX = 80.0
_STEPS = (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)
# Which found things are drawn over the player or the picture, and how each is named.
BOXED = ("text", "faces", "celebrities")
LANES = ("text", "faces", "moderation", "labels", "celebrities")


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


def boxes(vision: Vision | None) -> list[dict[str, Any]]:
    """What is drawn over the player or the picture: each text line and face with a box, and
    each moderation label as a note in the corner while it lasts."""
    if vision is None:
        return []
    drawn: list[dict[str, Any]] = []
    for kind in BOXED:
        for number, item in enumerate(vision.found.get(kind, []), start=1):
            if item.box is None:
                continue
            label = f"Face {number}" if kind == "faces" else item.name
            drawn.append(
                {
                    "kind": kind,
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
        if not vision.branches[kind].available or not vision.found.get(kind):
            continue
        bars = [b for b in (_bar(i, span) for i in vision.found[kind]) if b is not None]
        if bars:
            lanes.append({"kind": kind, "name": KIND_TITLES[kind], "bars": bars})
    cue_bars = [b for b in (_bar(c, span) for c in vision.cues) if b is not None]
    if cue_bars:
        lanes.append({"kind": "cues", "name": "Technical cues", "bars": cue_bars})
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
