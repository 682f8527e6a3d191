"""The real handlers, run as Lambda runs them, against the template's resources in moto.

Each function is cold-started by reelscribe.runtime.lambdas.LocalFunctions with its Environment from
the template. Its input is built from the state machine's own Parameters (the deployed
definition) and its output is handed to the service calls the state machine makes with it.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from reelscribe.runtime.deployment import Deployment, deploy
from reelscribe.runtime.lambdas import LocalFunctions
from reelscribe.template import Template
from tests.support.events import load_event
from tests.support.library import data_api
from tests.support.transcripts import sample_transcribe_document
from video_pipeline.search_index import Cluster, Library, index_upload
from video_pipeline.search_rows import Moment, UploadRecord

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
# What the `aws` fixture puts in the environment; Lambda's runtime has the same kind of values.
RUNTIME_ENV_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "POWERTOOLS_TRACE_DISABLED",
    "POWERTOOLS_METRICS_DISABLED",
)
DYNAMODB_ITEM_LIMIT = 400 * 1024
_LOADED = Template.load(TEMPLATE)  # parsed once; each test deploys its own copy


# ------------------------------------------------------------------ fixtures and helpers


@cache
def _session() -> boto3.Session:
    """One session for the module: its clients reuse the loaded service models. Created inside
    the `aws` fixture, so it only ever holds moto's fake credentials."""
    return boto3.Session(region_name="us-east-1")


def _client(service: str, **kwargs: Any) -> Any:
    return _session().client(service, **kwargs)


@pytest.fixture
def deployment(aws: None) -> Deployment:
    return deploy(copy.deepcopy(_LOADED), _session())


@pytest.fixture
def functions(deployment: Deployment) -> LocalFunctions:
    return LocalFunctions(deployment.functions, {k: os.environ[k] for k in RUNTIME_ENV_KEYS})


@pytest.fixture
def states(deployment: Deployment) -> dict[str, dict[str, Any]]:
    """The deployed definition's states: the ASL file with the template's substitutions."""
    arn = deployment.state_machines["PipelineStateMachine"]
    definition = _client("stepfunctions").describe_state_machine(stateMachineArn=arn)
    result: dict[str, dict[str, Any]] = json.loads(definition["definition"])["States"]
    return result


def _invoke(functions: LocalFunctions, deployment: Deployment, logical_id: str, event: Any) -> Any:
    invocation = functions.invoke(deployment.functions[logical_id], json.dumps(event).encode())
    assert invocation.function_error is None, invocation.payload.decode()
    return json.loads(invocation.payload)


def _invoke_failing(
    functions: LocalFunctions, deployment: Deployment, logical_id: str, event: Any
) -> dict[str, Any]:
    invocation = functions.invoke(deployment.functions[logical_id], json.dumps(event).encode())
    assert invocation.function_error == "Unhandled"
    error: dict[str, Any] = json.loads(invocation.payload)
    return error


def _path(path: str, data: Any, context: dict[str, Any]) -> Any:
    if path == "$":
        return data
    if path.startswith("States.JsonMerge(") and path.endswith(", false)"):
        first, second = path.removeprefix("States.JsonMerge(").removesuffix(", false)").split(", ")
        return {**_path(first, data, context), **_path(second, data, context)}
    if path.startswith("$$."):
        value, parts = context, path[3:].split(".")
    elif path.startswith("$."):
        value, parts = data, path[2:].split(".")
    else:
        raise ValueError(f"{path!r}: only plain paths are resolved by this test")
    for part in parts:
        value = value[part]
    return value


def _parameters(template: Any, data: Any, context: dict[str, Any] | None = None) -> Any:
    """A state's Parameters applied to the state data, as Step Functions does for plain paths."""
    if isinstance(template, dict):
        return {
            (key[:-2] if key.endswith(".$") else key): (
                _path(value, data, context or {})
                if key.endswith(".$")
                else _parameters(value, data, context)
            )
            for key, value in template.items()
        }
    if isinstance(template, list):
        return [_parameters(item, data, context) for item in template]
    return template


def _register(deployment: Deployment, video: dict[str, Any]) -> None:
    """The video's PROCESSING record, as Register Video leaves it."""
    _client("dynamodb").put_item(
        TableName=deployment.tables["VideosTable"],
        Item={
            "userId": {"S": video["userId"]},
            "videoId": {"S": video["videoId"]},
            "status": {"S": "PROCESSING"},
            "fileName": {"S": video["fileName"]},
        },
    )


def _record(deployment: Deployment, video: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = _client("dynamodb").get_item(
        TableName=deployment.tables["VideosTable"],
        Key={"userId": {"S": video["userId"]}, "videoId": {"S": video["videoId"]}},
    )["Item"]
    return item


def _put_transcript(deployment: Deployment, key: str, document: dict[str, Any] | bytes) -> None:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    _client("s3").put_object(Bucket=deployment.buckets["OutputBucket"], Key=key, Body=body)


def _completed(language_code: str) -> dict[str, Any]:
    """Get Transcription Job's result for a COMPLETED job, as its ResultSelector keeps it."""
    detail = {"TranscriptionJobStatus": "COMPLETED", "LanguageCode": language_code}
    return {"Status": "COMPLETED", "Detail": detail}


def _head_upload(
    states: dict[str, dict[str, Any]], video: dict[str, Any], answer: dict[str, Any]
) -> dict[str, Any]:
    """Read Upload Options' HeadObject call, its request checked against S3's model."""
    s3 = _client("s3", region_name="us-east-1")
    request = _parameters(states["Read Upload Options"]["Parameters"], {"video": video})
    with Stubber(s3) as stub:
        stub.add_response("head_object", copy.deepcopy(answer), expected_params=request)
        response: dict[str, Any] = s3.head_object(**request)
    response.pop("ResponseMetadata", None)
    return response


def _planned(
    functions: LocalFunctions,
    deployment: Deployment,
    states: dict[str, dict[str, Any]],
    event: dict[str, Any],
) -> dict[str, Any]:
    request = _parameters(states["Plan Transcode"]["Parameters"], event)
    plan: dict[str, Any] = _invoke(functions, deployment, "PlanTranscodeFunction", request)
    return plan


# ------------------------------------------------------------------ Parse Upload


def test_parse_upload_sample_event_returns_decoded_key_and_user(
    functions: LocalFunctions, deployment: Deployment
) -> None:
    event = load_event("parse_upload.json")

    video = _invoke(functions, deployment, "ParseUploadFunction", event)

    assert video["key"] == "alice/My Trip to München.audio.mp4"
    assert video["userId"] == "alice"
    assert video["fileName"] == "My Trip to München.audio.mp4"
    assert video["bucket"] == deployment.output("UploadBucketName")
    assert video["sourceUri"] == f"s3://{video['bucket']}/alice/My Trip to München.audio.mp4"
    assert video["versionId"] == event["detail"]["object"]["version-id"]


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"detail": {}},
        {
            "Records": [
                {
                    "eventName": "ObjectCreated:Put",
                    "s3": {"bucket": {"name": "b"}, "object": {"key": "a.mp4"}},
                }
            ]
        },
    ],
    ids=["empty", "no-object", "s3-notification-format"],
)
def test_parse_upload_malformed_event_raises_invalid_upload_event_error(
    functions: LocalFunctions, deployment: Deployment, event: dict[str, Any]
) -> None:
    error = _invoke_failing(functions, deployment, "ParseUploadFunction", event)

    # The errorType is what the state machine's ErrorEquals and the failure email see
    assert error["errorType"] == "InvalidUploadEventError"
    assert "Not an S3 Object Created event" in error["errorMessage"]


# ------------------------------------------------------------------ every handler's event

# Every function the state machine invokes, with the state whose Parameters build its event.
STATE_FUNCTIONS = [
    "PlanTranscodeFunction",
    "ReadTranscriptFunction",
    "BuildSubtitlesFunction",
    "DetectSentimentFunction",
    "DetectKeyPhrasesFunction",
    "DetectEntitiesFunction",
    "StoreAnalysisFunction",
    "SummarizeVideoFunction",
    "DescribeFailureFunction",
]


@pytest.mark.parametrize("logical_id", STATE_FUNCTIONS)
@pytest.mark.parametrize("event", [{}, {"video": "not a video"}], ids=["empty", "wrong-shape"])
def test_handler_malformed_state_input_raises_invalid_event_error(
    functions: LocalFunctions, deployment: Deployment, logical_id: str, event: dict[str, Any]
) -> None:
    # Given an input the state's Parameters would never build / When the function gets it
    error = _invoke_failing(functions, deployment, logical_id, event)

    # Then it fails with the typed error the failure path names, saying what did not fit
    assert error["errorType"] == "InvalidEventError"
    assert "validation error" in error["errorMessage"]


@pytest.mark.parametrize(
    "event",
    [
        {},
        load_event("report_stopped_execution.json")["detail"],
        {**load_event("report_stopped_execution.json"), "detail": {"status": "ABORTED"}},
    ],
    ids=["empty", "detail-without-envelope", "detail-without-execution"],
)
def test_report_stopped_execution_malformed_event_raises_invalid_event_error(
    functions: LocalFunctions, deployment: Deployment, event: dict[str, Any]
) -> None:
    error = _invoke_failing(functions, deployment, "ReportStoppedExecutionFunction", event)

    assert error["errorType"] == "InvalidEventError"
    assert "Not a Step Functions Execution Status Change event" in error["errorMessage"]


# ------------------------------------------------------------------ Plan Transcode


def test_plan_transcode_sample_event_plans_into_the_deployed_output_bucket(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    event = load_event("plan_transcode.json")

    plan = _planned(functions, deployment, states, event)

    bucket = deployment.output("OutputBucketName")
    groups = plan["transcode"]["settings"]["OutputGroups"]
    assert [g["Name"] for g in groups] == ["web", "phone", "audio", "gif", "frames"]
    for group in groups:
        destination = group["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
        assert destination.startswith(f"s3://{bucket}/output/{group['Name']}/alice/")
    assert plan["transcribe"]["mediaUri"] == f"s3://{bucket}/{plan['renditions']['audio']}"
    # Rekognition reads the rendition the transcode writes, in the same deployed bucket
    assert {job["analysedKey"] for job in plan["vision"]["jobs"]} == {plan["renditions"]["web"]}
    # JOB_NAME_PREFIX is the stack name, which the state machine's IAM policy relies on
    stack = deployment.template.pseudo["AWS::StackName"]
    assert plan["transcribe"]["jobName"] == f"{stack}-{event['video']['videoId']}"


def test_plan_transcode_poll_parameters_reach_the_function(aws: None) -> None:
    # Given the stack deployed with the local runtime's short waits
    deployment = deploy(
        Template.load(TEMPLATE, {"MinPollSeconds": "1", "MaxPollSeconds": "2"}), _session()
    )
    functions = LocalFunctions(deployment.functions, {k: os.environ[k] for k in RUNTIME_ENV_KEYS})
    event = load_event("plan_transcode.json")
    event["probe"]["ProbeResults"][0]["Container"]["Duration"] = 40.0

    plan = _invoke(functions, deployment, "PlanTranscodeFunction", event)

    # Then a clip the defaults would check every 5 seconds is checked every 2 seconds
    assert plan["transcode"]["poll"]["waitSeconds"] == 2
    assert plan["transcribe"]["poll"]["waitSeconds"] == 2


def test_plan_transcode_audio_only_upload_raises_not_a_video_error(
    functions: LocalFunctions, deployment: Deployment
) -> None:
    event = load_event("plan_transcode.json")
    container = event["probe"]["ProbeResults"][0]["Container"]
    container["Tracks"] = [t for t in container["Tracks"] if t["TrackType"] == "audio"]

    error = _invoke_failing(functions, deployment, "PlanTranscodeFunction", event)

    assert error["errorType"] == "NotAVideoError"
    assert event["video"]["sourceUri"] in error["errorMessage"]


def test_plan_transcode_media_longer_than_the_template_accepts_raises_media_too_long_error(
    functions: LocalFunctions, deployment: Deployment
) -> None:
    # Given media one second longer than the template's MaxMediaSeconds
    longest = float(deployment.template.parameters["MaxMediaSeconds"])
    event = load_event("plan_transcode.json")
    event["probe"]["ProbeResults"][0]["Container"]["Duration"] = longest + 1

    error = _invoke_failing(functions, deployment, "PlanTranscodeFunction", event)

    # Then Plan Transcode refuses it, saying how long it is and what the limit is
    assert error["errorType"] == "MediaTooLongError"
    assert event["video"]["sourceUri"] in error["errorMessage"]
    assert "MaxMediaSeconds" in error["errorMessage"]


def test_plan_transcode_probe_and_job_accepted_by_mediaconvert_parameter_validation(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    # Stubber checks the stubbed Probe answer against the service's response model, and the
    # client validates the create_job request against the request model before the stub answers
    event = load_event("plan_transcode.json")
    video = event["video"]
    mediaconvert = _client("mediaconvert", region_name="us-east-1")
    probe_request = _parameters(states["Probe Media"]["Parameters"], {"video": video})

    with Stubber(mediaconvert) as stub:
        stub.add_response("probe", copy.deepcopy(event["probe"]), expected_params=probe_request)
        probe = mediaconvert.probe(**probe_request)
        probe.pop("ResponseMetadata", None)

        upload = _head_upload(states, video, event["upload"])
        plan = _planned(
            functions, deployment, states, {"video": video, "upload": upload, "probe": probe}
        )
        job_request = _parameters(
            states["Start Transcode Job"]["Parameters"], {"video": video, "plan": plan}
        )
        assert job_request["Role"] == deployment.output("MediaConvertRoleArn")
        stub.add_response(
            "create_job",
            {
                "Job": {
                    "Id": "1763806530123-abc123",
                    "Role": job_request["Role"],
                    "Settings": {},
                    "Status": "SUBMITTED",
                    "CreatedAt": datetime(2026, 11, 22, 10, 16, tzinfo=UTC),
                }
            },
            expected_params=job_request,
        )
        mediaconvert.create_job(**job_request)
        stub.assert_no_pending_responses()

    # The job the plan built reads the upload, is idempotent per video, and writes each of the
    # four renditions under output/<rendition>/<user>/<videoId>/ in the deployed output bucket
    settings = job_request["Settings"]
    assert settings["Inputs"][0]["FileInput"] == video["sourceUri"]
    assert job_request["ClientRequestToken"] == video["videoId"]
    bucket = deployment.output("OutputBucketName")
    destinations = {
        group["Name"]: group["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
        for group in settings["OutputGroups"]
    }
    assert sorted(destinations) == ["audio", "frames", "gif", "phone", "web"]
    for name, destination in destinations.items():
        assert destination.startswith(
            f"s3://{bucket}/output/{name}/{video['userId']}/{video['videoId']}/"
        )


# ------------------------------------------------------------------ Read Transcript


def test_read_transcript_transcribe_output_gives_item_the_metadata_table_accepts(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    # Given Transcribe wrote its document where the plan told it to
    event = load_event("plan_transcode.json")
    plan = _planned(functions, deployment, states, event)
    document = sample_transcribe_document()
    _put_transcript(deployment, plan["transcribe"]["outputKey"], document)

    # When Read Transcript runs with the state machine's parameters
    request = _parameters(
        states["Read Transcript"]["Parameters"],
        {"video": event["video"], "plan": plan, "transcriptionJob": _completed("en-US")},
    )
    result = _invoke(functions, deployment, "ReadTranscriptFunction", request)

    # Then Store Transcript Metadata's putItem accepts the item into the metadata table
    put = _parameters(states["Store Transcript Metadata"]["Parameters"], {"transcript": result})
    assert put["TableName"] == deployment.tables["MetadataTable"]
    dynamodb = _client("dynamodb")
    dynamodb.put_item(**put)
    stored = dynamodb.get_item(
        TableName=put["TableName"], Key={"JsonFile": {"S": plan["transcribe"]["outputKey"]}}
    )["Item"]
    assert stored["transcript"]["S"] == document["results"]["transcripts"][0]["transcript"]
    assert stored["transcriptTruncated"] == {"BOOL": False}
    assert stored["videoId"]["S"] == event["video"]["videoId"]
    assert stored["wordCount"] == {"N": "11"}
    assert result["summary"]["languageCode"] == "en-US"


def test_read_transcript_job_given_its_language_labels_transcript_and_analysis_with_it(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    # Given a job started with LanguageCode en-GB, whose document, as Transcribe writes it for
    # such a job, names no language
    event = load_event("plan_transcode.json")
    plan = _planned(functions, deployment, states, event)
    document = sample_transcribe_document()
    del document["results"]["language_code"]
    _put_transcript(deployment, plan["transcribe"]["outputKey"], document)
    data = {"video": event["video"], "plan": plan, "transcriptionJob": _completed("en-GB")}

    # When Read Transcript runs with the state machine's parameters
    request = _parameters(states["Read Transcript"]["Parameters"], data)
    data["transcript"] = _invoke(functions, deployment, "ReadTranscriptFunction", request)

    # Then the record says en-GB, and the analysis branches are given it for Comprehend
    assert data["transcript"]["summary"]["languageCode"] == "en-GB"
    assert data["transcript"]["item"]["languageCode"] == {"S": "en-GB"}
    branch_input = _parameters(states["Analyze Transcript"]["Parameters"], data)
    assert branch_input["languageCode"] == "en-GB"


def test_read_transcript_megabyte_transcript_gives_item_far_below_dynamodb_limit(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    # Given a feature film's transcript of about 1 MB
    event = load_event("plan_transcode.json")
    plan = _planned(functions, deployment, states, event)
    document = sample_transcribe_document()
    document["results"]["transcripts"][0]["transcript"] = "and so the story goes on " * 40_000
    _put_transcript(deployment, plan["transcribe"]["outputKey"], document)

    request = _parameters(
        states["Read Transcript"]["Parameters"],
        {"video": event["video"], "plan": plan, "transcriptionJob": _completed("en-US")},
    )
    result = _invoke(functions, deployment, "ReadTranscriptFunction", request)

    # Then the item is a preview plus a pointer, and DynamoDB takes it
    put = _parameters(states["Store Transcript Metadata"]["Parameters"], {"transcript": result})
    assert len(json.dumps(put["Item"])) < DYNAMODB_ITEM_LIMIT // 10
    assert put["Item"]["transcriptTruncated"] == {"BOOL": True}
    _client("dynamodb").put_item(**put)


def test_read_transcript_missing_object_raises_transcript_read_error(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    event = load_event("plan_transcode.json")
    plan = _planned(functions, deployment, states, event)
    request = _parameters(
        states["Read Transcript"]["Parameters"],
        {"video": event["video"], "plan": plan, "transcriptionJob": _completed("en-US")},
    )

    error = _invoke_failing(functions, deployment, "ReadTranscriptFunction", request)

    assert error["errorType"] == "TranscriptReadError"
    assert plan["transcribe"]["outputKey"] in error["errorMessage"]


def test_read_transcript_unreadable_object_raises_transcript_read_error(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    event = load_event("plan_transcode.json")
    plan = _planned(functions, deployment, states, event)
    _put_transcript(deployment, plan["transcribe"]["outputKey"], b"<html>Access Denied</html>")
    request = _parameters(
        states["Read Transcript"]["Parameters"],
        {"video": event["video"], "plan": plan, "transcriptionJob": _completed("en-US")},
    )

    error = _invoke_failing(functions, deployment, "ReadTranscriptFunction", request)

    assert error["errorType"] == "TranscriptReadError"


# ------------------------------------------------------------------ Summarize Video


def _vision_summarized(
    functions: LocalFunctions,
    deployment: Deployment,
    states: dict[str, dict[str, Any]],
    data: dict[str, Any],
) -> dict[str, Any]:
    """Summarize Vision with every planned job as Analyze Video leaves one that Rekognition
    refused (no Rekognition in this tier), on the state machine's own Parameters."""
    data["visionResults"] = [
        {
            "kind": job["kind"],
            "available": False,
            "error": "VisionJobNotStartedError",
            "reason": "Rekognition is not reached from this tier.",
        }
        for job in data["plan"]["vision"]["jobs"]
    ]
    summary: dict[str, Any] = _invoke(
        functions,
        deployment,
        "SummarizeVisionFunction",
        _parameters(states["Summarize Vision"]["Parameters"], data),
    )
    return summary


def test_summarize_video_values_accepted_by_mark_video_completed(
    functions: LocalFunctions,
    deployment: Deployment,
    states: dict[str, dict[str, Any]],
    tmp_path: Path,
) -> None:
    # Given an upload parsed, planned and transcribed by the real functions
    video = _invoke(functions, deployment, "ParseUploadFunction", load_event("parse_upload.json"))
    event = load_event("plan_transcode.json")
    plan = _planned(
        functions,
        deployment,
        states,
        {"video": video, "upload": event["upload"], "probe": event["probe"]},
    )
    _put_transcript(deployment, plan["transcribe"]["outputKey"], sample_transcribe_document())
    data: dict[str, Any] = {"video": video, "plan": plan, "transcriptionJob": _completed("en-US")}
    data["transcript"] = _invoke(
        functions,
        deployment,
        "ReadTranscriptFunction",
        _parameters(states["Read Transcript"]["Parameters"], data),
    )
    _register(deployment, video)
    # The analysis stage ran with its subtitles branch only (no Comprehend in this tier)
    branch_input = _parameters(states["Analyze Transcript"]["Parameters"], data)
    subtitles = _invoke(functions, deployment, "BuildSubtitlesFunction", branch_input)
    data["analysisParts"] = [subtitles]
    data["transcript"]["analysis"] = _invoke(
        functions,
        deployment,
        "StoreAnalysisFunction",
        _parameters(states["Store Analysis"]["Parameters"], data),
    )

    data["vision"] = _vision_summarized(functions, deployment, states, data)

    # When Summarize Video runs
    data["summary"] = _invoke(
        functions,
        deployment,
        "SummarizeVideoFunction",
        _parameters(states["Summarize Video"]["Parameters"], data),
    )

    # And Index Media indexes what it stored
    with data_api(deployment, tmp_path):
        data["index"] = _invoke(
            functions,
            deployment,
            "IndexMediaFunction",
            _parameters(states["Index Media"]["Parameters"], data),
        )
    assert data["index"]["searchable"] is True
    assert data["index"]["moments"] > 0

    # Then Mark Video Completed's updateItem, exactly as the ASL writes it, succeeds
    update = _parameters(states["Mark Video Completed"]["Parameters"], data)
    _client("dynamodb").update_item(**update)
    record = _record(deployment, video)
    assert record["status"] == {"S": "COMPLETED"}
    assert record["searchable"] == {"BOOL": True}

    # And a rebuild from the videos table indexes the completed record's same moments again
    with data_api(deployment, tmp_path):
        rebuilt = _invoke(functions, deployment, "IndexMediaFunction", {"action": "rebuild"})
    assert rebuilt == {"uploads": 1, "moments": data["index"]["moments"], "nextKey": None}
    assert {k: v["S"] for k, v in record["renditions"]["M"].items()} == plan["renditions"]
    assert record["noAudio"] == {"BOOL": False}
    assert record["wordCount"] == {"N": "11"}
    assert record["transcriptKey"]["S"].endswith("/My-Trip-to-Munchen.audio.json")
    assert record["overallSentiment"] == {"S": "UNAVAILABLE"}
    assert record["subtitles"]["M"]["vtt"]["S"].endswith("/My-Trip-to-Munchen.audio.vtt")
    assert record["shotCount"] == {"N": "0"}
    assert record["needsReview"] == {"BOOL": False}
    assert record["visionKey"]["S"].endswith("/My-Trip-to-Munchen.audio.json")

    # And the message names every rendition and quotes the transcript
    message = data["summary"]["message"]
    for key in plan["renditions"].values():
        assert f"s3://{deployment.output('OutputBucketName')}/{key}" in message
    assert "Hello, and welcome to Munich." in message

    # And Notify Success's publish is accepted
    publish = _parameters(states["Notify Success"]["Parameters"], data)
    assert publish["TopicArn"] == deployment.output("SuccessTopicArn")
    assert _client("sns").publish(**publish)["MessageId"]


def test_summarize_video_silent_film_values_accepted_by_mark_video_completed(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    event = load_event("plan_transcode.json")
    container = event["probe"]["ProbeResults"][0]["Container"]
    container["Tracks"] = [t for t in container["Tracks"] if t["TrackType"] == "video"]
    video = event["video"]
    plan = _planned(functions, deployment, states, event)
    _register(deployment, video)
    data: dict[str, Any] = {"video": video, "plan": plan}
    # "Is There Audio to Transcribe?" takes its IsNull branch; run the Pass states on that way
    choice = states["Is There Audio to Transcribe?"]
    name = next(c["Next"] for c in choice["Choices"] if c.get("IsNull") is True)
    while name != "Analyze Video":
        skip = states[name]
        assert skip["Type"] == "Pass", f"{name} is not a Pass state"
        data[skip["ResultPath"].removeprefix("$.")] = skip["Result"]
        name = skip["Next"]
    data["vision"] = _vision_summarized(functions, deployment, states, data)

    data["summary"] = _invoke(
        functions,
        deployment,
        "SummarizeVideoFunction",
        _parameters(states["Summarize Video"]["Parameters"], data),
    )

    # Index Media's catch: the record still completes, not searchable
    data["index"] = _parameters(
        states["Index Unavailable"]["Parameters"],
        {**data, "index": {"Error": "DatabaseResumingError", "Cause": "still resuming"}},
    )

    _client("dynamodb").update_item(
        **_parameters(states["Mark Video Completed"]["Parameters"], data)
    )
    record = _record(deployment, video)
    assert record["status"] == {"S": "COMPLETED"}
    assert record["searchable"] == {"BOOL": False}
    assert record["noAudio"] == {"BOOL": True}
    assert "audio" not in record["renditions"]["M"]
    assert "no audio track" in data["summary"]["message"]


# ------------------------------------------------------------------ Describe Failure


def test_describe_failure_explicit_state_and_real_execution_gives_report(
    functions: LocalFunctions, deployment: Deployment, states: dict[str, dict[str, Any]]
) -> None:
    # Given a pipeline execution in moto, whose transcode job failed
    sample = load_event("describe_failure.json")
    video = sample["state"]["video"]
    execution = _client("stepfunctions").start_execution(
        stateMachineArn=deployment.state_machines["PipelineStateMachine"],
        name=video["videoId"],
        input=json.dumps(load_event("parse_upload.json")),
    )["executionArn"]
    _register(deployment, video)
    data = sample["state"]

    # When Describe Failure runs with the state machine's parameters
    request = _parameters(
        states["Describe Failure"]["Parameters"], data, {"Execution": {"Id": execution}}
    )
    data["failure"] = _invoke(functions, deployment, "DescribeFailureFunction", request)

    # Then the report names the state, the error and the reason, and links the execution
    report = data["failure"]
    assert report["state"] == "Get Transcode Job"
    assert report["error"] == "TranscodeJobError"
    assert report["reason"].startswith("MediaConvert job 1763806530123-abc123 failed")
    assert execution in report["message"]
    assert report["subject"] == "reelscribe: portrait clip.mp4 failed in Get Transcode Job"

    # And Mark Video Failed and Notify Failure accept what it returned
    assert states["Was the Video Registered?"]["Choices"][0]["Next"] == "Mark Video Failed"
    _client("dynamodb").update_item(**_parameters(states["Mark Video Failed"]["Parameters"], data))
    record = _record(deployment, video)
    assert record["status"] == {"S": "FAILED"}
    assert record["failure"]["M"]["state"] == {"S": "Get Transcode Job"}
    assert record["failure"]["M"]["execution"] == {"S": execution}
    publish = _parameters(states["Notify Failure"]["Parameters"], data)
    assert _client("sns").publish(**publish)["MessageId"]


@pytest.fixture
def executing_sfn(aws: None) -> Iterator[None]:
    """moto running state machines for real, with the local runtime's compatibility layer
    (get_execution_history honouring reverseOrder, as Step Functions does). The layer is
    process-wide, and undone after the test."""
    from reelscribe.runtime import moto_patches

    moto_patches.install()
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield
    finally:
        moto_patches.uninstall()


def test_describe_failure_real_history_names_the_failed_state(executing_sfn: None) -> None:
    # Given the pipeline's own Store Transcript Metadata state, run by moto's interpreter on
    # an item without its key, caught into Describe Failure
    deployment = deploy(copy.deepcopy(_LOADED), _session())
    functions = LocalFunctions(deployment.functions, {k: os.environ[k] for k in RUNTIME_ENV_KEYS})
    sfn = _client("stepfunctions")
    pipeline = json.loads(
        sfn.describe_state_machine(
            stateMachineArn=deployment.state_machines["PipelineStateMachine"]
        )["definition"]
    )
    failing = {
        k: v for k, v in pipeline["States"]["Store Transcript Metadata"].items() if k != "Next"
    }
    definition = {
        "StartAt": "Store Transcript Metadata",
        "States": {
            "Store Transcript Metadata": {**failing, "End": True},
            "Describe Failure": {"Type": "Pass", "End": True},
        },
    }
    machine = sfn.create_state_machine(
        name="store-metadata",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/reelscribe-test",
    )["stateMachineArn"]
    video = load_event("describe_failure.json")["state"]["video"]
    execution = sfn.start_execution(
        stateMachineArn=machine,
        name="store-1",
        input=json.dumps({"video": video, "transcript": {"item": {"videoId": {"S": "x"}}}}),
    )["executionArn"]
    state = _finished_output(sfn, execution)
    assert "State" not in state["error"]

    # When Describe Failure reads the execution's history
    report = _invoke(
        functions,
        deployment,
        "DescribeFailureFunction",
        {"state": state, "executionArn": execution},
    )

    # Then it names the state that failed, and the reason without the SDK's request details
    assert report["state"] == "Store Transcript Metadata"
    assert report["error"] == state["error"]["Error"]
    assert report["error"].startswith("DynamoDB.")
    assert "(Service:" not in report["reason"]
    assert "Request ID" not in report["reason"]
    assert report["reason"]


def _finished_output(sfn: Any, execution: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            assert described["status"] == "SUCCEEDED", described
            output: dict[str, Any] = json.loads(described["output"])
            return output
        time.sleep(0.02)
    raise AssertionError(f"{execution} did not finish")


def _stopped_in_a_wait(deployment: Deployment, video: dict[str, Any]) -> str:
    """An execution that decoded its video, then was stopped while it waited."""
    sfn = _client("stepfunctions")
    definition = {
        "StartAt": "Parse Upload",
        "States": {
            "Parse Upload": {
                "Type": "Pass",
                "Result": video,
                "ResultPath": "$.video",
                "Next": "Wait",
            },
            "Wait": {"Type": "Wait", "Seconds": 30, "End": True},
        },
    }
    machine = sfn.create_state_machine(
        name="stopped",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/reelscribe-test",
    )["stateMachineArn"]
    execution: str = sfn.start_execution(stateMachineArn=machine, name="stopped-1", input="{}")[
        "executionArn"
    ]
    deadline = time.monotonic() + 10
    while not any(
        e["type"] == "WaitStateEntered"
        for e in sfn.get_execution_history(executionArn=execution)["events"]
    ):
        assert time.monotonic() < deadline, "the execution never reached its Wait"
        time.sleep(0.02)
    event = load_event("report_stopped_execution.json")
    sfn.stop_execution(
        executionArn=execution, error=event["detail"]["error"], cause=event["detail"]["cause"]
    )
    return execution


def _stopped_event(execution: str) -> dict[str, Any]:
    event = load_event("report_stopped_execution.json")
    event["resources"] = [execution]
    event["detail"]["executionArn"] = execution
    return event


@pytest.fixture
def stopped(executing_sfn: None) -> tuple[Deployment, LocalFunctions, dict[str, Any], str]:
    """A video registered as PROCESSING, and an execution stopped while it waited."""
    deployment = deploy(copy.deepcopy(_LOADED), _session())
    functions = LocalFunctions(deployment.functions, {k: os.environ[k] for k in RUNTIME_ENV_KEYS})
    video = load_event("describe_failure.json")["state"]["video"]
    execution = _stopped_in_a_wait(deployment, video)
    _register(deployment, video)
    return deployment, functions, video, execution


def test_report_stopped_execution_marks_its_video_failed_and_reports_the_state(
    stopped: tuple[Deployment, LocalFunctions, dict[str, Any], str],
) -> None:
    # Given a registered video whose execution, the one that registered it, was stopped
    deployment, functions, video, execution = stopped
    _client("dynamodb").update_item(
        TableName=deployment.tables["VideosTable"],
        Key={"userId": {"S": video["userId"]}, "videoId": {"S": video["videoId"]}},
        UpdateExpression="SET execution = :e",
        ExpressionAttributeValues={":e": {"S": execution}},
    )

    # When Step Functions' status change event reaches the function
    result = _invoke(
        functions, deployment, "ReportStoppedExecutionFunction", _stopped_event(execution)
    )

    # Then the record is FAILED, naming the state it was stopped in and why
    failure = _record(deployment, video)["failure"]["M"]
    assert result == {"reported": True, "state": "Wait", "error": "OperatorStopped"}
    assert _record(deployment, video)["status"] == {"S": "FAILED"}
    assert failure["state"] == {"S": "Wait"}
    assert failure["reason"] == {"S": "Stopped from the console: the wrong file was uploaded."}
    assert failure["execution"] == {"S": execution}

    # And the same event delivered again reports nothing twice
    again = _invoke(
        functions, deployment, "ReportStoppedExecutionFunction", _stopped_event(execution)
    )
    assert again == {"reported": False}


def test_report_stopped_execution_of_a_video_another_execution_owns_changes_nothing(
    stopped: tuple[Deployment, LocalFunctions, dict[str, Any], str],
) -> None:
    # Given a video registered by another execution (this one was a duplicate delivery)
    deployment, functions, video, execution = stopped

    # When this execution's stop is reported
    result = _invoke(
        functions, deployment, "ReportStoppedExecutionFunction", _stopped_event(execution)
    )

    # Then the other execution's record stays as it was, and no email goes out
    assert result == {"reported": False}
    assert _record(deployment, video)["status"] == {"S": "PROCESSING"}


# ------------------------------------------------------------------ Search


def _search_event(parameters: dict[str, str]) -> dict[str, Any]:
    event = load_event("search.json")
    event["queryStringParameters"] = parameters
    return event


def test_search_function_http_request_answers_hits_or_a_clear_400(
    functions: LocalFunctions, deployment: Deployment, tmp_path: Path
) -> None:
    # Given a library holding one upload that says "ferries" 3.2 s in
    with data_api(deployment, tmp_path):
        cluster_arn, secret_arn = deployment.clusters["LibraryCluster"]
        library = Library(boto3.client("rds-data"), Cluster(cluster_arn, secret_arn))
        record = UploadRecord(videoId="v1", userId="alice", fileName="Ferry.mp4")
        said = "The ferries leave at midnight."
        index_upload(library, record, [Moment(kind="transcript", text=said, start=3.2, end=5.0)])
        # When GET /search is asked well, then with a limit that is no number
        found = _invoke(functions, deployment, "SearchFunction", _search_event({"q": "ferries"}))
        bad = _invoke(
            functions, deployment, "SearchFunction", _search_event({"q": "ferries", "limit": "x"})
        )
    # Then the first answers 200 with the upload and the moment, the second 400 saying why
    assert found["statusCode"] == 200
    body = json.loads(found["body"])
    assert body["total"] == 1
    (hit,) = body["hits"]
    assert (hit["videoId"], hit["name"], hit["user"]) == ("v1", "Ferry.mp4", "alice")
    assert [(m["kind"], m["start"]) for m in hit["moments"]] == [("transcript", 3.2)]
    assert bad["statusCode"] == 400
    assert json.loads(bad["body"]) == {"message": "limit: 'x' is not a whole number"}
