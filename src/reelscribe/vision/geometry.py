"""Rekognition's geometry: boxes and points as ratios of the picture's width and height."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def box(
    left: float, top: float, right: float, bottom: float, width: int, height: int
) -> dict[str, float]:
    """A BoundingBox from pixel edges, clipped to the picture."""
    left, right = max(0.0, min(left, width)), max(0.0, min(right, width))
    top, bottom = max(0.0, min(top, height)), max(0.0, min(bottom, height))
    return {
        "Width": round(float(right - left) / width, 6),
        "Height": round(float(bottom - top) / height, 6),
        "Left": round(float(left) / width, 6),
        "Top": round(float(top) / height, 6),
    }


def polygon(points: Sequence[Sequence[float]], width: int, height: int) -> list[dict[str, float]]:
    return [
        {
            "X": round(min(max(float(x), 0.0), width) / width, 6),
            "Y": round(min(max(float(y), 0.0), height) / height, 6),
        }
        for x, y in points
    ]


def bounds(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def area(bounding_box: dict[str, Any]) -> float:
    return float(bounding_box["Width"]) * float(bounding_box["Height"])
