"""Peak memory and time of `reelscribe run` on an 88-megapixel picture (11000x8000, just under
Pillow's limit) as a JPEG and as a PNG, beside the same photograph at 512x512. Each run is a
process of its own, so its peak resident memory is its own.

    .venv/bin/python bench/huge_picture.py [--picture FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "functions" / "shared"), str(ROOT)]

from tests.support.cli_runs import run_measured  # noqa: E402 - after the project is on the path
from tests.support.images import make_huge_photo, make_photo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--picture", type=Path, help="run this picture instead of made ones")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pictures = (
            [args.picture]
            if args.picture
            else [
                make_photo(folder / "photo.jpg"),
                make_huge_photo(folder / "huge.jpg"),
                make_huge_photo(folder / "huge.png"),
            ]
        )
        for number, picture in enumerate(pictures):
            started = time.perf_counter()
            code, printed, peak = run_measured(str(picture), "--out", str(folder / f"out{number}"))
            took = time.perf_counter() - started
            if code != 0:
                print(printed, file=sys.stderr)
            size = picture.stat().st_size / 2**20
            print(
                f"{picture.name} ({size:.1f} MB): exit {code}, peak RSS {peak / 2**20:.0f} MB, "
                f"{took:.1f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
