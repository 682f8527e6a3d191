"""The transcription language comes from the template parameter, or is identified."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from reelscribe.runtime.local import LocalRuntime
from tests.statemachine.conftest import MOCK_CONFIG, ROOT, Pipeline


@pytest.fixture
def english_pipeline() -> Iterator[Pipeline]:
    overrides = {"TranscribeLanguage": "en-GB"}
    with LocalRuntime(ROOT / "template.yaml", overrides, mock_config_file=MOCK_CONFIG) as runtime:
        yield Pipeline(runtime)


def test_language_parameter_set_starts_job_with_that_language(english_pipeline: Pipeline) -> None:
    outcome = english_pipeline.run("KnownLanguagePath")
    (scheduled,) = [
        json.loads(event["taskScheduledEventDetails"]["parameters"])
        for event in outcome.events
        if event.get("taskScheduledEventDetails", {}).get("resource") == "startTranscriptionJob"
    ]
    assert outcome.status == "SUCCEEDED"
    assert "Start Transcription Job" in outcome.states
    assert scheduled["LanguageCode"] == "en-GB"
    assert "IdentifyLanguage" not in scheduled
    assert scheduled["MediaFormat"] == "mp3"


def test_language_parameter_auto_identifies_the_language(pipeline: Pipeline) -> None:
    outcome = pipeline.run("HappyPath")
    (scheduled,) = [
        json.loads(event["taskScheduledEventDetails"]["parameters"])
        for event in outcome.events
        if event.get("taskScheduledEventDetails", {}).get("resource") == "startTranscriptionJob"
    ]
    assert scheduled["IdentifyLanguage"] is True
    assert "LanguageCode" not in scheduled
    assert scheduled["OutputKey"].startswith("output/transcribe/alice/")
