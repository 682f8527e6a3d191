"""On-screen text with RapidOCR (PP-OCRv4, whose ONNX models ship in the rapidocr-onnxruntime
wheel), as Rekognition's TextDetections: one LINE per line read, and a WORD per word in it.

A video's frames are read once a second, but a frame that has barely changed since the last one
read (the same slide, a static title) is not read again: its text is the last reading, which
also keeps a line's words identical across the frames it stays on screen. In a frame that has
changed, text is found again, but a line in the same place that looks the same as before (a
caption over moving footage) keeps its reading rather than being recognised again. Lines are
deduplicated across frames: a line read again with a few characters different (OCR jitter) keeps
the wording of its most confident reading. Word boxes are the line's box split in proportion to
the characters of each word, since the recogniser reads whole lines.
"""

from __future__ import annotations

import difflib
import functools
import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from . import geometry
from .frames import Image

# A frame whose small copy differs from the last frame read by less than this mean luma
# difference (0-255) is taken to show the same text. One that differs by more than _NEW_PICTURE
# (a cut, a new slide) is read at once; one in between (motion within a shot) is read again only
# once _REREAD_SECONDS have passed, which bounds the cost of footage that never stands still.
_UNCHANGED = 2.5
_NEW_PICTURE = 20.0
_REREAD_SECONDS = 2.0
# Two readings of a line at least this similar are the same line.
_SAME_LINE = 0.8
_MIN_CONFIDENCE = 50.0
_lock = threading.Lock()


@functools.cache
def engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]  # no type information; loads onnxruntime: only when text is read

    # With limit type "max", pictures under 960 pixels are detected at their own size (read()
    # shrinks them first); the default ("min", 736) enlarges a 640x360 frame to 1308x736.
    # One thread, as every detector: see moderation.py.
    return RapidOCR(intra_op_num_threads=1, det_limit_type="max")


def warm() -> None:
    """Load the model now rather than for the first picture."""
    with _lock:
        engine()


Line = tuple[str, float, list[list[float]]]  # text, confidence 0-100, four corners in pixels
# A line found where one was read before, looking the same (mean luma difference of the two
# crops shrunk to _THUMB, 0-255, under _SAME_CROP), keeps that reading instead of being read again.
_THUMB = (96, 24)
# Text is found on the picture shrunk to at most this many pixels a side (720p becomes 800x450,
# where 20-pixel captions are still 12 pixels tall), then read from the full-size picture.
_DETECT_SIDE = 800
_SAME_CROP = 8.0
_SAME_PLACE = 0.6  # intersection over union of the two boxes


@dataclass(frozen=True)
class Reading:
    line: Line
    thumb: np.ndarray[Any, Any]


def read_lines(picture: Image) -> list[Line]:
    """The lines in an RGB picture."""
    return [reading.line for reading in read(picture)]


def read(picture: Image, before: list[Reading] | None = None) -> list[Reading]:
    """The lines in an RGB picture, each recognised unless it matches one read `before`."""
    bgr = cv2.cvtColor(picture, cv2.COLOR_RGB2BGR)
    gray = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY)
    height, width = gray.shape
    factor = min(1.0, _DETECT_SIDE / max(height, width))
    size = (round(width * factor), round(height * factor))
    shrunk = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
    with _lock:  # one reading at a time: the sessions are shared
        # No angle classifier: on-screen text is upright, and it costs a third of the time.
        boxes, _ = engine()(shrunk, use_det=True, use_cls=False, use_rec=False)
    readings = []
    for box in boxes or []:
        points = [[float(x) / factor, float(y) / factor] for x, y in box]
        left, top, right, bottom = (round(v) for v in geometry.bounds(points))
        if right - left < 2 or bottom - top < 2:
            continue
        thumb = cv2.resize(gray[top:bottom, left:right], _THUMB).astype(np.int16)
        known = _match(points, thumb, before or [])
        if known is not None:
            readings.append(Reading((known.line[0], known.line[1], points), thumb))
            continue
        with _lock:
            result, _ = engine()(bgr[top:bottom, left:right], use_det=False, use_cls=False)
        text, score = (result or [["", 0.0]])[0]
        confidence = float(score) * 100.0
        if str(text).strip() and confidence >= _MIN_CONFIDENCE:
            readings.append(Reading((str(text).strip(), confidence, points), thumb))
    return readings


def _match(points: list[list[float]], thumb: Any, before: list[Reading]) -> Reading | None:
    for reading in before:
        if _overlap(points, reading.line[2]) >= _SAME_PLACE and (
            float(np.abs(thumb - reading.thumb).mean()) < _SAME_CROP
        ):
            return reading
    return None


def _overlap(first: list[list[float]], second: list[list[float]]) -> float:
    a, b = geometry.bounds(first), geometry.bounds(second)
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def detections(lines: list[Line], width: int, height: int) -> list[dict[str, Any]]:
    """Rekognition's TextDetection items (LINEs, each followed by its WORDs)."""
    items: list[dict[str, Any]] = []
    for text, confidence, points in lines:
        line_id = len(items)
        items.append(_item(text, "LINE", line_id, None, confidence, points, width, height))
        left, top, right, bottom = geometry.bounds(points)
        words = text.split()
        total = max(1, len(text))
        offset = 0
        for word in words:
            start = text.index(word, offset)
            offset = start + len(word)
            x0 = left + (right - left) * start / total
            x1 = left + (right - left) * offset / total
            corners = [[x0, top], [x1, top], [x1, bottom], [x0, bottom]]
            items.append(
                _item(word, "WORD", len(items), line_id, confidence, corners, width, height)
            )
    return items


def _item(
    text: str,
    kind: str,
    item_id: int,
    parent: int | None,
    confidence: float,
    points: list[list[float]],
    width: int,
    height: int,
) -> dict[str, Any]:
    left, top, right, bottom = geometry.bounds(points)
    item: dict[str, Any] = {
        "DetectedText": text,
        "Type": kind,
        "Id": item_id,
        "Confidence": round(confidence, 3),
        "Geometry": {
            "BoundingBox": geometry.box(left, top, right, bottom, width, height),
            "Polygon": geometry.polygon(points, width, height),
        },
    }
    if parent is not None:
        item["ParentId"] = parent
    return item


class TextTracker:
    """Reads sampled frames of a video, skipping those that show what the last one read did."""

    def __init__(self) -> None:
        self._last_small: np.ndarray[Any, Any] | None = None
        self._last_read = 0.0
        self._last: list[Reading] = []
        self._known: list[tuple[str, float]] = []  # canonical wording and its best confidence
        self.frames_read = 0
        self.results: list[dict[str, Any]] = []

    def add(self, time: float, small: Image, full: Image) -> None:
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.int16)
        change = (
            255.0 if self._last_small is None else float(np.abs(gray - self._last_small).mean())
        )
        due = time - self._last_read >= _REREAD_SECONDS - 1e-6
        if change >= _NEW_PICTURE or (change >= _UNCHANGED and due):
            self._last = [
                Reading((self._canonical(r.line[0], r.line[1]), r.line[1], r.line[2]), r.thumb)
                for r in read(full, self._last)
            ]
            self._last_small = gray
            self._last_read = time
            self.frames_read += 1
        height, width = full.shape[:2]
        stamp = round(time * 1000)
        for item in detections([r.line for r in self._last], width, height):
            self.results.append({"Timestamp": stamp, "TextDetection": item})

    def _canonical(self, text: str, confidence: float) -> str:
        for index, (known, best) in enumerate(self._known):
            if difflib.SequenceMatcher(None, known.lower(), text.lower()).ratio() >= _SAME_LINE:
                if confidence > best:
                    self._known[index] = (text, confidence)
                    return text
                return known
        self._known.append((text, confidence))
        return text
