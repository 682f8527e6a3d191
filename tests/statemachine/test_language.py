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
    check, scheduled = [
        json.loads(event["taskScheduledEventDetails"]["parameters"])
        for event in outcome.events
        if event.get("taskScheduledEventDetails", {}).get("resource") == "startTranscriptionJob"
    ]
    assert outcome.status == "SUCCEEDED"
    assert outcome.states.index("Start Language Check Job") < outcome.states.index(
        "Start Transcription Job"
    )
    assert scheduled["LanguageCode"] == "en-GB"
    assert "IdentifyLanguage" not in scheduled
    assert scheduled["MediaFormat"] == "mp3"
    # And the same audio is identified by a job of its own, to check the language given
    assert check["IdentifyLanguage"] is True
    assert "LanguageCode" not in check
    assert check["Media"] == scheduled["Media"]
    assert check["TranscriptionJobName"] != scheduled["TranscriptionJobName"]
