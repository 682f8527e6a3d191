"""Least privilege: every IAM statement in template.yaml, and what the pipeline really calls.

The first tests read the template as written. The last ones deploy it to moto, so every Sub,
Ref and GetAtt is resolved, and check the grants against the ARNs and keys the pipeline uses.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws  # noqa: F401 - imported first, so sessions made here are mocked
from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor

from reelscribe.runtime.deployment import Deployment, deploy
from reelscribe.template import Template, load_yaml
from tests.support.events import load_event
from video_pipeline.config import PipelineConfig
from video_pipeline.plan import Plan, plan_pipeline
from video_pipeline.renditions import load_renditions
from video_pipeline.upload import Video

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
BODY = load_yaml(TEMPLATE)

# Rekognition Video's analyses, each with a Start* and a Get* operation.
VIDEO_ANALYSES = (
    "SegmentDetection",
    "TextDetection",
    "FaceDetection",
    "ContentModeration",
    "LabelDetection",
    "CelebrityRecognition",
)
# API operations that IAM authorizes under another action's name.
ACTION_FOR_OPERATION = {"s3:HeadObject": "s3:GetObject"}
# Actions that can only be granted on Resource "*", and why.
RESOURCE_STAR_ALLOWED = {
    "mediaconvert:Probe": "Probe has no resource-level permissions; the object read is scoped.",
    **dict.fromkeys(
        [
            "comprehend:BatchDetectSentiment",
            "comprehend:BatchDetectKeyPhrases",
            "comprehend:BatchDetectEntities",
        ],
        "Comprehend's real-time detection APIs have no resource-level permissions.",
    ),
    **dict.fromkeys(
        [
            f"rekognition:{verb}{operation}"
            for verb in ("Start", "Get")
            for operation in VIDEO_ANALYSES
        ]
        + ["rekognition:GetFaceSearch"],
        "Rekognition's video analysis operations have no resource-level permissions.",
    ),
    **dict.fromkeys(
        [
            "rekognition:DetectText",
            "rekognition:DetectFaces",
            "rekognition:DetectModerationLabels",
            "rekognition:DetectLabels",
            "rekognition:RecognizeCelebrities",
        ],
        "Rekognition's image APIs have no resource-level permissions; the S3 read is scoped.",
    ),
    **dict.fromkeys(
        [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        "CloudWatch Logs vended-log delivery APIs (state machine logging) take no resource.",
    ),
}
# SAM's policy templates as the translator that expands them on deploy defines them.
SAM_POLICY_TEMPLATES: dict[str, Any] = PolicyTemplatesProcessor.get_default_policy_templates_json()[
    "Templates"
]


@dataclass(frozen=True)
class Found:
    holder: str  # the resource the policy is attached to
    statement: dict[str, Any]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _function_policies(body: dict[str, Any], props: dict[str, Any]) -> list[Any]:
    global_policies = ((body.get("Globals") or {}).get("Function") or {}).get("Policies") or []
    return [*_as_list(global_policies), *_as_list(props.get("Policies") or [])]


def _policy_items(body: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(holder, item) for every policy attached in the template, before resolution."""
    for logical_id, spec in (body.get("Resources") or {}).items():
        kind, props = spec.get("Type"), spec.get("Properties") or {}
        if kind == "AWS::Serverless::Function":
            for item in _function_policies(body, props):
                yield logical_id, item
        elif kind == "AWS::Serverless::StateMachine":
            for item in _as_list(props.get("Policies") or []):
                yield logical_id, item
        elif kind == "AWS::IAM::Role":
            for policy in props.get("Policies") or []:
                yield logical_id, policy["PolicyDocument"]
            for arn in props.get("ManagedPolicyArns") or []:
                yield logical_id, arn
        elif kind in (
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::S3::BucketPolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::SQS::QueuePolicy",
        ):
            yield logical_id, props["PolicyDocument"]


def statements(body: dict[str, Any]) -> list[Found]:
    return [
        Found(holder, s)
        for holder, item in _policy_items(body)
        if isinstance(item, dict) and "Statement" in item
        for s in _as_list(item["Statement"])
    ]


def sam_templates(body: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (holder, name, params or {})
        for holder, item in _policy_items(body)
        if isinstance(item, dict) and "Statement" not in item
        for name, params in item.items()
    ]


def _allows(found: Found) -> bool:
    return found.statement.get("Effect") == "Allow"


def _actions(statement: dict[str, Any]) -> list[str]:
    return [str(a) for a in _as_list(statement.get("Action") or [])]


# ------------------------------------------------------------------ the template as written


def test_iam_template_every_policy_holder_contributes_statements() -> None:
    # Guard: the checks below are only as good as this collection
    holders = {f.holder for f in statements(BODY)} | {h for h, _, _ in sam_templates(BODY)}
    with_policies = {
        logical_id
        for logical_id, spec in BODY["Resources"].items()
        if (spec.get("Properties") or {}).get("Policies")
        or (spec.get("Properties") or {}).get("PolicyDocument")
    }

    assert with_policies
    assert holders == with_policies


def test_iam_allow_statements_no_wildcard_actions() -> None:
    offenders = [
        (f.holder, f.statement.get("Sid"), action)
        for f in statements(BODY)
        if _allows(f)
        for action in _actions(f.statement)
        if "*" in action
    ]
    assert offenders == []


def test_iam_allow_statements_no_not_action_or_not_resource() -> None:
    offenders = [
        (f.holder, f.statement.get("Sid"))
        for f in statements(BODY)
        if _allows(f) and ({"NotAction", "NotResource"} & set(f.statement))
    ]
    assert offenders == []


def test_iam_allow_statements_resource_star_only_for_unscopable_actions() -> None:
    offenders = [
        (f.holder, f.statement.get("Sid"), action)
        for f in statements(BODY)
        if _allows(f) and "*" in _as_list(f.statement.get("Resource"))
        for action in _actions(f.statement)
        if action not in RESOURCE_STAR_ALLOWED
    ]
    assert offenders == []


def test_iam_identity_allow_statements_name_a_resource() -> None:
    # A resource policy (bucket policy) names its principal instead
    offenders = [
        (f.holder, f.statement.get("Sid"))
        for f in statements(BODY)
        if _allows(f) and "Principal" not in f.statement and not f.statement.get("Resource")
    ]
    assert offenders == []


def test_iam_resource_policies_allow_only_aws_service_principals() -> None:
    offenders = [
        (f.holder, f.statement.get("Sid"), f.statement["Principal"])
        for f in statements(BODY)
        if _allows(f)
        and "Principal" in f.statement
        and (
            f.statement["Principal"] == "*"
            or not str((f.statement["Principal"] or {}).get("Service", "")).endswith(
                ".amazonaws.com"
            )
        )
    ]
    assert offenders == []


def test_iam_sam_policy_templates_scoped_to_one_named_resource() -> None:
    found = sam_templates(BODY)

    assert found
    for holder, name, params in found:
        assert name in SAM_POLICY_TEMPLATES, f"{holder}: {name} is not a SAM policy template"
        parameters = SAM_POLICY_TEMPLATES[name].get("Parameters") or {}
        # A template without parameters names no resource, so it cannot be scoped to one
        assert parameters, f"{holder}: {name} takes no resource"
        for parameter in parameters:
            assert params.get(parameter) not in (None, "", "*"), f"{holder}: {name} is not scoped"


def test_iam_no_managed_policies_attached() -> None:
    # A managed policy's statements are not in the template, so they cannot be checked here
    managed = [(holder, item) for holder, item in _policy_items(BODY) if isinstance(item, str)]
    assert managed == []


def test_iam_every_bucket_denies_insecure_transport() -> None:
    buckets = {k for k, v in BODY["Resources"].items() if v["Type"] == "AWS::S3::Bucket"}
    protected = {
        spec["Properties"]["Bucket"]["Ref"]
        for spec in BODY["Resources"].values()
        if spec["Type"] == "AWS::S3::BucketPolicy"
        for s in spec["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny"
        and s["Action"] == "s3:*"
        and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
    }

    assert buckets
    assert protected == buckets


# ------------------------------------------------------------------ the grants, resolved


@cache
def _session() -> boto3.Session:
    return boto3.Session(region_name="us-east-1")


_LOADED = Template.load(TEMPLATE)


@pytest.fixture
def deployment(aws: None) -> Deployment:
    return deploy(copy.deepcopy(_LOADED), _session())


def _resolved(deployment: Deployment, holder: str) -> list[dict[str, Any]]:
    """The holder's Allow statements after deployment, SAM policy templates expanded."""
    template = deployment.template
    granted = [
        template.resolve(f.statement)
        for f in statements(template.body)
        if f.holder == holder and _allows(f)
    ]
    for owner, name, params in sam_templates(template.body):
        if owner == holder:
            definition = _with_parameters(SAM_POLICY_TEMPLATES[name]["Definition"], params)
            granted += [template.resolve(s) for s in _as_list(definition["Statement"])]
    return granted


def _with_parameters(definition: Any, params: dict[str, Any]) -> Any:
    """A policy template's definition with each `{"Ref": <parameter>}` replaced by the value
    the template gives that parameter, as SAM does before CloudFormation resolves the rest."""
    if isinstance(definition, dict):
        if set(definition) == {"Ref"} and definition["Ref"] in params:
            return params[definition["Ref"]]
        return {k: _with_parameters(v, params) for k, v in definition.items()}
    if isinstance(definition, list):
        return [_with_parameters(item, params) for item in definition]
    return definition


def allowed(granted: list[dict[str, Any]], action: str, resource: str) -> bool:
    return any(
        any(fnmatchcase(action.lower(), a.lower()) for a in _actions(s))
        and any(fnmatchcase(resource, str(r)) for r in _as_list(s.get("Resource")))
        for s in granted
    )


def _plan(deployment: Deployment) -> tuple[Video, Plan]:
    event = load_event("plan_transcode.json")
    video = Video.model_validate(event["video"])
    video = video.model_copy(
        update={
            "bucket": deployment.buckets["UploadBucket"],
            "sourceUri": f"s3://{deployment.buckets['UploadBucket']}/{video.key}",
        }
    )
    function_env = deployment.functions["PlanTranscodeFunction"].environment
    return video, plan_pipeline(video, event["probe"], PipelineConfig.model_validate(function_env))


def _object_arn(uri: str) -> str:
    return "arn:aws:s3:::" + uri.removeprefix("s3://")


def _every_state(states: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The definition's states, with those inside Parallel branches and Map iterations."""
    for state in states.values():
        yield state
        inner = [*state.get("Branches", []), state.get("ItemProcessor") or state.get("Iterator")]
        for machine in inner:
            if machine:
                yield from _every_state(machine["States"])


def test_iam_state_machine_may_call_every_service_its_definition_calls(
    deployment: Deployment,
) -> None:
    arn = deployment.state_machines["PipelineStateMachine"]
    states = json.loads(
        _session().client("stepfunctions").describe_state_machine(stateMachineArn=arn)["definition"]
    )["States"]
    granted = _resolved(deployment, "PipelineStateMachine")
    region, account = (deployment.template.pseudo[k] for k in ("AWS::Region", "AWS::AccountId"))
    calls: list[tuple[str, str]] = []
    for state in _every_state(states):
        resource = state.get("Resource", "")
        params = state.get("Parameters") or {}
        if resource.startswith("arn:aws:lambda:"):
            calls.append(("lambda:InvokeFunction", resource))
            continue
        if not resource.startswith("arn:aws:states:::"):
            continue
        service, _, operation = (
            resource.removeprefix("arn:aws:states:::").removeprefix("aws-sdk:").partition(":")
        )
        action = f"{service}:{operation[0].upper()}{operation[1:]}"
        action = ACTION_FOR_OPERATION.get(action, action)
        if service == "dynamodb":
            target = f"arn:aws:dynamodb:{region}:{account}:table/{params['TableName']}"
        elif service == "sns":
            target = params["TopicArn"]
        else:
            target = "*"  # checked against the real ARNs in the tests below
        calls.append((action, target))

    assert calls
    missing = [
        (action, target)
        for action, target in calls
        if not (
            allowed(granted, action, target)
            or (
                target == "*"
                and any(action.lower() == a.lower() for s in granted for a in _actions(s))
            )
        )
    ]
    assert missing == []


def test_iam_mediaconvert_role_may_read_the_upload_and_write_every_rendition(
    deployment: Deployment,
) -> None:
    video, plan = _plan(deployment)
    granted = _resolved(deployment, "MediaConvertRole")

    assert allowed(granted, "s3:GetObject", _object_arn(video.sourceUri))
    for group in plan.transcode["settings"]["OutputGroups"]:
        destination = group["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
        extension = group["Outputs"][0]["Extension"]
        assert allowed(granted, "s3:PutObject", _object_arn(f"{destination}.{extension}")), group[
            "Name"
        ]


def test_iam_mediaconvert_role_covers_every_rendition_folder_in_the_data(
    deployment: Deployment,
) -> None:
    # Renditions are data: adding one to renditions.json must not leave MediaConvert unable
    # to write it
    granted = _resolved(deployment, "MediaConvertRole")
    bucket = deployment.buckets["OutputBucket"]

    for rendition in load_renditions():
        key = f"output/{rendition.name}/alice/0123456789abcdef/clip.{rendition.extension}"
        assert allowed(granted, "s3:PutObject", f"arn:aws:s3:::{bucket}/{key}"), rendition.name


def test_iam_state_machine_may_probe_pass_the_role_and_run_the_transcription(
    deployment: Deployment,
) -> None:
    video, plan = _plan(deployment)
    assert plan.transcribe is not None
    granted = _resolved(deployment, "PipelineStateMachine")
    region, account = (deployment.template.pseudo[k] for k in ("AWS::Region", "AWS::AccountId"))
    job_arn = f"arn:aws:transcribe:{region}:{account}:transcription-job/{plan.transcribe.jobName}"
    output_bucket = deployment.buckets["OutputBucket"]

    assert allowed(granted, "mediaconvert:Probe", "*")
    assert allowed(granted, "s3:GetObject", _object_arn(video.sourceUri))  # Probe reads it
    assert allowed(granted, "iam:PassRole", deployment.output("MediaConvertRoleArn"))
    assert allowed(
        granted, "mediaconvert:CreateJob", f"arn:aws:mediaconvert:{region}:{account}:queues/Default"
    )
    assert allowed(
        granted,
        "mediaconvert:GetJob",
        f"arn:aws:mediaconvert:{region}:{account}:jobs/1763806530123-abc123",
    )
    assert allowed(granted, "transcribe:StartTranscriptionJob", job_arn)
    assert allowed(granted, "transcribe:GetTranscriptionJob", job_arn)
    assert allowed(granted, "s3:GetObject", _object_arn(plan.transcribe.mediaUri))
    assert allowed(
        granted, "s3:PutObject", f"arn:aws:s3:::{output_bucket}/{plan.transcribe.outputKey}"
    )


def test_iam_state_machine_may_not_overwrite_uploads_or_renditions(
    deployment: Deployment,
) -> None:
    video, plan = _plan(deployment)
    granted = _resolved(deployment, "PipelineStateMachine")
    output_bucket = deployment.buckets["OutputBucket"]

    assert not allowed(granted, "s3:PutObject", _object_arn(video.sourceUri))
    assert not allowed(
        granted, "s3:PutObject", f"arn:aws:s3:::{output_bucket}/{plan.renditions['web']}"
    )
    assert not allowed(granted, "s3:DeleteObject", _object_arn(video.sourceUri))


def test_iam_read_transcript_may_read_only_transcripts(deployment: Deployment) -> None:
    video, plan = _plan(deployment)
    assert plan.transcribe is not None
    granted = _resolved(deployment, "ReadTranscriptFunction")
    output_bucket = deployment.buckets["OutputBucket"]

    assert allowed(
        granted, "s3:GetObject", f"arn:aws:s3:::{output_bucket}/{plan.transcribe.outputKey}"
    )
    assert not allowed(granted, "s3:GetObject", _object_arn(video.sourceUri))


def _pipeline_execution(deployment: Deployment) -> str:
    """The ARN of a real execution of the deployed pipeline, as a function reads its history."""
    sfn = _session().client("stepfunctions")
    arn: str = sfn.start_execution(
        stateMachineArn=deployment.state_machines["PipelineStateMachine"], name="run", input="{}"
    )["executionArn"]
    return arn


def test_iam_describe_failure_may_read_the_pipeline_execution_history(
    deployment: Deployment,
) -> None:
    execution = _pipeline_execution(deployment)
    granted = _resolved(deployment, "DescribeFailureFunction")

    assert allowed(granted, "states:GetExecutionHistory", execution)
    other = execution.replace(":reelscribe-pipeline:", ":someone-elses-machine:")
    assert not allowed(granted, "states:GetExecutionHistory", other)


def test_iam_report_stopped_execution_may_report_only_the_pipelines_videos(
    deployment: Deployment,
) -> None:
    # What it calls: the stopped execution's history, the video record, the failure topic
    execution = _pipeline_execution(deployment)
    table = (
        _session()
        .client("dynamodb")
        .describe_table(TableName=deployment.tables["VideosTable"])["Table"]["TableArn"]
    )
    granted = _resolved(deployment, "ReportStoppedExecutionFunction")

    assert allowed(granted, "states:GetExecutionHistory", execution)
    assert allowed(granted, "dynamodb:UpdateItem", table)
    assert allowed(granted, "sns:Publish", deployment.topics["FailureTopic"])
    assert not allowed(granted, "sns:Publish", deployment.topics["SuccessTopic"])
    assert not allowed(granted, "dynamodb:PutItem", table)
    assert not allowed(granted, "dynamodb:DeleteItem", table)


def test_iam_functions_without_aws_calls_get_no_statements(deployment: Deployment) -> None:
    # A function whose code makes no AWS call (it only computes) needs no grant at all
    computing = [
        spec
        for spec in deployment.functions.values()
        if "boto3" not in (spec.code_dir / "app.py").read_text(encoding="utf-8")
    ]

    assert computing
    for spec in computing:
        assert _resolved(deployment, spec.logical_id) == [], spec.logical_id


def _vision_keys(deployment: Deployment) -> tuple[Plan, str]:
    _, plan = _plan(deployment)
    assert plan.vision.jobs
    return plan, deployment.buckets["OutputBucket"]


def test_iam_start_vision_job_may_start_every_kind_on_the_web_rendition_only(
    deployment: Deployment,
) -> None:
    # Rekognition Video reads the video with the permissions of the identity that calls Start*
    video, _ = _plan(deployment)
    plan, bucket = _vision_keys(deployment)
    granted = _resolved(deployment, "StartVisionJobFunction")

    for operation in VIDEO_ANALYSES:
        assert allowed(granted, f"rekognition:Start{operation}", "*"), operation
        assert not allowed(granted, f"rekognition:Get{operation}", "*"), operation
    assert plan.vision.analysedKey == plan.renditions["web"]
    assert allowed(granted, "s3:GetObject", f"arn:aws:s3:::{bucket}/{plan.vision.analysedKey}")
    assert not allowed(granted, "s3:GetObject", _object_arn(video.sourceUri))
    assert not allowed(granted, "s3:GetObject", f"arn:aws:s3:::{bucket}/{plan.renditions['phone']}")
    assert not any(a.startswith("s3:Put") for s in granted for a in _actions(s))


def test_iam_get_vision_job_may_write_only_the_vision_folder(deployment: Deployment) -> None:
    plan, bucket = _vision_keys(deployment)
    granted = _resolved(deployment, "GetVisionJobFunction")

    for job in plan.vision.jobs:
        assert allowed(granted, "s3:PutObject", f"arn:aws:s3:::{bucket}/{job.rawKey}"), job.kind
    assert allowed(granted, "rekognition:GetSegmentDetection", "*")
    assert not allowed(granted, "rekognition:StartSegmentDetection", "*")
    assert not allowed(granted, "s3:PutObject", f"arn:aws:s3:::{bucket}/{plan.renditions['web']}")
    assert not allowed(granted, "s3:GetObject", f"arn:aws:s3:::{bucket}/{plan.renditions['web']}")


def test_iam_summarize_vision_reads_results_and_captures_and_writes_only_vision(
    deployment: Deployment,
) -> None:
    plan, bucket = _vision_keys(deployment)
    assert plan.vision.captures is not None
    granted = _resolved(deployment, "SummarizeVisionFunction")
    capture = f"arn:aws:s3:::{bucket}/{plan.vision.captures.prefix}.0000000.jpg"
    view = f"arn:aws:s3:::{bucket}/{plan.vision.prefix}clip.json"

    assert allowed(granted, "s3:GetObject", f"arn:aws:s3:::{bucket}/{plan.vision.jobs[0].rawKey}")
    assert allowed(granted, "s3:GetObject", capture)
    assert allowed(granted, "s3:PutObject", view)
    assert allowed(
        granted, "s3:PutObject", f"arn:aws:s3:::{bucket}/{plan.vision.prefix}shots/clip-001.jpg"
    )
    # S3 says NoSuchKey for a missing capture, rather than AccessDenied, only to a lister
    assert allowed(granted, "s3:ListBucket", f"arn:aws:s3:::{bucket}")
    assert not allowed(granted, "s3:PutObject", capture)
    assert not allowed(granted, "s3:GetObject", f"arn:aws:s3:::{bucket}/{plan.renditions['web']}")
    assert not any(a.startswith("rekognition:") for s in granted for a in _actions(s))
