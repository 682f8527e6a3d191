"""Time and peak memory of the local video analysis alone (shots, black frames, text, faces,
moderation in one decoding pass) on a made clip: 60 s of 720p by default.

    .venv/bin/python bench/vision_pass.py [--seconds 60] [--clip FILE]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from reelscribe.vision import video  # noqa: E402 - after the project is on the path
from tests.support.vision_media import make_long_clip  # noqa: E402


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
    label = args.clip.name if args.clip else f"made {args.seconds:g} s 720p clip"
    shots = len(analysis.shots.shots(analysis.info))
    print(
        f"{label}: analysis {took:.1f} s ({took / analysis.info.duration:.2f}x its duration), "
        f"{cpu:.1f} CPU s, load average {os.getloadavg()[0]:.1f}, peak RSS {peak_mb:.0f} MB; "
        f"{shots} shots, {len(analysis.faces)} faces, {analysis.text_frames_read} frames read "
        "for text"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
