"""Pictures end to end through `reelscribe run`: a photograph and a slide get their renditions,
the image analysis, the record and the email; each bad picture fails in Make Image Renditions
with a plain reason and leaves no output."""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.support.cli_runs import run_quietly, video_record
from tests.support.images import (
    GPS_IFD,
    make_decompression_bomb,
    make_photo,
    make_pixel,
    make_slide,
    make_text_named_png,
    make_truncated_jpeg,
    make_turned_photo,
)

pytestmark = pytest.mark.slow

PHOTO = "beach day.jpg"
SLIDE = "quarterly slide.png"
TURNED = "held upright.jpg"
BAD = {
    "cut off.jpg": (make_truncated_jpeg, "UnreadableImageError", "damaged or incomplete"),
    "notes.png": (make_text_named_png, "UnreadableImageError", "is not a picture"),
    "pixel.png": (make_pixel, "ImageTooSmallError", "1x1 pixels, too small"),
    "bomb.png": (make_decompression_bomb, "ImageTooLargeError", "decompression bombs"),
}


def _run(files: list[Path], out: Path) -> tuple[int, str, dict[str, Path]]:
    code, text = run_quietly(*map(str, files), "--out", str(out), "--jobs", "2")
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return code, text, {Path(r["source"]).name: Path(r["folder"]) for r in runs}


def _email(folder: Path) -> tuple[email.message.Message, str]:
    (path,) = sorted((folder / "notifications").glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return message, body.decode("utf-8")


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[str, Path]]:
    media = tmp_path_factory.mktemp("bad-pictures")
    files = [make(media / name) for name, (make, _, _) in BAD.items()]
    return _run(files, tmp_path_factory.mktemp("bad-pictures-out"))


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[str, Path]]:
    media = tmp_path_factory.mktemp("pictures")
    files = [
        make_photo(media / PHOTO),
        make_slide(media / SLIDE),
        make_turned_photo(media / TURNED),
    ]
    return _run(files, tmp_path_factory.mktemp("pictures-out"))


@pytest.mark.parametrize("name", list(BAD))
def test_bad_picture_fails_in_make_image_renditions_with_plain_reason(
    bad_run: tuple[int, str, dict[str, Path]], name: str
) -> None:
    code, text, folders = bad_run
    _, error, words = BAD[name]
    assert code == 1, text
    record = video_record(folders[name])
    assert record["status"] == "FAILED"
    failure = record["failure"]
    assert (failure["state"], failure["error"]) == ("Make Image Renditions", error)
    assert words in failure["reason"]
    assert name in failure["reason"]
    assert "Traceback" not in failure["reason"]
    mail, body = _email(folders[name])
    assert mail["Subject"] == f"reelscribe: {name} failed in Make Image Renditions"
    assert "Nothing was deleted" in body
    assert not (folders[name] / "output").exists()


def test_pictures_run_exits_zero(good_run: tuple[int, str, dict[str, Path]]) -> None:
    code, text, _ = good_run
    assert code == 0, text
    assert "3 succeeded, 0 failed" in text


@pytest.mark.parametrize("name", [PHOTO, SLIDE, TURNED])
def test_picture_gets_renditions_view_record_and_email(
    good_run: tuple[int, str, dict[str, Path]], name: str
) -> None:
    folder = good_run[2][name]
    record = video_record(folder)
    assert record["status"] == "COMPLETED"
    assert record["mediaKind"] == "image"
    assert set(record["renditions"]) == {"web", "phone", "thumbnail"}
    for kind in ("web", "phone", "thumbnail"):
        (path,) = (folder / "output" / kind).glob("*.jpg")
        with Image.open(path) as rendition:
            assert rendition.format == "JPEG"
            assert not rendition.getexif().get_ifd(GPS_IFD)
    (view_path,) = (folder / "output" / "vision").glob("*.json")
    view = json.loads(view_path.read_text(encoding="utf-8"))
    assert view["mediaKind"] == "image"
    for kind in ("labels", "celebrities"):
        assert view["branches"][kind]["available"] is False
        assert view["branches"][kind]["reason"]
    for kind in ("text", "faces", "moderation"):
        assert view["branches"][kind] == {"available": True}
        assert (folder / "output" / "vision" / "raw" / f"{kind}.json").is_file()
    mail, body = _email(folder)
    assert mail["X-Attribute-mediaKind"] == "image"
    assert f"Your picture {name} has been processed." in body


@pytest.mark.parametrize("name", [PHOTO, TURNED])
def test_photograph_face_is_found_in_the_view_as_the_picture_is_shown(
    good_run: tuple[int, str, dict[str, Path]], name: str
) -> None:
    # A photo stored on its side is analysed through its upright web rendition, so its face's
    # box is where a viewer sees the face, as for the photo stored upright
    (view_path,) = (good_run[2][name] / "output" / "vision").glob("*.json")
    view = json.loads(view_path.read_text(encoding="utf-8"))
    (face,) = view["faces"]
    # The astronaut's face is in the upper middle of the portrait.
    assert 0.3 < face["box"]["Left"] + face["box"]["Width"] / 2 < 0.7
    assert face["box"]["Top"] < 0.5
    assert face["start"] is None
    record = video_record(good_run[2][name])
    expected = record["renditions"]["web"] if name == TURNED else f"anonymous/{name}"
    assert view["analysedKey"] == expected


def test_slide_text_is_read_in_the_view(good_run: tuple[int, str, dict[str, Path]]) -> None:
    (view_path,) = (good_run[2][SLIDE] / "output" / "vision").glob("*.json")
    view = json.loads(view_path.read_text(encoding="utf-8"))
    lines = [line["text"] for line in view["text"]]
    assert "Quarterly results 2026" in lines
    assert "Revenue up 12 percent" in lines
