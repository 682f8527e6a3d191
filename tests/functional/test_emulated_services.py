"""The emulated services answer boto3 as the real ones do: statuses, errors, outputs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelscribe.runtime.deployment import FunctionSpec
from reelscribe.runtime.lambdas import LocalFunctions
from reelscribe.runtime.local import LocalRuntime
from tests.support.media import espeak_available, make_video
from tests.support.wer import word_error_rate

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
# A whole sentence: a single short phrase is at the mercy of the int8 kernels this CPU picks.
SPOKEN = "This video was transcribed by the local emulator."
WER_BUDGET = 0.15


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(ROOT / "template.yaml") as local:
        yield local


def _poll(fetch: Any, done: set[str], key: str, timeout: float = 60) -> list[dict[str, Any]]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = fetch()
        seen.append(snapshot)
        if snapshot[key] in done:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"still {seen[-1][key]} after {timeout} s")


def _put(runtime: LocalRuntime, path: Path, key: str) -> str:
    runtime.s3.put_object(Bucket=runtime.upload_bucket, Key=key, Body=path.read_bytes())
    return f"s3://{runtime.upload_bucket}/{key}"


def test_mediaconvert_job_moves_submitted_progressing_complete(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    source = _put(
        runtime,
        make_video(tmp_path / "in.mp4", width=1280, height=720, duration=6, audio="silent"),
        "u/in.mp4",
    )
    destination = f"s3://{runtime.output_bucket}/output/web/u/v/in"
    settings = {
        "Inputs": [
            {
                "FileInput": source,
                "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
            }
        ],
        "OutputGroups": [
            {
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": destination},
                },
                "Outputs": [
                    {
                        "Extension": "mp4",
                        "ContainerSettings": {"Container": "MP4"},
                        "VideoDescription": {
                            "Width": 640,
                            "Height": 360,
                            "CodecSettings": {
                                "Codec": "H_264",
                                "H264Settings": {"RateControlMode": "QVBR", "MaxBitrate": 1000000},
                            },
                        },
                        "AudioDescriptions": [
                            {
                                "AudioSourceName": "Audio Selector 1",
                                "CodecSettings": {
                                    "Codec": "AAC",
                                    "AacSettings": {
                                        "Bitrate": 96000,
                                        "SampleRate": 48000,
                                        "CodingMode": "CODING_MODE_2_0",
                                    },
                                },
                            }
                        ],
                    }
                ],
            }
        ],
    }
    client = runtime.session.client("mediaconvert")
    job = client.create_job(Role="arn:aws:iam::123456789012:role/r", Settings=settings)["Job"]
    states = _poll(lambda: client.get_job(Id=job["Id"])["Job"], {"COMPLETE", "ERROR"}, "Status")

    assert job["Status"] == "SUBMITTED"
    assert states[-1]["Status"] == "COMPLETE"
    assert {s["Status"] for s in states} <= {"SUBMITTED", "PROGRESSING", "COMPLETE"}
    percents = [s["JobPercentComplete"] for s in states if "JobPercentComplete" in s]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    head = runtime.s3.head_object(Bucket=runtime.output_bucket, Key="output/web/u/v/in.mp4")
    assert head["ContentLength"] > 0


def test_mediaconvert_job_on_unreadable_input_ends_in_error_with_message(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    text = tmp_path / "fake.mp4"
    text.write_text("not a video")
    source = _put(runtime, text, "u/fake.mp4")
    client = runtime.session.client("mediaconvert")
    settings = {"Inputs": [{"FileInput": source}], "OutputGroups": []}
    job = client.create_job(Role="arn:aws:iam::123456789012:role/r", Settings=settings)["Job"]
    final = _poll(lambda: client.get_job(Id=job["Id"])["Job"], {"COMPLETE", "ERROR"}, "Status")[-1]

    assert final["Status"] == "ERROR"
    assert "fake.mp4" in final["ErrorMessage"]


def test_mediaconvert_probe_of_text_file_is_bad_request(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    text = tmp_path / "fake.mp4"
    text.write_text("not a video")
    source = _put(runtime, text, "u/fake-probe.mp4")
    client = runtime.session.client("mediaconvert")
    with pytest.raises(client.exceptions.BadRequestException, match="Unable to probe"):
        client.probe(InputFiles=[{"FileUrl": source}])


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech")
def test_transcribe_job_writes_transcribe_document_and_refuses_a_second_start(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    source = _put(runtime, make_video(tmp_path / "talk.mp4", speech=SPOKEN), "u/talk.mp4")
    client = runtime.session.client("transcribe")
    request: dict[str, Any] = {
        "TranscriptionJobName": "emulator-test-1",
        "Media": {"MediaFileUri": source},
        "MediaFormat": "mp4",
        "LanguageCode": "en-US",
        "OutputBucketName": runtime.output_bucket,
        "OutputKey": "output/transcribe/u/talk.json",
    }
    started = client.start_transcription_job(**request)["TranscriptionJob"]
    with pytest.raises(client.exceptions.ConflictException):
        client.start_transcription_job(**request)
    final = _poll(
        lambda: client.get_transcription_job(TranscriptionJobName="emulator-test-1")[
            "TranscriptionJob"
        ],
        {"COMPLETED", "FAILED"},
        "TranscriptionJobStatus",
    )[-1]
    document = json.loads(
        runtime.s3.get_object(Bucket=runtime.output_bucket, Key="output/transcribe/u/talk.json")[
            "Body"
        ].read()
    )

    assert started["TranscriptionJobStatus"] == "QUEUED"
    assert final["TranscriptionJobStatus"] == "COMPLETED"
    assert final["Transcript"]["TranscriptFileUri"].endswith("/output/transcribe/u/talk.json")
    assert document["jobName"] == "emulator-test-1"
    transcript = document["results"]["transcripts"][0]["transcript"]
    assert word_error_rate(SPOKEN, transcript) < WER_BUDGET, transcript


def test_transcribe_invalid_job_name_is_bad_request(runtime: LocalRuntime) -> None:
    client = runtime.session.client("transcribe")
    with pytest.raises(client.exceptions.BadRequestException):
        client.start_transcription_job(
            TranscriptionJobName="has spaces",
            Media={"MediaFileUri": "s3://b/k.mp3"},
            MediaFormat="mp3",
            LanguageCode="en-US",
        )


def test_transcribe_language_code_it_does_not_know_is_bad_request(runtime: LocalRuntime) -> None:
    client = runtime.session.client("transcribe")
    with pytest.raises(client.exceptions.BadRequestException, match="'xx-XX' at 'languageCode'"):
        client.start_transcription_job(
            TranscriptionJobName="unknown-language",
            Media={"MediaFileUri": "s3://b/k.mp3"},
            MediaFormat="mp3",
            LanguageCode="xx-XX",
        )


def test_local_function_past_its_timeout_is_abandoned_as_lambda_does(tmp_path: Path) -> None:
    code = tmp_path / "slow"
    code.mkdir()
    (code / "app.py").write_text(
        "import time\n\ndef handler(event, context):\n    time.sleep(5)\n    return 'late'\n"
    )
    spec = FunctionSpec(
        logical_id="SlowFunction",
        name="slow",
        arn="arn:aws:lambda:::function:slow",
        code_dir=code,
        handler="app.handler",
        environment={},
        timeout=0.5,
        memory=128,
        layer_dirs=(),
    )
    started = time.monotonic()
    result = LocalFunctions({"SlowFunction": spec}, {}).invoke(spec, b"{}")

    assert time.monotonic() - started < 2
    assert result.function_error == "Unhandled"
    assert json.loads(result.payload)["errorType"] == "Sandbox.Timedout"


def test_local_function_sees_its_template_environment_at_cold_start(tmp_path: Path) -> None:
    code = tmp_path / "env"
    code.mkdir()
    (code / "app.py").write_text(
        "import os\n\nBUCKET = os.environ['OUTPUT_BUCKET']\n\ndef handler(event, context):\n"
        "    return {'bucket': BUCKET, 'name': context.function_name}\n"
    )
    spec = FunctionSpec(
        logical_id="EnvFunction",
        name="env-fn",
        arn="arn:aws:lambda:::function:env-fn",
        code_dir=code,
        handler="app.handler",
        environment={"OUTPUT_BUCKET": "out-1"},
        timeout=3,
        memory=128,
        layer_dirs=(),
    )
    result = LocalFunctions({"EnvFunction": spec}, {}).invoke(spec, b"{}")

    assert json.loads(result.payload) == {"bucket": "out-1", "name": "env-fn"}
