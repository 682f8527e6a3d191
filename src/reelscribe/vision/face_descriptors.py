"""Who a face is: dlib's ResNet face descriptor (128 numbers) and the similarity Rekognition
reports, from the models the ``face_recognition_models`` package ships.

Faces are found by CenterFace (see reelscribe.vision.faces), as for DetectFaces; dlib's 5-point
shape predictor then places the landmarks inside that box and the ResNet model describes the
aligned face. dlib's rule is that descriptors of one person are less than 0.6 apart
(Euclidean); on the photographs calibrated here 0.5 separates them (docs/local-vision.md).
The models load once a process, on the first face described, so runs that describe no face
never load them.

``similarity`` is the one place a distance becomes Rekognition's 0-100 Similarity; see
docs/local-vision.md for the calibration on real photographs.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .frames import Image

Descriptor = NDArray[np.float32]
SIZE = 128
# The distance calibrated as the edge of a match (dlib's own rule says 0.6; blurred faces of
# strangers came to 0.52): it maps onto Similarity 80, the FaceMatchThreshold Rekognition and
# the template default to.
MATCH_DISTANCE = 0.5
MATCH_SIMILARITY = 80.0
_lock = threading.Lock()


class FaceDescriptorModelMissingError(Exception):
    """dlib or the face_recognition_models package is not installed."""


@functools.cache
def _models() -> tuple[Any, Any]:
    try:
        import dlib  # a heavy import, paid only when a face is described
        import face_recognition_models as files
    except ImportError as error:
        raise FaceDescriptorModelMissingError(
            f"face descriptors need dlib-bin and face_recognition_models: {error}"
        ) from None
    shapes = dlib.shape_predictor(files.pose_predictor_five_point_model_location())
    network = dlib.face_recognition_model_v1(files.face_recognition_model_location())
    return shapes, network


def warm() -> None:
    with _lock:
        _models()


def describe(picture: Image, box: dict[str, float]) -> Descriptor:
    """The descriptor of the face in `box` (Rekognition's BoundingBox, ratios of the sides)."""
    import dlib

    height, width = picture.shape[:2]
    left = round(box["Left"] * width)
    top = round(box["Top"] * height)
    right = round((box["Left"] + box["Width"]) * width)
    bottom = round((box["Top"] + box["Height"]) * height)
    rectangle = dlib.rectangle(left, top, right, bottom)
    rgb = np.ascontiguousarray(picture)
    with _lock:
        shapes, network = _models()
        shape = shapes(rgb, rectangle)
        values = network.compute_face_descriptor(rgb, shape)
    return np.asarray(values, dtype=np.float32)


def distance(a: Descriptor, b: Descriptor) -> float:
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))


def similarity(gap: float) -> float:
    """Rekognition's Similarity (0-100) for a descriptor distance.

    100 - 20 * (d / 0.5)^2: 100 for the same picture, 80 at the calibrated 0.5 (so
    FaceMatchThreshold 80 is the calibrated rule), about 97 for a photo against its mirror image
    (d 0.18), and 0 from d 1.12 on. Quadratic, so one person's pictures (d 0.1-0.36) read in
    the high 80s and 90s, as Rekognition's same-person matches do, and it falls faster past
    the threshold.
    """
    value = 100.0 - (100.0 - MATCH_SIMILARITY) * (gap / MATCH_DISTANCE) ** 2
    return round(min(100.0, max(0.0, value)), 5)


# A face seen again within this many seconds, where it was, is the same face: its descriptor is
# reused rather than computed again, until it is this old.
_REFRESH_SECONDS = 3.0
_SAME_PLACE = 0.3  # intersection over union of the boxes


class FaceTracks:
    """Faces followed from one sampled frame to the next, each described now and then.

    Rekognition's PersonDetail.Index numbers the people a video shows; here a face that overlaps
    one of the last frame's is the same person. Describing only when a face appears and every
    few seconds after keeps the cost of search small beside the detection itself.
    """

    def __init__(self) -> None:
        self._last: list[tuple[dict[str, float], int, float, Descriptor]] = []
        self._next_index = 0

    def follow(
        self, picture: Image, time: float, boxes: list[dict[str, float]]
    ) -> list[tuple[int, Descriptor]]:
        """The track index and descriptor of each box of the frame at `time`, in order."""
        seen: list[tuple[dict[str, float], int, float, Descriptor]] = []
        found: list[tuple[int, Descriptor]] = []
        free = list(self._last)
        for box in boxes:
            best = max(free, key=lambda t: _overlap(t[0], box), default=None)
            if best is not None and _overlap(best[0], box) >= _SAME_PLACE:
                free.remove(best)
                index, since, vector = best[1], best[2], best[3]
                if time - since >= _REFRESH_SECONDS:
                    since, vector = time, describe(picture, box)
            else:
                index, since, vector = self._next_index, time, describe(picture, box)
                self._next_index += 1
            seen.append((box, index, since, vector))
            found.append((index, vector))
        self._last = seen
        return found


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    width = min(a["Left"] + a["Width"], b["Left"] + b["Width"]) - max(a["Left"], b["Left"])
    height = min(a["Top"] + a["Height"], b["Top"] + b["Height"]) - max(a["Top"], b["Top"])
    if width <= 0 or height <= 0:
        return 0.0
    shared = width * height
    return shared / (a["Width"] * a["Height"] + b["Width"] * b["Height"] - shared)
