"""End to end: what is said in real speech is found in the library, at the moment it is said."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from reelscribe.cli import main
from reelscribe.library.local import open_library
from reelscribe.template import Template
from tests.support.bad_media import make_text_file
from tests.support.cli_runs import run_quietly, video_record
from tests.support.media import espeak_available, make_video

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]
ROOT = Path(__file__).resolve().parents[2]
FERRY = "Good morning. The ferries to the island leave at midnight from the northern harbour."
GARDEN = "Our garden needs more sunflowers and a new wooden fence this summer."


def _search(out: Path, *args: str) -> dict[str, Any]:
    printed = io.StringIO()
    assert main(["search", *args, "--out", str(out), "--json"], stream=printed) == 0
    found: dict[str, Any] = json.loads(printed.getvalue())
    return found


def _indexed(out: Path) -> dict[str, int]:
    with open_library(out, Template.load(ROOT / "template.yaml")) as library:
        answer = library.execute(
            "SELECT video_id, count(*) AS n FROM library_moments GROUP BY video_id", as_json=True
        )
    return {row["video_id"]: row["n"] for row in json.loads(answer["formattedRecords"])}


def test_library_spoken_phrase_is_found_at_its_time_once_per_upload(tmp_path: Path) -> None:
    # Given alice's clip whose speech starts 3 s in, a file that is no video, and bob's clip
    out = tmp_path / "out"
    ferry = make_video(tmp_path / "ferry.mp4", speech=FERRY, audio_start=3.0)
    broken = make_text_file(tmp_path / "broken.mp4")
    garden = make_video(tmp_path / "garden.mp4", speech=GARDEN)
    code, text = run_quietly(str(ferry), str(broken), "--user", "alice", "--out", str(out))
    assert code == 1, text  # the broken file fails; the clip completes
    code, text = run_quietly(str(garden), "--user", "bob", "--out", str(out))
    assert code == 0, text
    ferry_id = video_record(out / "ferry")["videoId"]
    garden_id = video_record(out / "garden")["videoId"]
    broken_record = video_record(out / "broken")

    # When alice's phrase is searched for
    found = _search(out, "ferries at midnight")

    # Then her clip is the one hit, at the moment the words are heard, linked into its report
    assert [hit["videoId"] for hit in found["hits"]] == [ferry_id]
    (hit,) = found["hits"]
    assert (hit["name"], hit["user"], hit["mediaKind"]) == ("ferry.mp4", "alice", "video")
    said = [m for m in hit["moments"] if m["kind"] == "transcript"]
    assert said, hit["moments"]
    assert 2.0 <= said[0]["start"] <= 5.0, said[0]
    assert "<b>midnight</b>" in said[0]["highlight"]
    assert said[0]["link"] == f"ferry/report.html#t={said[0]['start']:g}"
    assert (out / "ferry" / "report.html").is_file()
    assert video_record(out / "ferry")["searchable"] is True
    # And the facets count both users' matches only where they match
    assert found["facets"]["user"] == {"alice": 1}
    assert _search(out, "sunflowers", "--user", "alice")["total"] == 0
    assert [h["videoId"] for h in _search(out, "sunflowers")["hits"]] == [garden_id]

    # And the failed upload left no rows; a rebuild gives the same rows, never doubled
    before = _indexed(out)
    assert set(before) == {ferry_id, garden_id}
    assert broken_record["status"] == "FAILED"
    assert main(["reindex", "--out", str(out)], stream=io.StringIO()) == 0
    assert main(["reindex", "--out", str(out)], stream=io.StringIO()) == 0
    assert _indexed(out) == before
