"""The detectors' findings in Rekognition's shapes: the moderation mapping, word boxes, word
filters and timecodes, on findings written as data."""

from __future__ import annotations

import itertools

import pytest

from reelscribe.emulators.rekognition_images import filter_words, limit_words
from reelscribe.vision import moderation, text
from reelscribe.vision.shots import smpte

LINE = (
    "Quarterly results 2026",
    97.0,
    [[100.0, 50.0], [320.0, 50.0], [320.0, 80.0], [100.0, 80.0]],
)


def test_moderation_labels_with_exposed_part_report_label_and_parents() -> None:
    found = [{"class": "FEMALE_BREAST_EXPOSED", "score": 0.9, "box": [0, 0, 1, 1]}]
    labels = moderation.labels(found, 50.0)
    assert [(label["Name"], label["ParentName"], label["TaxonomyLevel"]) for label in labels] == [
        ("Exposed Female Nipple", "Explicit Nudity", 3),
        ("Explicit Nudity", "Explicit", 2),
        ("Explicit", "", 1),
    ]
    assert {label["Confidence"] for label in labels} == {
        round(moderation.calibrated_confidence(0.9), 3)
    }


@pytest.mark.parametrize(
    "kind", ["FACE_FEMALE", "FEET_EXPOSED", "BELLY_EXPOSED", "BUTTOCKS_COVERED"]
)
def test_moderation_labels_with_unmapped_class_report_nothing(kind: str) -> None:
    assert moderation.labels([{"class": kind, "score": 0.99, "box": [0, 0, 1, 1]}], 0.0) == []


def test_moderation_labels_under_min_confidence_are_dropped() -> None:
    found = [{"class": "MALE_GENITALIA_EXPOSED", "score": 0.45, "box": [0, 0, 1, 1]}]
    assert moderation.labels(found, 50.0) == []
    assert len(moderation.labels(found, 20.0)) == 3


def test_moderation_confidence_at_clean_floor_is_rekognitions_default_min_confidence() -> None:
    assert moderation.calibrated_confidence(moderation.CLEAN_FLOOR) == pytest.approx(50.0)
    assert moderation.calibrated_confidence(0.0) == 0.0
    assert moderation.calibrated_confidence(1.0) == pytest.approx(100.0)
    scores = [i / 100 for i in range(101)]
    confidences = [moderation.calibrated_confidence(s) for s in scores]
    assert confidences == sorted(confidences)


def test_moderation_labels_scored_as_on_clean_footage_are_not_reported_at_default() -> None:
    # NudeNet's 0.83 on scikit-image's colour wheel, and a cartoon's 0.77 "exposed breast"
    found = [
        {"class": "BUTTOCKS_EXPOSED", "score": 0.83, "box": [0, 0, 1, 1]},
        {"class": "FEMALE_BREAST_EXPOSED", "score": 0.77, "box": [0, 0, 1, 1]},
    ]
    assert moderation.labels(found, moderation.DEFAULT_MIN_CONFIDENCE) == []


def test_text_detections_with_one_line_give_line_then_words_in_ratios() -> None:
    items = text.detections([LINE], 640, 360)
    assert [(i["Type"], i["DetectedText"]) for i in items] == [
        ("LINE", "Quarterly results 2026"),
        ("WORD", "Quarterly"),
        ("WORD", "results"),
        ("WORD", "2026"),
    ]
    assert all(i["ParentId"] == 0 for i in items[1:])
    box = items[0]["Geometry"]["BoundingBox"]
    assert box == pytest.approx(
        {"Left": 100 / 640, "Top": 50 / 360, "Width": 220 / 640, "Height": 30 / 360}, abs=1e-5
    )
    words = [i["Geometry"]["BoundingBox"] for i in items[1:]]
    assert words[0]["Left"] == pytest.approx(box["Left"])
    assert all(a["Left"] < b["Left"] for a, b in itertools.pairwise(words))


def test_filter_words_with_min_confidence_drops_words_and_empty_lines() -> None:
    items = text.detections(
        [LINE, ("faint", 40.0, [[0.0, 0.0], [50.0, 0.0], [50.0, 10.0], [0.0, 10.0]])], 640, 360
    )
    kept = filter_words(items, 50.0, 0.0, 0.0)
    assert [i["DetectedText"] for i in kept if i["Type"] == "LINE"] == ["Quarterly results 2026"]


@pytest.mark.parametrize(
    ("frame", "rate", "expected"),
    [(0, 25.0, "00:00:00:00"), (112, 25.0, "00:00:04:12"), (3600 * 30 + 31, 29.97, "01:00:01:01")],
)
def test_smpte_with_frame_number_gives_non_drop_timecode(
    frame: int, rate: float, expected: str
) -> None:
    assert smpte(frame, rate) == expected


def test_limit_words_over_limit_keeps_whole_lines_in_order() -> None:
    # Given 30 lines of four words each (120 words)
    lines = [
        (
            f"line {n} has words",
            90.0,
            [[0.0, n * 10.0], [90.0, n * 10.0], [90.0, n * 10 + 9.0], [0.0, n * 10 + 9.0]],
        )
        for n in range(30)
    ]
    kept = limit_words(text.detections(lines, 640, 360), 100)
    # Then 25 whole lines are kept, the first ones, with their 100 words
    assert sum(i["Type"] == "WORD" for i in kept) == 100
    assert [i["DetectedText"] for i in kept if i["Type"] == "LINE"] == [
        f"line {n} has words" for n in range(25)
    ]
