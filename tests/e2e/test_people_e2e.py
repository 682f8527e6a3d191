"""End to end: two people enrolled with `reelscribe faces add`, then a clip of Eileen Collins,
a stranger and the cameraman (four seconds each) through `reelscribe run`: each enrolled person
is named, by their display name, only where they appear; the stranger is named nowhere."""

from __future__ import annotations

import email
import io
import json
from pathlib import Path

import pytest

from reelscribe.cli import main
from tests.support import faces

pytestmark = pytest.mark.slow
CAMERAMAN = "Кинооператор"  # a display name in another script


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    media = tmp_path_factory.mktemp("media")
    out = tmp_path_factory.mktemp("out")
    clip = faces.make_people_clip(media)
    for name, photo in (
        ("Eileen Collins", faces.eileen_collins(media / "eileen.jpg")),
        (CAMERAMAN, faces.cameraman(media / "cameraman.jpg")),
    ):
        assert main(["faces", "add", name, str(photo), "--out", str(out)], io.StringIO()) == 0
    assert main(["run", str(clip), "--out", str(out), "--quiet"], stream=io.StringIO()) == 0
    return out / clip.stem


def test_people_enrolled_are_named_only_where_they_appear(folder: Path) -> None:
    view = json.loads((folder / "output/vision/people.json").read_text(encoding="utf-8"))
    spans = {p["name"]: (p["start"], p["end"]) for p in view["people"]}
    assert set(spans) == {"Eileen Collins", CAMERAMAN}
    for name, (start, end) in spans.items():
        shown_from, shown_to = faces.PEOPLE_CLIP_TIMES[
            "Eileen Collins" if name == "Eileen Collins" else "cameraman"
        ]
        assert shown_from <= start < end <= shown_to, (name, start, end)
    stranger_from, stranger_to = faces.PEOPLE_CLIP_TIMES["stranger"]
    for start, end in spans.values():
        assert end <= stranger_from or start >= stranger_to


def test_people_track_cues_are_the_display_names(folder: Path) -> None:
    track = (folder / "output/vision/people-people.vtt").read_text(encoding="utf-8")
    assert track.startswith("WEBVTT")
    assert "\nEileen Collins\n" in track
    assert f"\n{CAMERAMAN}\n" in track


def test_people_record_and_email_list_who_appears(folder: Path) -> None:
    (record,) = json.loads((folder / "records/VideosTable.json").read_text(encoding="utf-8"))
    assert record["people"] == ["Eileen Collins", CAMERAMAN]
    (message_file,) = (folder / "notifications").glob("*completed*")
    message = email.message_from_bytes(message_file.read_bytes())
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert f"People: Eileen Collins, {CAMERAMAN}" in body
