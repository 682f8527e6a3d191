"""Odd pictures end to end through `reelscribe run`: a 16-bit photograph looks and is analysed as
its 8-bit copy is, and an 88-megapixel one is analysed in bounded memory with its face where the
face is."""

from __future__ import annotations

import email
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelscribe.vision import faces
from tests.support.cli_runs import run_measured, run_quietly, video_record
from tests.support.images import (
    astronaut,
    make_eight_bit_copy,
    make_huge_photo,
    make_sixteen_bit_png,
)

pytestmark = pytest.mark.slow

SIXTEEN, EIGHT = "scan 16-bit.png", "scan 8-bit.png"
# The run's peak resident memory, models included; an 88-megapixel picture decoded whole by
# each of the three image calls took more than 3 GB. bench/huge_picture.py gives the figures.
PEAK_BYTES = 1536 * 1024 * 1024
BOX_TOLERANCE = 0.02  # of the picture's side


def _view(folder: Path) -> dict[str, Any]:
    (path,) = (folder / "output" / "vision").glob("*.json")
    view: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return view


def _face_details(folder: Path) -> list[dict[str, Any]]:
    raw = json.loads((folder / "output/vision/raw/faces.json").read_text(encoding="utf-8"))
    details: list[dict[str, Any]] = raw["FaceDetails"]
    return details


def _close(box: dict[str, float], expected: dict[str, float]) -> bool:
    return all(
        abs(box[k] - expected[k]) < BOX_TOLERANCE for k in ("Left", "Top", "Width", "Height")
    )


@pytest.fixture(scope="module")
def sixteen_bit_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    media = tmp_path_factory.mktemp("sixteen-bit")
    files = [make_sixteen_bit_png(media / SIXTEEN), make_eight_bit_copy(media / EIGHT)]
    out = tmp_path_factory.mktemp("sixteen-bit-out")
    run_quietly(*map(str, files), "--out", str(out), "--jobs", "2")
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return {Path(r["source"]).name: Path(r["folder"]) for r in runs}


def test_sixteen_bit_photograph_renditions_are_as_bright_as_the_8_bit_copys(
    sixteen_bit_run: dict[str, Path],
) -> None:
    for kind in ("web", "phone", "thumbnail"):
        means = []
        for name in (SIXTEEN, EIGHT):
            (path,) = (sixteen_bit_run[name] / "output" / kind).glob("*.jpg")
            with Image.open(path) as rendition:
                means.append(float(np.asarray(rendition.convert("L")).mean()))
        assert abs(means[0] - means[1]) < 2, (kind, means)


def test_sixteen_bit_photograph_face_is_found_as_in_the_8_bit_copy(
    sixteen_bit_run: dict[str, Path],
) -> None:
    for name in (SIXTEEN, EIGHT):
        assert video_record(sixteen_bit_run[name])["status"] == "COMPLETED"
        # Rekognition reads the PNG original itself: it is within its formats and 15 MB
        assert _view(sixteen_bit_run[name])["analysedKey"] == f"anonymous/{name}"
    (ours,) = _face_details(sixteen_bit_run[SIXTEEN])
    (reference,) = _face_details(sixteen_bit_run[EIGHT])
    assert _close(ours["BoundingBox"], reference["BoundingBox"])
    assert abs(ours["Quality"]["Brightness"] - reference["Quality"]["Brightness"]) < 2


@pytest.mark.parametrize("name", ["huge.jpg", "huge.png"])
def test_huge_picture_is_analysed_in_bounded_memory_with_its_face_in_place(
    tmp_path: Path, name: str
) -> None:
    # Given the astronaut at 11000x8000 pixels, just under Pillow's limit, stretched as the
    # photo is (a JPEG decodes in scaled steps, a PNG only whole)
    picture = make_huge_photo(tmp_path / name)
    stretched = astronaut().resize((11_000 // 16, 8_000 // 16))
    (expected,) = faces.detect(np.asarray(stretched))

    # When it is run in a process of its own
    code, printed, peak = run_measured(str(picture), "--out", str(tmp_path / "out"))

    # Then it succeeds within the memory bound, Rekognition read the original itself, and the
    # face is where it is on the picture, with the brightness it has there
    assert code == 0, printed
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"
    folder = tmp_path / "out" / "huge"
    assert video_record(folder)["status"] == "COMPLETED"
    (mail,) = (folder / "notifications").glob("*.eml")
    assert "Size: 11000x8000" in email.message_from_bytes(mail.read_bytes()).as_string()
    assert _view(folder)["analysedKey"] == f"anonymous/{name}"
    (found,) = _face_details(folder)
    assert _close(found["BoundingBox"], expected["BoundingBox"])
    assert abs(found["Quality"]["Brightness"] - expected["Quality"]["Brightness"]) < 5
