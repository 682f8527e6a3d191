"""End to end: a clip with hard cuts, a black gap, a slide and a face goes through Analyze
Video on the local runtime, every available kind analysed, labels and celebrities unavailable."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from reelscribe.cli import main
from tests.support.vision_media import (
    SLIDE_LINES,
    CutClip,
    character_error_rate,
    make_cut_clip,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> CutClip:
    return make_cut_clip(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="module")
def run(clip: CutClip, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The clip's folder and what the run printed."""
    out = tmp_path_factory.mktemp("out")
    printed = io.StringIO()
    code = main(["run", str(clip.path), "--out", str(out), "--quiet"], stream=printed)
    assert code == 0
    return out / clip.path.stem, printed.getvalue()


@pytest.fixture(scope="module")
def folder(run: tuple[Path, str]) -> Path:
    return run[0]


@pytest.fixture(scope="module")
def view(folder: Path, clip: CutClip) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (folder / "output/vision" / f"{clip.path.stem}.json").read_text()
    )
    return data


def _record(folder: Path) -> dict[str, Any]:
    (video,) = json.loads((folder / "records/VideosTable.json").read_text())
    return dict(video)


def test_vision_e2e_every_local_kind_runs_and_labels_say_why_not(view: dict[str, Any]) -> None:
    branches = view["branches"]
    assert all(branches[kind]["available"] for kind in ("shots", "text", "faces", "moderation"))
    for kind in ("labels", "celebrities"):
        assert branches[kind]["available"] is False
        assert "unavailable locally" in branches[kind]["reason"]
    assert view["labels"] == []
    assert view["celebrities"] == []
    assert view["analysedKey"].startswith("output/web/")


def test_vision_e2e_shots_start_within_two_frames_of_each_cut(
    view: dict[str, Any], clip: CutClip
) -> None:
    starts = [shot["start"] for shot in view["shots"]]
    tolerance = 2 / clip.frame_rate
    for cut in (c for c in clip.cuts if not clip.black[0] <= c < clip.black[1]):
        assert min(abs(start - cut) for start in starts) <= tolerance + 1e-6, (cut, starts)


def test_vision_e2e_black_gap_is_a_black_frames_cue(view: dict[str, Any], clip: CutClip) -> None:
    black = [c for c in view["technicalCues"] if c["type"] == "BlackFrames"]
    assert any(c["start"] < clip.black[1] and c["end"] > clip.black[0] for c in black)


def test_vision_e2e_slide_text_is_read_once_within_its_span(
    view: dict[str, Any], clip: CutClip
) -> None:
    for expected in SLIDE_LINES:
        best = min(view["text"], key=lambda t: character_error_rate(expected, t["text"]))
        assert character_error_rate(expected, best["text"]) <= 0.1, best
        assert clip.slide[0] - 0.5 <= best["start"] <= best["end"] <= clip.slide[1] + 0.5
    # Held for three seconds, each line is one entry, not one per frame
    assert len(view["text"]) <= 2 * len(SLIDE_LINES)


def test_vision_e2e_face_is_found_in_its_span(view: dict[str, Any], clip: CutClip) -> None:
    inside = [
        f for f in view["faces"] if clip.face[0] - 0.5 <= f["start"] <= f["end"] <= clip.face[1]
    ]
    assert inside
    assert all(0 <= inside[0]["box"][k] <= 1 for k in ("Left", "Top", "Width", "Height"))


def test_vision_e2e_clean_footage_needs_no_review(view: dict[str, Any], folder: Path) -> None:
    assert view["moderation"] == []
    assert view["needsReview"] is False
    assert _record(folder)["needsReview"] is False


def test_vision_e2e_thumbnails_poster_tracks_and_raw_results_are_in_the_folder(
    view: dict[str, Any], folder: Path, clip: CutClip
) -> None:
    vision = folder / "output/vision"
    for shot in view["shots"]:
        thumbnail = vision / "shots" / Path(shot["thumbnailKey"]).name
        assert thumbnail.read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    assert (vision / Path(view["posterKey"]).name).read_bytes()[:2] == b"\xff\xd8"
    assert set(view["tracks"]) == {"shots", "text", "faces", "moderation"}
    text_track = (vision / Path(view["tracks"]["text"]).name).read_text()
    assert text_track.startswith("WEBVTT")
    assert "Quarterly" in text_track
    segments = json.loads((vision / "raw/shots.json").read_text())["Segments"]
    assert {s["Type"] for s in segments} == {"SHOT", "TECHNICAL_CUE"}


def test_vision_e2e_video_item_and_email_carry_the_summary(
    view: dict[str, Any], folder: Path
) -> None:
    record = _record(folder)
    mail = next((folder / "notifications").glob("*.eml")).read_text()
    assert record["status"] == "COMPLETED"
    assert record["noAudio"] is True  # the clip is silent: the transcription was skipped
    assert record["shotCount"] == len(view["shots"]) >= 4
    assert record["posterKey"] == view["posterKey"]
    assert "Quarterly" in record["onScreenText"]
    assert f"Shots: {len(view['shots'])}" in mail
    assert "Not analysed: celebrities, labels" in mail


def test_vision_e2e_run_summary_says_what_is_on_screen(
    view: dict[str, Any], run: tuple[Path, str]
) -> None:
    (line,) = [line for line in run[1].splitlines() if line.strip().startswith("On screen:")]
    text = _record(run[0])["onScreenText"]
    assert "Quarterly" in text
    assert f"{len(view['shots'])} shots; text: {text}" in line
    assert ("needs review" in line) is view["needsReview"]
