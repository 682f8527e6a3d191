"""End to end: known positive and negative sentences, spoken, come back labelled and in time."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reelscribe.cli import main
from tests.support.media import espeak_available, make_video

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech"),
]

POSITIVE = "I love this wonderful team, and the results are great."
NEUTRAL = "The meeting with Alice Johnson is in Seattle."
NEGATIVE = "The old system was slow, broken and terrible."
SPEECH = f"{POSITIVE} {NEUTRAL} {NEGATIVE}"
CUE_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    media = tmp_path_factory.mktemp("media")
    out = tmp_path_factory.mktemp("out")
    clip = make_video(media / "moods.mp4", speech=SPEECH)
    code = main(["run", str(clip), "--out", str(out), "--quiet"], stream=io.StringIO())
    assert code == 0
    return out / "moods"


def _analysis(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "output/analysis/moods.json").read_text())
    return data


def _segment_with(timeline: list[dict[str, Any]], words: str) -> dict[str, Any]:
    return next(s for s in timeline if words.lower() in s["text"].lower())


def _word_start(folder: Path, word: str) -> float:
    document = json.loads((folder / "output/transcribe/moods.json").read_text())
    for item in document["results"]["items"]:
        if item["type"] == "pronunciation" and item["alternatives"][0]["content"].lower() == word:
            return float(item["start_time"])
    raise AssertionError(f"{word!r} was not transcribed")


def test_analysis_positive_sentence_is_positive_at_its_time(analysed: Path) -> None:
    timeline = _analysis(analysed)["sentiment"]["timeline"]
    segment = _segment_with(timeline, "wonderful team")
    assert segment["sentiment"] == "POSITIVE"
    assert segment["start"] <= _word_start(analysed, "wonderful") <= segment["end"]


def test_analysis_negative_sentence_is_negative_at_its_time(analysed: Path) -> None:
    timeline = _analysis(analysed)["sentiment"]["timeline"]
    segment = _segment_with(timeline, "slow, broken")
    assert segment["sentiment"] == "NEGATIVE"
    assert segment["start"] <= _word_start(analysed, "broken") <= segment["end"]
    assert segment["start"] > _segment_with(timeline, "wonderful team")["end"] - 0.01


def test_analysis_key_phrases_have_times_inside_the_clip(analysed: Path) -> None:
    phrases = _analysis(analysed)["keyPhrases"]["phrases"]
    texts = [p["text"].lower() for p in phrases]
    assert any("system" in t for t in texts), texts
    duration = json.loads((analysed / "records/VideosTable.json").read_text())[0]["durationSeconds"]
    for phrase in phrases:
        assert 0 <= phrase["first_start"] <= duration


def test_analysis_entities_with_the_shipped_model_are_typed_at_their_times(
    analysed: Path,
) -> None:
    # Given the local install's spaCy model / When the spoken names are analysed
    entities = _analysis(analysed)["entities"]
    # Then the branch ran (no "unavailable" reason) and found the person and the place in time
    assert entities["available"], entities.get("reason")
    by_type = {(e["type"], e["text"].lower()): e for e in entities["entities"]}
    assert ("PERSON", "alice johnson") in by_type, by_type.keys()
    (seattle_start, seattle_end) = by_type[("LOCATION", "seattle")]["occurrences"][0]
    assert seattle_start <= _word_start(analysed, "seattle") <= seattle_end


def test_analysis_subtitles_follow_cue_rules_and_times(analysed: Path) -> None:
    vtt = (analysed / "output/subtitles/moods.vtt").read_text()
    srt = (analysed / "output/subtitles/moods.srt").read_text()
    assert vtt.startswith("WEBVTT")
    cues = [block.splitlines() for block in vtt.split("\n\n")[1:] if block.strip()]
    assert cues
    assert srt.count(" --> ") == len(cues)
    for cue in cues:
        timing = next(line for line in cue if " --> " in line)
        match = CUE_TIME.match(timing)
        assert match
        numbers = [int(n) for n in match.groups()]
        start = numbers[0] * 3600 + numbers[1] * 60 + numbers[2] + numbers[3] / 1000
        end = numbers[4] * 3600 + numbers[5] * 60 + numbers[6] + numbers[7] / 1000
        text = cue[cue.index(timing) + 1 :]
        assert 0 < end - start <= 7.0
        assert 1 <= len(text) <= 2
        assert all(len(line) <= 42 for line in text)


def test_analysis_records_and_email_carry_the_sentiment(analysed: Path) -> None:
    (video,) = json.loads((analysed / "records/VideosTable.json").read_text())
    (metadata,) = json.loads((analysed / "records/MetadataTable.json").read_text())
    mail = next((analysed / "notifications").glob("*.eml")).read_text()
    assert video["overallSentiment"] in {"POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"}
    assert video["overallSentiment"] == metadata["Sentiment"]
    assert set(video["subtitles"]) == {"vtt", "srt"}
    assert set(metadata["SentimentScore"]) == {"Positive", "Negative", "Neutral", "Mixed"}
    assert metadata["KeyPhrases"]
    assert f"Overall sentiment: {video['overallSentiment']}" in mail
