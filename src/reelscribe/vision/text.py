"""On-screen text with RapidOCR (PP-OCRv4, whose ONNX models ship in the rapidocr-onnxruntime
wheel), as Rekognition's TextDetections: one LINE per line read, and a WORD per word in it.

A video's frames are read a few times a second, but a frame that has barely changed since the
last one read (the same slide, a static title) is not read again: its text is the last reading,
which also keeps a line's words identical across the frames it stays on screen. Lines are
deduplicated across frames: a line read again with a few characters different (OCR jitter) keeps
the wording of its most confident reading. Word boxes are the line's box split in proportion to
the characters of each word, since the recogniser reads whole lines.
"""

from __future__ import annotations

import difflib
import functools
import threading
from typing import Any

import cv2
import numpy as np

from . import geometry
from .frames import Image

# A frame whose small copy differs from the last frame read by less than this mean luma
# difference (0-255) is taken to show the same text.
_UNCHANGED = 2.5
# Two readings of a line at least this similar are the same line.
_SAME_LINE = 0.8
_MIN_CONFIDENCE = 50.0
_lock = threading.Lock()


@functools.cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]  # no type information; loads onnxruntime: only when text is read

    threads = {f"{part}_intra_op_num_threads": 2 for part in ("det", "cls", "rec")}
    # Detection on at most 960 pixels a side: the default enlarges small frames to 736 on
    # their short side, which doubles the time for no better reading of on-screen text.
    return RapidOCR(**threads, det_limit_type="max", det_limit_side_len=960)


def read_lines(picture: Image) -> list[tuple[str, float, list[list[float]]]]:
    """The lines in an RGB picture: text, confidence 0-100, and four corner points in pixels."""
    with _lock:  # one reading at a time: each already uses both cores
        # No angle classifier: on-screen text is upright, and it costs a third of the time.
        result, _ = _engine()(cv2.cvtColor(picture, cv2.COLOR_RGB2BGR), use_cls=False)
    lines = []
    for points, text, score in result or []:
        confidence = float(score) * 100.0
        if text.strip() and confidence >= _MIN_CONFIDENCE:
            lines.append((text.strip(), confidence, [[float(x), float(y)] for x, y in points]))
    return lines


def detections(
    lines: list[tuple[str, float, list[list[float]]]], width: int, height: int
) -> list[dict[str, Any]]:
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
        self._last_lines: list[tuple[str, float, list[list[float]]]] = []
        self._known: list[tuple[str, float]] = []  # canonical wording and its best confidence
        self.frames_read = 0
        self.results: list[dict[str, Any]] = []

    def add(self, time: float, small: Image, full: Image) -> None:
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.int16)
        if self._last_small is None or float(np.abs(gray - self._last_small).mean()) >= _UNCHANGED:
            self._last_lines = [(self._canonical(t, c), c, p) for t, c, p in read_lines(full)]
            self._last_small = gray
            self.frames_read += 1
        height, width = full.shape[:2]
        stamp = round(time * 1000)
        for item in detections(self._last_lines, width, height):
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
