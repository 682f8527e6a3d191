"""End to end: two people enrolled with `reelscribe faces add`, then a clip of Eileen Collins,
a stranger and the cameraman (four seconds each) through `reelscribe run`: each enrolled person
is named, by their display name, only where they appear; the stranger is named nowhere. A
picture of Eileen Collins beside the stranger names her, over her face, and no one else."""

from __future__ import annotations

import email
import io
import json
from pathlib import Path
from typing import Any

import pytest

from reelscribe.cli import main
from tests.support import faces

pytestmark = pytest.mark.slow
CAMERAMAN = "Кинооператор"  # a display name in another script


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    media = tmp_path_factory.mktemp("photos")
    out = tmp_path_factory.mktemp("out")
    for name, photo in (
        ("Eileen Collins", faces.eileen_collins(media / "eileen.jpg")),
        (CAMERAMAN, faces.cameraman(media / "cameraman.jpg")),
    ):
        assert main(["faces", "add", name, str(photo), "--out", str(out)], io.StringIO()) == 0
    return out


@pytest.fixture(scope="module")
def folder(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    clip = faces.make_people_clip(tmp_path_factory.mktemp("media"))
    assert main(["run", str(clip), "--out", str(library), "--quiet"], stream=io.StringIO()) == 0
    return library / clip.stem


@pytest.fixture(scope="module")
def picture(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    photo = faces.eileen_collins_and_stranger(tmp_path_factory.mktemp("picture") / "pair.jpg")
    assert main(["run", str(photo), "--out", str(library), "--quiet"], stream=io.StringIO()) == 0
    return library / photo.stem


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


def test_picture_names_the_enrolled_person_over_her_face_and_not_the_stranger(
    picture: Path,
) -> None:
    view = json.loads((picture / "output/vision/pair.json").read_text(encoding="utf-8"))
    # Both faces were found and searched; only hers, on the left half, names anyone.
    assert len(view["faces"]) == 2
    assert view["branches"]["face_search"] == {"available": True}
    (person,) = view["people"]
    assert person["name"] == "Eileen Collins"
    assert person["box"]["Left"] + person["box"]["Width"] <= 0.5
    assert person["similarity"] >= 80


def test_picture_record_and_email_list_the_person_in_it(picture: Path) -> None:
    (record,) = json.loads((picture / "records/VideosTable.json").read_text(encoding="utf-8"))
    assert record["people"] == ["Eileen Collins"]
    (message_file,) = (picture / "notifications").glob("*completed*")
    message = email.message_from_bytes(message_file.read_bytes())
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "People: Eileen Collins\n" in body


def _search(out: Path, *args: str) -> dict[str, Any]:
    printed = io.StringIO()
    assert main(["search", *args, "--out", str(out), "--json"], stream=printed) == 0
    found: dict[str, Any] = json.loads(printed.getvalue())
    return found


def test_search_person_finds_where_they_appear_and_nothing_once_removed(
    library: Path, folder: Path, picture: Path
) -> None:
    # Given the clip and the picture run (this test removes her, so it runs after theirs)
    found = _search(library, "Eileen", "--kind", "person")
    hits = {hit["name"]: hit for hit in found["hits"]}
    assert set(hits) == {"people.mp4", "pair.jpg"}
    shown_from, shown_to = faces.PEOPLE_CLIP_TIMES["Eileen Collins"]
    for moment in hits["people.mp4"]["moments"]:
        assert moment["kind"] == "person"
        assert moment["text"] == "Eileen Collins"
        assert shown_from <= moment["start"] < moment["end"] <= shown_to, moment
    (in_picture,) = hits["pair.jpg"]["moments"]
    assert (in_picture["kind"], in_picture["start"]) == ("person", None)
    # When she is removed
    said = io.StringIO()
    assert main(["faces", "remove", "Eileen Collins", "--out", str(library)], said) == 0
    # Then no search finds her, and the cameraman, in the same clip, is still found
    assert _search(library, "Eileen", "--kind", "person")["total"] == 0
    assert _search(library, "Eileen")["total"] == 0
    (still,) = _search(library, CAMERAMAN, "--kind", "person")["hits"]
    assert still["name"] == "people.mp4"
