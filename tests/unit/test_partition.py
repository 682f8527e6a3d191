"""The template and the definition name no partition, so the app deploys to aws, aws-cn and
aws-us-gov alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from botocore.utils import ArnParser

from reelscribe.results.definition import walk_states
from reelscribe.runtime.deployment import _assign_names, _definition
from reelscribe.runtime.error_names import integration
from reelscribe.template import Template

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "statemachine" / "pipeline.asl.json"
TEMPLATE = ROOT / "template.yaml"
HARD_CODED = re.compile(r"arn:aws(-[a-z-]+)?:")


def test_template_and_definition_hard_code_no_partition() -> None:
    resources = [
        str(state["Resource"])
        for _, state in walk_states(json.loads(DEFINITION.read_text(encoding="utf-8")))
        if "Resource" in state
    ]

    assert resources
    assert [r for r in resources if HARD_CODED.match(r)] == []
    assert HARD_CODED.findall(TEMPLATE.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("partition", "region"),
    [("aws", "eu-west-1"), ("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")],
)
def test_definition_deployed_in_a_partition_calls_every_resource_there(
    partition: str, region: str
) -> None:
    # Given the template deployed to a stack in that partition
    template = Template.load(TEMPLATE, region=region)
    template.pseudo["AWS::Partition"] = partition
    _assign_names(template)
    # When its definition's substitutions are resolved
    props = template.resources["PipelineStateMachine"]["Properties"]
    states = walk_states(json.loads(_definition(template, props)))
    resources = [str(state["Resource"]) for _, state in states if "Resource" in state]
    # Then every Task calls a valid ARN of that partition, an integration Step Functions has
    arns = [ArnParser().parse_arn(resource) for resource in resources]
    assert len(resources) > 20
    assert {arn["partition"] for arn in arns} == {partition}
    assert {arn["service"] for arn in arns} == {"states", "lambda"}
    assert [r for r in resources if integration(r) is None] == []
