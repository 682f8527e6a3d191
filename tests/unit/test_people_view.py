"""Face search's raw Persons become each enrolled person's spans and a captions track."""

from __future__ import annotations

from video_pipeline.vision_tracks import people_track
from video_pipeline.vision_view import people_appearances


def _person(millis: int, name: str, similarity: float) -> dict[str, object]:
    face = {"FaceId": "f", "ExternalImageId": name}
    return {
        "Timestamp": millis,
        "Person": {"Index": 0},
        "FaceMatches": [{"Similarity": similarity, "Face": face}],
    }


def test_people_appearances_seconds_apart_merge_and_a_gap_splits_them() -> None:
    raw = {
        "Persons": [
            _person(0, "Eileen_Collins", 91.0),
            _person(1000, "Eileen_Collins", 95.5),
            _person(8000, "cameraman", 88.0),
            _person(20000, "Eileen_Collins", 90.0),
        ]
    }
    assert people_appearances(raw) == [
        {"name": "Eileen_Collins", "similarity": 95.5, "start": 0.0, "end": 1.0},
        {"name": "cameraman", "similarity": 88.0, "start": 8.0, "end": 8.0},
        {"name": "Eileen_Collins", "similarity": 90.0, "start": 20.0, "end": 20.0},
    ]


def test_people_track_cue_text_is_the_name_alone() -> None:
    track = people_track(
        [{"name": "Eileen  Collins", "similarity": 90.0, "start": 1.0, "end": 3.0}]
    )
    assert track.splitlines() == [
        "WEBVTT",
        "",
        "people-1",
        "00:00:01.000 --> 00:00:03.000",
        "Eileen Collins",
    ]
