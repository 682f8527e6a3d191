"""Moderation with NudeNet (``nudenet`` 3.4.2 ships its ``320n.onnx`` detector), mapped onto
Rekognition's moderation taxonomy (version 7: three levels, each label named with its parent).

NudeNet finds body parts, exposed or covered. The exposed parts map onto Rekognition's level-3
labels, and each is reported with its level-2 and level-1 parents, as Rekognition reports them:

============================ ============================ ==================================
NudeNet class                Rekognition label (level 3)  Parents (level 2 / level 1)
============================ ============================ ==================================
FEMALE_GENITALIA_EXPOSED     Exposed Female Genitalia     Explicit Nudity / Explicit
MALE_GENITALIA_EXPOSED       Exposed Male Genitalia       Explicit Nudity / Explicit
BUTTOCKS_EXPOSED             Exposed Buttocks or Anus     Explicit Nudity / Explicit
ANUS_EXPOSED                 Exposed Buttocks or Anus     Explicit Nudity / Explicit
FEMALE_BREAST_EXPOSED        Exposed Female Nipple        Explicit Nudity / Explicit
MALE_BREAST_EXPOSED          Exposed Male Nipple          Non-Explicit Nudity / Non-Explicit
                                                          Nudity of Intimate parts and Kissing
============================ ============================ ==================================

The covered classes, faces, feet, bellies and armpits map onto nothing: a clothed person is not
a moderation finding, and "covered" does not tell swimwear from a coat. Violence, drugs,
alcohol, gambling, gestures and hate symbols have no local model and are never reported.

Calibration: NudeNet scores clean pictures too: scikit-image's colour wheel reads as exposed
buttocks at 0.83 and a Mandelbrot zoom as an exposed breast at 0.29 (``bench/moderation_clean.py``
measures it again). So a score maps to Rekognition's confidence piecewise-linearly, with
``CLEAN_FLOOR`` (above the highest score seen on clean footage of every kind, in any class, since
NudeNet confuses its classes) at ``DEFAULT_MIN_CONFIDENCE``: what NudeNet has said of clean
footage stays under Rekognition's default ``MinConfidence`` of 50 and is not reported, and only a
score above every clean one is. Labels under the call's ``MinConfidence`` are dropped. A parent's
confidence is its most confident child's in the same picture.
"""

from __future__ import annotations

import functools
import importlib.resources
import threading
from typing import Any

import cv2

from .frames import Image

MODEL_VERSION = "7.0"
DEFAULT_MIN_CONFIDENCE = 50.0
# NudeNet's highest score on clean footage (0.83, on a colour wheel), with a margin.
CLEAN_FLOOR = 0.85
_EXPLICIT = ("Explicit Nudity", "Explicit")
_NON_EXPLICIT = ("Non-Explicit Nudity", "Non-Explicit Nudity of Intimate parts and Kissing")
MAPPING: dict[str, tuple[str, tuple[str, str]]] = {
    "FEMALE_GENITALIA_EXPOSED": ("Exposed Female Genitalia", _EXPLICIT),
    "MALE_GENITALIA_EXPOSED": ("Exposed Male Genitalia", _EXPLICIT),
    "BUTTOCKS_EXPOSED": ("Exposed Buttocks or Anus", _EXPLICIT),
    "ANUS_EXPOSED": ("Exposed Buttocks or Anus", _EXPLICIT),
    "FEMALE_BREAST_EXPOSED": ("Exposed Female Nipple", _EXPLICIT),
    "MALE_BREAST_EXPOSED": ("Exposed Male Nipple", _NON_EXPLICIT),
}
_lock = threading.Lock()


@functools.cache
def detector() -> Any:
    import onnxruntime  # type: ignore[import-untyped]
    from nudenet import NudeDetector  # type: ignore[import-untyped]  # no type information; loads onnxruntime: only when moderation runs

    nude = NudeDetector()
    # One thread that sleeps when idle: the detectors share two cores with the decode and speech
    # recognition, and onnxruntime's default pool spins on every core, which measured slower
    # and costlier than one thread. NudeDetector takes no session options, so its session is
    # replaced by one with the same model (nudenet is pinned).
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    model = importlib.resources.files("nudenet") / "320n.onnx"
    nude.onnx_session = onnxruntime.InferenceSession(str(model), options)
    return nude


def warm() -> None:
    """Load the model now rather than for the first picture."""
    with _lock:
        detector()


def detect(picture: Image, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[dict[str, Any]]:
    """Rekognition ModerationLabels for an RGB picture, most confident first."""
    return labels(detect_raw(picture), min_confidence)


def detect_raw(picture: Image) -> list[dict[str, Any]]:
    """NudeNet's own detections in an RGB picture."""
    with _lock:
        return list(detector().detect(cv2.cvtColor(picture, cv2.COLOR_RGB2BGR)))


def calibrated_confidence(score: float) -> float:
    """NudeNet's score (0-1) as Rekognition's confidence (0-100): CLEAN_FLOOR is 50."""
    score = min(max(score, 0.0), 1.0)
    if score <= CLEAN_FLOOR:
        return DEFAULT_MIN_CONFIDENCE * score / CLEAN_FLOOR
    above = (score - CLEAN_FLOOR) / (1.0 - CLEAN_FLOOR)
    return DEFAULT_MIN_CONFIDENCE + (100.0 - DEFAULT_MIN_CONFIDENCE) * above


def labels(found: list[dict[str, Any]], min_confidence: float) -> list[dict[str, Any]]:
    """NudeNet's detections as Rekognition labels with their parents."""
    best: dict[tuple[str, str, int], float] = {}
    for detection in found:
        mapped = MAPPING.get(str(detection.get("class")))
        if mapped is None:
            continue
        confidence = calibrated_confidence(float(detection["score"]))
        name, (parent, grandparent) = mapped
        for key in ((name, parent, 3), (parent, grandparent, 2), (grandparent, "", 1)):
            best[key] = max(confidence, best.get(key, 0.0))
    return [
        {
            "Confidence": round(confidence, 3),
            "Name": name,
            "ParentName": parent,
            "TaxonomyLevel": level,
        }
        for (name, parent, level), confidence in sorted(best.items(), key=lambda kv: -kv[1])
        if confidence >= min_confidence
    ]
