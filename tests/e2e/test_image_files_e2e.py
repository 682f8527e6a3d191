"""Pictures end to end through `reelscribe run`: each bad picture fails in Make Image Renditions
with a plain reason and leaves no output."""

from __future__ import annotations

import email
import io
import json
from pathlib import Path
from typing import Any

import pytest

from reelscribe.cli import main
from tests.support.images import (
    make_decompression_bomb,
    make_pixel,
    make_text_named_png,
    make_truncated_jpeg,
)

pytestmark = pytest.mark.slow

BAD = {
    "cut off.jpg": (make_truncated_jpeg, "UnreadableImageError", "damaged or incomplete"),
    "notes.png": (make_text_named_png, "UnreadableImageError", "is not a picture"),
    "pixel.png": (make_pixel, "ImageTooSmallError", "1x1 pixels, too small"),
    "bomb.png": (make_decompression_bomb, "ImageTooLargeError", "decompression bombs"),
}


def _run(files: list[Path], out: Path) -> tuple[int, str, dict[str, Path]]:
    stream = io.StringIO()
    code = main(
        ["run", *map(str, files), "--out", str(out), "--jobs", "2", "--quiet"], stream=stream
    )
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    return code, stream.getvalue(), {Path(r["source"]).name: Path(r["folder"]) for r in runs}


def _record(folder: Path) -> dict[str, Any]:
    (item,) = json.loads((folder / "records" / "VideosTable.json").read_text(encoding="utf-8"))
    return dict(item)


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


@pytest.mark.parametrize("name", list(BAD))
def test_bad_picture_fails_in_make_image_renditions_with_plain_reason(
    bad_run: tuple[int, str, dict[str, Path]], name: str
) -> None:
    code, text, folders = bad_run
    _, error, words = BAD[name]
    assert code == 1, text
    record = _record(folders[name])
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
