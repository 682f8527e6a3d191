"""The merged vision view: Rekognition Video's raw items, one timestamped document.

Detections arrive frame by frame; the view keeps spans. A text line or a label seen again
within MERGE_GAP_SECONDS continues its span, and a face continues its appearance when its box
overlaps the last one, so a slide held for ten seconds is one line, not twenty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .vision_model import VISION_KINDS, view_document

MERGE_GAP_SECONDS = 1.5
FACE_OVERLAP = 0.3  # intersection over union that keeps a face in the same appearance
EXCERPT_CHARACTERS = 200


def _seconds(millis: Any) -> float:
    return round(float(millis or 0) / 1000.0, 3)


def bounding_box(geometry: dict[str, Any] | None) -> dict[str, float]:
    """Rekognition's BoundingBox (ratios of the frame), rounded; zeros where it is missing."""
    box = geometry or {}
    return {k: round(float(box.get(k) or 0.0), 4) for k in ("Left", "Top", "Width", "Height")}


def shots_and_cues(raw: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    shots: list[dict[str, Any]] = []
    cues: list[dict[str, Any]] = []
    for segment in raw.get("Segments") or []:
        start = _seconds(segment.get("StartTimestampMillis"))
        end = _seconds(segment.get("EndTimestampMillis"))
        if segment.get("Type") == "SHOT":
            shots.append({"index": len(shots) + 1, "start": start, "end": end})
        elif segment.get("Type") == "TECHNICAL_CUE":
            cue = segment.get("TechnicalCueSegment") or {}
            cues.append({"type": str(cue.get("Type") or ""), "start": start, "end": end})
    shots.sort(key=lambda s: s["start"])
    for number, shot in enumerate(shots, 1):
        shot["index"] = number
    return shots, cues


def _spans(detections: Iterable[tuple[str, float, float, dict[str, Any]]]) -> list[dict[str, Any]]:
    """(name, time, confidence, extra) detections, merged per name while they keep coming."""
    open_spans: dict[str, dict[str, Any]] = {}
    spans: list[dict[str, Any]] = []
    for name, time, confidence, extra in sorted(detections, key=lambda d: d[1]):
        span = open_spans.get(name)
        if span is not None and time - span["end"] <= MERGE_GAP_SECONDS:
            span["end"] = time
            span["confidence"] = max(span["confidence"], confidence)
            continue
        span = {"start": time, "end": time, "confidence": confidence, **extra}
        open_spans[name] = span
        spans.append(span)
    return spans


def text_lines(raw: dict[str, Any]) -> list[dict[str, Any]]:
    detections = []
    for item in raw.get("TextDetections") or []:
        found = item.get("TextDetection") or {}
        text = " ".join(str(found.get("DetectedText") or "").split())
        if found.get("Type") != "LINE" or not text:
            continue
        box = bounding_box((found.get("Geometry") or {}).get("BoundingBox"))
        detections.append(
            (
                text.casefold(),
                _seconds(item.get("Timestamp")),
                float(found.get("Confidence") or 0),
                {"text": text, "box": box},
            )
        )
    lines = _spans(detections)
    return [_ordered(line, ("text", "start", "end", "confidence", "box")) for line in lines]


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    left, top = max(a["Left"], b["Left"]), max(a["Top"], b["Top"])
    right = min(a["Left"] + a["Width"], b["Left"] + b["Width"])
    bottom = min(a["Top"] + a["Height"], b["Top"] + b["Height"])
    inner = max(0.0, right - left) * max(0.0, bottom - top)
    union = a["Width"] * a["Height"] + b["Width"] * b["Height"] - inner
    return inner / union if union > 0 else 0.0


def face_appearances(raw: dict[str, Any]) -> list[dict[str, Any]]:
    appearances: list[dict[str, Any]] = []
    items = sorted(raw.get("Faces") or [], key=lambda f: float(f.get("Timestamp") or 0))
    for item in items:
        face = item.get("Face") or {}
        time, box = _seconds(item.get("Timestamp")), bounding_box(face.get("BoundingBox"))
        confidence = float(face.get("Confidence") or 0)
        match = next(
            (
                a
                for a in reversed(appearances)
                if time - a["end"] <= MERGE_GAP_SECONDS and _overlap(a["box"], box) >= FACE_OVERLAP
            ),
            None,
        )
        if match is None:
            appearances.append({"start": time, "end": time, "confidence": confidence, "box": box})
        else:
            match.update(end=time, box=box, confidence=max(match["confidence"], confidence))
    return appearances


def people_appearances(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Face search's Persons as each enrolled person's spans: the best match names a face, and
    the person seen again within MERGE_GAP_SECONDS continues the span (highest similarity).
    A person's name is the matched face's ExternalImageId; the box is where the face was last
    seen in the span, as a face appearance keeps its last box, so the two can be told apart."""
    detections = []
    boxes: dict[str, list[tuple[float, dict[str, float]]]] = {}
    for item in raw.get("Persons") or []:
        found: dict[str, Any] = max(
            item.get("FaceMatches") or [], key=lambda m: m.get("Similarity", 0), default={}
        )
        name = str((found.get("Face") or {}).get("ExternalImageId") or "")
        if name:
            similarity = float(found.get("Similarity") or 0)
            time = _seconds(item.get("Timestamp"))
            detections.append((name, time, similarity, {"name": name}))
            placed = (item.get("Person") or {}).get("BoundingBox")
            if placed:
                boxes.setdefault(name, []).append((time, bounding_box(placed)))
    people = []
    for span in _spans(detections):
        person = {
            "name": span["name"],
            "similarity": round(span["confidence"], 3),
            "start": round(span["start"], 3),
            "end": round(span["end"], 3),
        }
        placed_in = sorted(boxes.get(span["name"], []), key=lambda tb: tb[0])
        seen = [b for t, b in placed_in if span["start"] <= t <= span["end"]]
        if seen:
            person["box"] = seen[-1]
        people.append(person)
    return people


def _named_spans(raw: dict[str, Any], items: str, inner: str) -> list[dict[str, Any]]:
    detections = []
    for item in raw.get(items) or []:
        found = item.get(inner) or {}
        name = str(found.get("Name") or "")
        if not name:
            continue
        extra: dict[str, Any] = {"name": name}
        if inner == "ModerationLabel":
            extra["parentName"] = str(found.get("ParentName") or "")
        detections.append(
            (name, _seconds(item.get("Timestamp")), float(found.get("Confidence") or 0), extra)
        )
    return [
        _ordered(span, ("name", "parentName", "confidence", "start", "end"))
        for span in _spans(detections)
    ]


def _ordered(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in item.items()}
    return {k: rounded[k] for k in keys if k in rounded}


def review_labels(moderation: list[dict[str, Any]], min_confidence: float) -> list[str]:
    return sorted({m["name"] for m in moderation if m["confidence"] >= min_confidence})


def text_excerpt(lines: list[dict[str, Any]], limit: int = EXCERPT_CHARACTERS) -> str:
    seen: list[str] = []
    for line in lines:
        if line["text"] not in seen:
            seen.append(line["text"])
    joined = " / ".join(seen)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def branch_table(
    kinds: Iterable[str],
    raws: Mapping[str, Any],
    unavailable: Mapping[str, str],
    not_run: str,
) -> dict[str, dict[str, Any]]:
    """Each kind's branch: available when its results came back, else why not (its reason in
    `unavailable`, or `not_run` when it was never asked for)."""
    return {
        kind: {"available": True}
        if kind in raws
        else {"available": False, "reason": unavailable.get(kind) or not_run}
        for kind in kinds
    }


def build_view(
    *,
    analysed_key: str,
    raws: dict[str, dict[str, Any]],
    unavailable: dict[str, str],
    min_confidence: float,
) -> dict[str, Any]:
    """The view (vision_model.VisionView, as the file holds it) without thumbnails, poster and
    tracks, which Summarize Vision adds as it writes them. A kind neither in `raws` nor in
    `unavailable` was not run at all."""
    branches = branch_table(VISION_KINDS, raws, unavailable, "The job was not run for this video.")
    shots, cues = shots_and_cues(raws.get("shots") or {})
    moderation = _named_spans(raws.get("moderation") or {}, "ModerationLabels", "ModerationLabel")
    flagged = review_labels(moderation, min_confidence)
    return view_document(
        mediaKind="video",
        analysedKey=analysed_key,
        branches=branches,
        shots=shots,
        technicalCues=cues,
        text=text_lines(raws.get("text") or {}),
        faces=face_appearances(raws.get("faces") or {}),
        people=people_appearances(raws.get("face_search") or {}),
        moderation=moderation,
        labels=_named_spans(raws.get("labels") or {}, "Labels", "Label"),
        celebrities=_named_spans(raws.get("celebrities") or {}, "Celebrities", "Celebrity"),
        needsReview=bool(flagged),
        reviewLabels=flagged,
        posterKey="",
        tracks={},
    )
