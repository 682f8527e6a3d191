"""deploy(): the template's resources stood up in moto, named and wired as the template says."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws  # noqa: F401 - imported first, so sessions made here are mocked

from reelscribe.runtime.deployment import Deployment, deploy
from reelscribe.template import Template
from tests.support.events import load_event

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
ASL = ROOT / "statemachine" / "pipeline.asl.json"
UNRESOLVED = re.compile(r"\$\{[^}]*\}")
_LOADED = Template.load(TEMPLATE)  # parsed once; each test deploys its own copy


@cache
def _session() -> boto3.Session:
    """One session for the module: its clients reuse the loaded service models. Created inside
    the `aws` fixture, so it only ever holds moto's fake credentials."""
    return boto3.Session(region_name="us-east-1")


def _client(service: str) -> Any:
    return _session().client(service)


@pytest.fixture
def deployment(aws: None) -> Deployment:
    return deploy(copy.deepcopy(_LOADED), _session())


@pytest.fixture
def definition(deployment: Deployment) -> str:
    (arn,) = deployment.state_machines.values()
    text: str = _client("stepfunctions").describe_state_machine(stateMachineArn=arn)["definition"]
    return text


@pytest.fixture
def rule_queue(deployment: Deployment) -> tuple[Any, str]:
    """The template's upload rule in moto's EventBridge, delivering into a queue."""
    events, sqs = _client("events"), _client("sqs")
    url = sqs.create_queue(QueueName="pipeline-starts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    (rule,) = [r for r in deployment.rules if r.logical_id == "PipelineStateMachine"]
    events.put_rule(Name=rule.logical_id, EventPattern=json.dumps(rule.pattern))
    events.put_targets(Rule=rule.logical_id, Targets=[{"Id": "pipeline", "Arn": queue_arn}])
    return sqs, url


def _deliver(sqs_and_url: tuple[Any, str], event: dict[str, Any]) -> list[dict[str, Any]]:
    """Put the event on the bus; return what the rule forwarded."""
    sqs, url = sqs_and_url
    result = _client("events").put_events(
        Entries=[
            {
                "Source": event["source"],
                "DetailType": event["detail-type"],
                "Detail": json.dumps(event["detail"]),
                "Resources": event["resources"],
            }
        ]
    )
    assert result["FailedEntryCount"] == 0
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]


# ------------------------------------------------------------------ storage and topics


def test_deploy_template_buckets_all_exist(deployment: Deployment) -> None:
    declared = deployment.template.of_type("AWS::S3::Bucket")
    existing = {b["Name"] for b in _client("s3").list_buckets()["Buckets"]}

    assert declared
    assert set(deployment.buckets) == set(declared)
    assert set(deployment.buckets.values()) <= existing


def test_deploy_template_versioned_buckets_are_versioned(deployment: Deployment) -> None:
    s3 = _client("s3")
    for logical_id, spec in deployment.template.of_type("AWS::S3::Bucket").items():
        wanted = (spec["Properties"].get("VersioningConfiguration") or {}).get("Status")
        status = s3.get_bucket_versioning(Bucket=deployment.buckets[logical_id]).get("Status")
        assert status == wanted, logical_id


def test_deploy_upload_bucket_is_versioned(deployment: Deployment) -> None:
    # Each upload is its own version: re-uploading a name never replaces a video in flight
    bucket = deployment.output("UploadBucketName")
    assert _client("s3").get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_deploy_template_tables_exist_with_the_template_key_schema(
    deployment: Deployment,
) -> None:
    dynamodb = _client("dynamodb")
    declared = deployment.template.of_type("AWS::DynamoDB::Table")

    assert declared
    assert set(deployment.tables) == set(declared)
    for logical_id, spec in declared.items():
        table = dynamodb.describe_table(TableName=deployment.tables[logical_id])["Table"]
        assert table["KeySchema"] == spec["Properties"]["KeySchema"], logical_id
        assert {
            (a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]
        } == {
            (a["AttributeName"], a["AttributeType"])
            for a in spec["Properties"]["AttributeDefinitions"]
        }


def test_deploy_metadata_table_name_parameter_names_the_table(aws: None) -> None:
    template = Template.load(TEMPLATE, {"MetadataTableName": "transcripts-test"})
    deployment = deploy(template, _session())

    assert deployment.tables["MetadataTable"] == "transcripts-test"
    assert _client("dynamodb").describe_table(TableName="transcripts-test")["Table"]
    assert deployment.output("MetadataTableName") == "transcripts-test"


def test_deploy_template_topics_all_exist(deployment: Deployment) -> None:
    declared = deployment.template.of_type("AWS::SNS::Topic")
    existing = {t["TopicArn"] for t in _client("sns").list_topics()["Topics"]}

    assert declared
    assert set(deployment.topics) == set(declared)
    assert set(deployment.topics.values()) <= existing


def test_deploy_notification_email_subscribes_it_to_both_topics(aws: None) -> None:
    template = Template.load(TEMPLATE, {"NotificationEmail": "me@example.com"})
    deployment = deploy(template, _session())
    sns = _client("sns")

    for arn in deployment.topics.values():
        endpoints = {
            s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        }
        assert endpoints == {"me@example.com"}


def test_deploy_no_notification_email_subscribes_nobody(deployment: Deployment) -> None:
    assert _client("sns").list_subscriptions()["Subscriptions"] == []


# ------------------------------------------------------------------ state machine


def test_deploy_state_machine_definition_has_no_unresolved_substitutions(definition: str) -> None:
    assert UNRESOLVED.findall(definition) == []
    assert json.loads(definition)["StartAt"]


def test_deploy_asl_file_placeholders_all_have_a_substitution(deployment: Deployment) -> None:
    # The check above is only meaningful if the file has placeholders to resolve
    placeholders = set(re.findall(r"\$\{([^}]*)\}", ASL.read_text(encoding="utf-8")))
    (spec,) = deployment.template.of_type("AWS::Serverless::StateMachine").values()

    assert placeholders
    assert placeholders <= set(spec["Properties"]["DefinitionSubstitutions"])


def _all_states(machine: dict[str, Any]) -> list[dict[str, Any]]:
    """Every state, Parallel branches and Map iterations included."""
    found = []
    for state in machine["States"].values():
        found.append(state)
        for branch in [*state.get("Branches", []), state.get("ItemProcessor")]:
            if branch:
                found.extend(_all_states(branch))
    return found


def test_deploy_state_machine_definition_calls_the_deployed_functions(
    deployment: Deployment, definition: str
) -> None:
    task_resources = {
        s["Resource"] for s in _all_states(json.loads(definition)) if s["Type"] == "Task"
    }
    lambda_resources = {r for r in task_resources if r.startswith("arn:aws:lambda:")}
    rule_targets = {rule.target_arn for rule in deployment.rules}
    rule_targets |= {route.function_arn for route in deployment.routes}
    functions = {spec.arn for spec in deployment.functions.values()}
    # A function a person invokes (removing someone's faces) is named by an output saying so.
    by_hand = {deployment.output("RemovePersonFunctionArn")}

    # The state machine calls only deployed functions, and every other function is an event
    # rule's (stopped executions' reporter), an HTTP API route's (search) or one invoked by
    # hand; Index Media is both the state machine's and a rule's (a deleted upload)
    assert lambda_resources <= functions
    assert functions - lambda_resources == (functions & rule_targets) - lambda_resources | by_hand
    assert deployment.function_for("reelscribe-IndexMediaFunction").arn in lambda_resources
    assert functions & rule_targets
    assert by_hand <= functions


def test_deploy_state_machine_definition_names_the_deployed_tables_and_topics(
    deployment: Deployment, definition: str
) -> None:
    states = json.loads(definition)["States"]
    tables = {
        s["Parameters"]["TableName"]
        for s in states.values()
        if s.get("Resource", "").startswith("arn:aws:states:::dynamodb:")
    }
    topics = {
        s["Parameters"]["TopicArn"]
        for s in states.values()
        if s.get("Resource", "") == "arn:aws:states:::sns:publish"
    }

    # The people table is read and written by functions only (enrolment, names, removal).
    by_functions = {deployment.output("PeopleTableName")}
    assert tables == set(deployment.tables.values()) - by_functions
    assert topics == set(deployment.topics.values())


def test_deploy_functions_get_the_template_environment(deployment: Deployment) -> None:
    for spec in deployment.functions.values():
        assert spec.environment["OUTPUT_BUCKET"] == deployment.buckets["OutputBucket"]
        assert spec.environment["JOB_NAME_PREFIX"] == deployment.template.pseudo["AWS::StackName"]
        assert not any(UNRESOLVED.search(value) for value in spec.environment.values())


# ------------------------------------------------------------------ trigger


def test_deploy_rule_sample_upload_event_starts_the_pipeline(
    deployment: Deployment, rule_queue: tuple[Any, str]
) -> None:
    # Given the sample Object Created event for the deployed upload bucket
    event = load_event("parse_upload.json")
    assert event["detail"]["bucket"]["name"] == deployment.output("UploadBucketName")

    # When EventBridge sees it / Then the rule forwards it
    (delivered,) = _deliver(rule_queue, event)
    assert delivered["detail"]["object"]["key"] == event["detail"]["object"]["key"]


@pytest.mark.parametrize("reason", ["CompleteMultipartUpload", "CopyObject", "PostObject"])
def test_deploy_rule_every_way_of_creating_an_object_starts_the_pipeline(
    rule_queue: tuple[Any, str], reason: str
) -> None:
    # A trigger that only matched PutObject missed large (multipart) uploads
    event = load_event("parse_upload.json")
    event["detail"]["reason"] = reason

    assert len(_deliver(rule_queue, event)) == 1


def test_deploy_rule_event_for_another_bucket_ignored(rule_queue: tuple[Any, str]) -> None:
    event = load_event("parse_upload.json")
    event["detail"]["bucket"]["name"] = "someone-elses-bucket"
    event["resources"] = ["arn:aws:s3:::someone-elses-bucket"]

    assert _deliver(rule_queue, event) == []


def test_deploy_rule_deleted_object_ignored(rule_queue: tuple[Any, str]) -> None:
    event = load_event("parse_upload.json")
    event["detail-type"] = "Object Deleted"
    event["detail"]["reason"] = "DeleteObject"

    assert _deliver(rule_queue, event) == []


@pytest.mark.parametrize(
    ("status", "machine", "reported"),
    [
        ("ABORTED", "reelscribe-pipeline", True),
        ("TIMED_OUT", "reelscribe-pipeline", True),
        ("FAILED", "reelscribe-pipeline", False),  # its own failure path reported it
        ("SUCCEEDED", "reelscribe-pipeline", False),
        ("ABORTED", "someone-elses-machine", False),
    ],
)
def test_deploy_rule_only_stopped_pipeline_executions_reach_the_stop_reporter(
    deployment: Deployment, status: str, machine: str, reported: bool
) -> None:
    from moto.events.models import EventPattern

    (rule,) = [r for r in deployment.rules if r.logical_id == "ReportStoppedExecutionFunction"]
    event = load_event("report_stopped_execution.json")
    event["detail"]["status"] = status
    event["detail"]["stateMachineArn"] = deployment.state_machines["PipelineStateMachine"].replace(
        "reelscribe-pipeline", machine
    )

    matched = EventPattern.load(json.dumps(rule.pattern)).matches_event(event)

    assert rule.target_arn == deployment.functions["ReportStoppedExecutionFunction"].arn
    assert matched is reported
