"""Time and peak memory of the local video analysis alone (shots, black frames, text, faces,
moderation in one decoding pass) on a made clip: 60 s of 720p by default.

    PYTHONPATH=src:functions/shared:. python bench/vision_pass.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from reelscribe.vision import video
from tests.support.vision_media import make_long_clip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clip", type=Path, help="analyse this file instead of a made clip")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        clip = args.clip or make_long_clip(Path(folder) / "clip.mp4", seconds=args.seconds)
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        analysis = video.analyse(clip)
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU seconds say what the pass costs whatever else the machine runs at the same time.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mb = after.ru_maxrss / 1024
    shots = len(analysis.shots.shots(analysis.info))
    print(
        f"{args.seconds:g} s 720p clip: analysis {took:.1f} s ({took / args.seconds:.2f}x), "
        f"{cpu:.1f} CPU s, load average {os.getloadavg()[0]:.1f}, peak RSS {peak_mb:.0f} MB; "
        f"{shots} shots, {len(analysis.faces)} faces, {analysis.text_frames_read} frames read "
        "for text"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
