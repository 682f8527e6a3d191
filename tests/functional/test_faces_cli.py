"""`reelscribe faces add|list|remove`, in-process, over the real template, ASL, functions and
the local collection, with real photographs (tests/support/faces.py says whose)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reelscribe.cli import main
from reelscribe.runtime.local import LocalRuntime
from tests.conftest import TEMPLATE
from tests.support import faces

pytestmark = pytest.mark.slow


def _main(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stream=out), out.getvalue()


def _descriptors(out: Path) -> int:
    path = out / ".library" / "faces" / "collections.json"
    stored = json.loads(path.read_text(encoding="utf-8"))["collections"].values()
    return sum(len(c["faces"]) for c in stored)


def test_faces_add_one_face_enrols_the_person_and_lists_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, said = _main(
        "faces",
        "add",
        "Eileen Collins",
        str(faces.eileen_collins(tmp_path / "e.jpg")),
        "--out",
        str(out),
    )
    assert code == 0, said
    assert "Enrolled Eileen Collins from e.jpg" in said
    # A later run, another process in effect, still knows her: the library kept her.
    code, listed = _main("faces", "list", "--out", str(out))
    assert code == 0
    assert listed.splitlines() == ["Eileen Collins\t1 photo"]
    assert _descriptors(out) == 1


def test_faces_add_name_in_another_script_is_shown_as_given(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, said = _main(
        "faces",
        "add",
        "Айлин Коллинз",
        str(faces.eileen_collins(tmp_path / "e.jpg")),
        "--out",
        str(out),
    )
    assert code == 0, said
    assert _main("faces", "list", "--out", str(out))[1].splitlines() == ["Айлин Коллинз\t1 photo"]


def test_faces_add_photo_without_a_face_is_refused_and_nothing_is_indexed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, said = _main(
        "faces",
        "add",
        "Eileen Collins",
        str(faces.no_face(tmp_path / "coffee.jpg")),
        "--out",
        str(out),
    )
    assert code == 1
    assert "No face found in coffee.jpg: nothing was enrolled." in said
    assert _descriptors(out) == 0
    assert _main("faces", "list", "--out", str(out))[1].strip() == "No one is enrolled."


def test_faces_add_two_faces_of_one_size_is_refused_and_nothing_is_indexed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, said = _main(
        "faces",
        "add",
        "Eileen Collins",
        str(faces.twin_photo(tmp_path / "twin.jpg")),
        "--out",
        str(out),
    )
    assert code == 1
    assert "twin.jpg has 2 faces of about the same size" in said
    assert _descriptors(out) == 0


def test_faces_add_one_clearly_largest_face_is_taken_and_named(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, said = _main(
        "faces",
        "add",
        "Eileen Collins",
        str(faces.group_photo(tmp_path / "group.jpg")),
        "--out",
        str(out),
    )
    assert code == 0, said
    assert "took the largest of 2 faces, on the left" in said
    assert _descriptors(out) == 1


def test_faces_add_same_photo_twice_indexes_it_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    photo = str(faces.eileen_collins(tmp_path / "e.jpg"))
    assert _main("faces", "add", "Eileen Collins", photo, "--out", str(out))[0] == 0
    code, said = _main("faces", "add", "Eileen Collins", photo, photo, "--out", str(out))
    assert code == 0
    assert said.count("already enrolled") == 2
    assert _descriptors(out) == 1


def test_faces_remove_deletes_every_descriptor_and_row(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _main(
        "faces",
        "add",
        "Eileen Collins",
        str(faces.eileen_collins(tmp_path / "e.jpg")),
        str(faces.eileen_collins_reframed(tmp_path / "r.jpg")),
        "--out",
        str(out),
    )
    _main("faces", "add", "Cameraman", str(faces.cameraman(tmp_path / "c.jpg")), "--out", str(out))
    assert _descriptors(out) == 3
    code, said = _main("faces", "remove", "eileen collins", "--out", str(out))
    assert code == 0, said
    assert "Removed Eileen Collins: 2 faces" in said
    assert _descriptors(out) == 1
    assert _main("faces", "list", "--out", str(out))[1].splitlines() == ["Cameraman\t1 photo"]
    kept = (out / ".library" / "tables" / "PeopleTable.json").read_text(encoding="utf-8")
    assert "Eileen Collins" not in kept


@pytest.mark.parametrize(
    ("name", "image", "message"),
    [
        ("", "good", "must not be empty"),
        ("x" * 101, "good", "at most 100 characters"),
        ("Eileen", "garbage", "the picture cannot be read"),
        ("Eileen", "missing", "no such file"),
    ],
    ids=["empty-name", "long-name", "unreadable", "missing"],
)
def test_faces_add_usage_mistake_exits_two_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, image: str, message: str
) -> None:
    paths = {"good": faces.eileen_collins(tmp_path / "e.jpg"), "missing": tmp_path / "nope.jpg"}
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"not a picture")
    paths["garbage"] = garbage
    code, _ = _main("faces", "add", name, str(paths[image]), "--out", str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / ".library").exists()


def test_faces_remove_unknown_person_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _main("faces", "remove", "Nobody", "--out", str(tmp_path / "out"))
    assert code == 2
    assert "No one named Nobody is enrolled." in capsys.readouterr().err


def test_refused_enrolment_photo_reports_failure_without_marking_a_video(tmp_path: Path) -> None:
    # Given a photo with no face uploaded under known-faces/<Name>/
    photo = faces.no_face(tmp_path / "coffee.jpg")
    with LocalRuntime(TEMPLATE, library=tmp_path / "library") as runtime:
        event = runtime.upload(photo, "known-faces/Eileen Collins/coffee.jpg")
        (execution,) = runtime.dispatch(event, name_hint="enrol")
        # When Enroll Face refuses it
        assert runtime.wait(execution)["status"] == "FAILED"
        entered = [
            e["stateEnteredEventDetails"]["name"]
            for e in runtime.history(execution)
            if "stateEnteredEventDetails" in e
        ]
        videos = runtime.session.client("dynamodb").scan(
            TableName=runtime.deployment.tables["VideosTable"]
        )["Items"]
        # Then the failure is described and sent, and no video record is looked for or made
        assert entered[-5:] == [
            "Enroll Face",
            "Describe Failure",
            "Was the Video Registered?",
            "Notify Failure",
            "Pipeline Failed",
        ]
        assert videos == []
        (mail,) = runtime.notifications
        assert "No face found in coffee.jpg" in mail.message
