"""Standing up the template's resources in the embedded AWS emulator (moto).

Names are derived from the stack name and logical id the way CloudFormation derives them, unless
the template names a resource itself. Every ARN the state machine and the functions see comes
from here, resolved through the template's own Ref, GetAtt and Sub.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from ..errors import TemplateError
from ..template import Template


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    timeout: float
    memory: int
    layer_dirs: tuple[Path, ...]


@dataclass(frozen=True)
class RuleSpec:
    logical_id: str
    pattern: dict[str, Any]
    target_arn: str


@dataclass(frozen=True)
class RouteSpec:
    """An HTTP API route (a SAM function's HttpApi event) and the function it invokes."""

    method: str
    path: str
    function_arn: str


@dataclass
class Deployment:
    template: Template
    buckets: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    state_machines: dict[str, str] = field(default_factory=dict)
    rules: list[RuleSpec] = field(default_factory=list)
    # Face collections: created once the Rekognition emulator answers (moto's would not keep them).
    collections: dict[str, str] = field(default_factory=dict)
    # Aurora clusters the Data API reaches: logical id -> (cluster ARN, its secret's ARN).
    clusters: dict[str, tuple[str, str]] = field(default_factory=dict)
    routes: list[RouteSpec] = field(default_factory=list)

    def output(self, name: str) -> str:
        outputs = self.template.body.get("Outputs") or {}
        return str(self.template.resolve(outputs[name]["Value"]))

    def function_for(self, name_or_arn: str) -> FunctionSpec:
        """Accept a name, an ARN, or a qualified ARN, as Lambda does."""
        for spec in self.functions.values():
            if name_or_arn in (spec.name, spec.arn) or name_or_arn.startswith(spec.arn + ":"):
                return spec
        raise KeyError(name_or_arn)


def _physical_name(stack: str, logical_id: str, *, lower: bool = False, limit: int = 63) -> str:
    name = f"{stack}-{logical_id}"
    if lower:
        name = re.sub(r"[^a-z0-9.-]", "-", name.lower())
    return name[:limit]


def _assign_names(template: Template) -> None:
    """Give every resource its Ref and GetAtt values before anything is resolved."""
    stack, region, account, partition = (
        template.pseudo[k]
        for k in ("AWS::StackName", "AWS::Region", "AWS::AccountId", "AWS::Partition")
    )
    for logical_id, spec in template.resources.items():
        kind = spec.get("Type", "")
        props = spec.get("Properties") or {}
        refs, attrs = template.refs, template.attributes
        if kind == "AWS::S3::Bucket":
            name = _physical_name(stack, logical_id, lower=True)
            refs[logical_id] = name
            attrs[(logical_id, "Arn")] = f"arn:{partition}:s3:::{name}"
        elif kind == "AWS::DynamoDB::Table":
            name = (
                str(template.resolve(props["TableName"]))
                if "TableName" in props
                else (_physical_name(stack, logical_id, limit=255))
            )
            refs[logical_id] = name
            attrs[(logical_id, "Arn")] = f"arn:{partition}:dynamodb:{region}:{account}:table/{name}"
        elif kind == "AWS::SNS::Topic":
            name = _physical_name(stack, logical_id, limit=256)
            refs[logical_id] = f"arn:{partition}:sns:{region}:{account}:{name}"
            attrs[(logical_id, "TopicName")] = name
        elif kind == "AWS::Serverless::Function":
            name = str(
                template.resolve(props.get("FunctionName", _physical_name(stack, logical_id)))
            )
            refs[logical_id] = name
            attrs[(logical_id, "Arn")] = (
                f"arn:{partition}:lambda:{region}:{account}:function:{name}"
            )
        elif kind == "AWS::Serverless::StateMachine":
            name = str(template.resolve(props.get("Name", _physical_name(stack, logical_id))))
            refs[logical_id] = f"arn:{partition}:states:{region}:{account}:stateMachine:{name}"
            attrs[(logical_id, "Name")] = name
            attrs[(logical_id, "Arn")] = refs[logical_id]
        elif kind == "AWS::IAM::Role":
            refs[logical_id] = _physical_name(stack, logical_id)
            attrs[(logical_id, "Arn")] = f"arn:{partition}:iam::{account}:role/{refs[logical_id]}"
        elif kind == "AWS::Serverless::LayerVersion":
            refs[logical_id] = (
                f"arn:{partition}:lambda:{region}:{account}:layer:{stack}-{logical_id}:1"
            )
        elif kind == "AWS::Rekognition::Collection":
            name = str(template.resolve(props["CollectionId"]))
            refs[logical_id] = name
            attrs[(logical_id, "Arn")] = (
                f"arn:{partition}:rekognition:{region}:{account}:collection/{name}"
            )
        elif kind == "AWS::RDS::DBCluster":
            # RDS lowercases identifiers; a managed master secret is named rds!cluster-<id>.
            name = _physical_name(stack, logical_id, lower=True)
            refs[logical_id] = name
            attrs[(logical_id, "DBClusterArn")] = (
                f"arn:{partition}:rds:{region}:{account}:cluster:{name}"
            )
            attrs[(logical_id, "MasterUserSecret.SecretArn")] = (
                f"arn:{partition}:secretsmanager:{region}:{account}:secret:rds!cluster-{name}-local"
            )
            attrs[(logical_id, "Endpoint.Address")] = f"{name}.cluster.{region}.rds.amazonaws.com"
        elif kind == "AWS::Logs::LogGroup":
            name = str(template.resolve(props.get("LogGroupName", f"/{stack}/{logical_id}")))
            refs[logical_id] = name
            attrs[(logical_id, "Arn")] = (
                f"arn:{partition}:logs:{region}:{account}:log-group:{name}:*"
            )
        else:
            refs[logical_id] = _physical_name(stack, logical_id)
            attrs[(logical_id, "Arn")] = (
                f"arn:{partition}:local:{region}:{account}:{refs[logical_id]}"
            )


def _function_spec(template: Template, logical_id: str, spec: dict[str, Any]) -> FunctionSpec:
    defaults = template.globals_for("Function")
    props = {**defaults, **(spec.get("Properties") or {})}
    environment = {
        **((defaults.get("Environment") or {}).get("Variables") or {}),
        **(((spec.get("Properties") or {}).get("Environment") or {}).get("Variables") or {}),
    }
    layer_dirs = []
    for layer in props.get("Layers") or []:
        layer_id = layer.get("Ref") if isinstance(layer, dict) else None
        if layer_id is None:
            raise TemplateError(f"{logical_id}: only layers defined in this template run locally")
        content = template.resources[layer_id]["Properties"]["ContentUri"]
        layer_dirs.append((template.root / content).resolve())
    return FunctionSpec(
        logical_id=logical_id,
        name=template.refs[logical_id],
        arn=template.attributes[(logical_id, "Arn")],
        code_dir=(template.root / props["CodeUri"]).resolve(),
        handler=str(props["Handler"]),
        environment={k: str(v) for k, v in template.resolve(environment).items()},
        timeout=float(template.resolve(props.get("Timeout", 3))),
        memory=int(template.resolve(props.get("MemorySize", 128))),
        layer_dirs=tuple(layer_dirs),
    )


def _definition(template: Template, props: dict[str, Any]) -> str:
    if "DefinitionUri" in props:
        text = (template.root / str(props["DefinitionUri"])).read_text(encoding="utf-8")
    else:
        text = json.dumps(props["Definition"])
    for name, value in template.resolve(props.get("DefinitionSubstitutions") or {}).items():
        text = text.replace("${" + name + "}", str(value))
    return text


def _create_table(client: Any, name: str, props: dict[str, Any]) -> None:
    request: dict[str, Any] = {
        "TableName": name,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if request["BillingMode"] == "PROVISIONED":
        request["ProvisionedThroughput"] = props["ProvisionedThroughput"]
    for index_kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if props.get(index_kind):
            request[index_kind] = props[index_kind]
    client.create_table(**request)


def deploy(template: Template, session: boto3.Session | None = None) -> Deployment:
    """Create the template's resources in the emulator that `session`'s clients talk to."""
    session = session or boto3.Session(region_name=template.pseudo["AWS::Region"])
    _assign_names(template)
    deployment = Deployment(template=template)
    # Typed as Any: the template supplies values the stubs' Literal types cannot know.
    s3: Any = session.client("s3")
    dynamodb: Any = session.client("dynamodb")
    sns: Any = session.client("sns")
    sfn: Any = session.client("stepfunctions")
    account = template.pseudo["AWS::AccountId"]
    for logical_id, spec in template.of_type("AWS::S3::Bucket").items():
        name = template.refs[logical_id]
        s3.create_bucket(Bucket=name)
        props = spec.get("Properties") or {}
        if (props.get("VersioningConfiguration") or {}).get("Status") == "Enabled":
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        deployment.buckets[logical_id] = name
    for logical_id, spec in template.of_type("AWS::DynamoDB::Table").items():
        name = template.refs[logical_id]
        _create_table(dynamodb, name, template.resolve(spec["Properties"]))
        deployment.tables[logical_id] = name
    for logical_id in template.of_type("AWS::Rekognition::Collection"):
        deployment.collections[logical_id] = template.refs[logical_id]
    for logical_id in template.of_type("AWS::SNS::Topic"):
        arn = sns.create_topic(Name=template.attributes[(logical_id, "TopicName")])["TopicArn"]
        deployment.topics[logical_id] = arn
    for spec in template.of_type("AWS::SNS::Subscription").values():
        props = template.resolve(spec["Properties"])
        sns.subscribe(
            TopicArn=props["TopicArn"], Protocol=props["Protocol"], Endpoint=props["Endpoint"]
        )
    # Not created in moto (its Data API returns canned answers): the runtime's own Data API
    # answers for these ARNs over the library's PostgreSQL.
    deployment.clusters.update(clusters_of(template))
    for logical_id, spec in template.of_type("AWS::Serverless::Function").items():
        deployment.functions[logical_id] = _function_spec(template, logical_id, spec)
        arn = deployment.functions[logical_id].arn
        deployment.rules.extend(_event_bridge_rules(template, logical_id, spec, arn))
        deployment.routes.extend(
            RouteSpec(str(e["Properties"]["Method"]).upper(), str(e["Properties"]["Path"]), arn)
            for e in ((spec.get("Properties") or {}).get("Events") or {}).values()
            if e.get("Type") == "HttpApi"
        )
    for logical_id, spec in template.of_type("AWS::Serverless::StateMachine").items():
        props = spec.get("Properties") or {}
        arn = sfn.create_state_machine(
            name=template.attributes[(logical_id, "Name")],
            definition=_definition(template, props),
            roleArn=f"arn:aws:iam::{account}:role/{template.refs[logical_id]}Role",
            type=str(props.get("Type", "STANDARD")),
        )["stateMachineArn"]
        deployment.state_machines[logical_id] = arn
        deployment.rules.extend(_event_bridge_rules(template, logical_id, spec, arn))
    for logical_id, spec in template.of_type("AWS::Events::Rule").items():
        props = template.resolve(spec["Properties"])
        for target in props.get("Targets") or []:
            deployment.rules.append(RuleSpec(logical_id, props["EventPattern"], target["Arn"]))
    return deployment


def _event_bridge_rules(
    template: Template, logical_id: str, spec: dict[str, Any], target_arn: str
) -> list[RuleSpec]:
    """A SAM function's or state machine's EventBridgeRule events: rules that target it."""
    events = (spec.get("Properties") or {}).get("Events") or {}
    return [
        RuleSpec(logical_id, template.resolve(event["Properties"]["Pattern"]), target_arn)
        for event in events.values()
        if event.get("Type") == "EventBridgeRule"
    ]


def clusters_of(template: Template) -> dict[str, tuple[str, str]]:
    """The template's Aurora clusters, (cluster ARN, secret ARN) by logical id, named as `deploy`
    names them, without deploying anything."""
    _assign_names(template)
    return {
        logical_id: (
            template.attributes[(logical_id, "DBClusterArn")],
            template.attributes[(logical_id, "MasterUserSecret.SecretArn")],
        )
        for logical_id in template.of_type("AWS::RDS::DBCluster")
    }
