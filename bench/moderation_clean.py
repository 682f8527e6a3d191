"""NudeNet's highest raw score on clean material, per source and class, beside the calibration
floor (`moderation.CLEAN_FLOOR`) that maps to Rekognition's default MinConfidence of 50.

Run it again after changing the detector or its model: every clean score must stay under the
floor, or the floor must move above it.

    .venv/bin/python bench/moderation_clean.py [--clip FILE ...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from reelscribe.vision import moderation  # noqa: E402 - after the project is on the path
from tests.functional.test_moderation_calibration import (  # noqa: E402
    _animation_frames,
    _rgb,
    _sample_video_frames,
)


def _clip_frames(path: Path) -> list[np.ndarray]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = int(stream.average_rate or 25)
        return [
            frame.to_ndarray(format="rgb24")
            for i, frame in enumerate(container.decode(stream))
            if i % rate == 0
        ]


def _sources(clips: Iterable[Path]) -> dict[str, Callable[[], list[np.ndarray]]]:
    import skimage.data as data

    sources: dict[str, Callable[[], list[np.ndarray]]] = {
        name: (lambda name=name: [getattr(data, name)()])
        for name in ("astronaut", "coffee", "chelsea", "rocket", "colorwheel", "page", "text")
    }
    for source in ("mandelbrot", "life", "testsrc2", "cellauto", "gradients"):
        sources[f"lavfi {source} (20 s)"] = lambda source=source: _animation_frames(source, 20)
    sources["samples/reelscribe-demo.mp4"] = _sample_video_frames
    for clip in clips:
        sources[str(clip)] = lambda clip=clip: _clip_frames(clip)
    return sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clip", type=Path, action="append", default=[], help="also scan this")
    args = parser.parse_args(argv)
    highest = 0.0
    print(f"{'source':36} {'frames':>6}  highest exposed-class score (class)")
    for name, frames in _sources(args.clip).items():
        pictures = frames()
        scores = [
            (float(found["score"]), str(found["class"]))
            for picture in pictures
            for found in moderation.detect_raw(_rgb(np.asarray(picture)))
            if found.get("class") in moderation.MAPPING
        ]
        best = max(scores, default=(0.0, "-"))
        highest = max(highest, best[0])
        print(f"{name:36} {len(pictures):>6}  {best[0]:.2f} ({best[1]})")
    floor = moderation.CLEAN_FLOOR
    verdict = "under" if highest < floor else "NOT under"
    print(f"\nhighest clean score {highest:.2f}: {verdict} the floor {floor:.2f}")
    return 0 if highest < floor else 1


if __name__ == "__main__":
    raise SystemExit(main())
