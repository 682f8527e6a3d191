"""Reading template.yaml: parameters, conditions and the intrinsic functions it uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelscribe.runtime.deployment import _assign_names
from reelscribe.template import Template, TemplateError

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
STACK, REGION, ACCOUNT = "demo", "eu-west-1", "111122223333"


def _named(overrides: dict[str, str] | None = None) -> Template:
    """The template after a deployment has given every resource its physical name."""
    template = Template.load(TEMPLATE, overrides, stack_name=STACK, region=REGION, account=ACCOUNT)
    _assign_names(template)
    return template


def _props(template: Template, logical_id: str) -> dict[str, object]:
    return dict(template.resources[logical_id].get("Properties") or {})


# ------------------------------------------------------------------ parameters


def test_template_load_no_overrides_gives_declared_defaults() -> None:
    template = Template.load(TEMPLATE)

    assert template.parameters["NotificationEmail"] == ""
    assert template.parameters["TranscribeLanguage"] == "auto"
    assert template.parameters["MetadataTableName"] == "metadata"
    assert template.parameters["MinPollSeconds"] == "5"
    assert template.parameters["MaxPollSeconds"] == "60"


def test_template_load_overrides_replace_defaults_as_strings() -> None:
    template = Template.load(TEMPLATE, {"MinPollSeconds": "1", "TranscribeLanguage": "de-DE"})

    assert template.parameters["MinPollSeconds"] == "1"
    assert template.parameters["TranscribeLanguage"] == "de-DE"


def test_template_load_language_codes_of_three_letters_and_options_are_accepted() -> None:
    # Transcribe has codes such as ast-ES and ckb-IQ as well as en-US
    template = Template.load(
        TEMPLATE, {"TranscribeLanguage": "ast-ES", "TranscribeLanguageOptions": "ckb-IQ,en-US"}
    )

    assert template.parameters["TranscribeLanguage"] == "ast-ES"
    assert template.parameters["TranscribeLanguageOptions"] == "ckb-IQ,en-US"


def test_template_load_unknown_parameter_override_raises_template_error() -> None:
    with pytest.raises(TemplateError, match="NotificationEmial"):
        Template.load(TEMPLATE, {"NotificationEmial": "me@example.com"})


@pytest.mark.parametrize(
    "override",
    [
        {"TranscribeLanguage": "english"},
        {"LogRetentionDays": "2"},
        {"MinPollSeconds": "0"},
        {"TranscribeLanguageOptions": "en-US"},  # identification needs two or more
        {"TranscribeLanguageOptions": "en-US;es-US"},
    ],
)
def test_template_load_override_breaking_parameter_constraints_raises_template_error(
    override: dict[str, str],
) -> None:
    with pytest.raises(TemplateError):
        Template.load(TEMPLATE, override)


# ------------------------------------------------------------------ intrinsics


def test_template_resolve_before_names_are_assigned_raises_template_error() -> None:
    template = Template.load(TEMPLATE)
    with pytest.raises(TemplateError, match="no value yet"):
        template.resolve({"Fn::GetAtt": ["UploadBucket", "Arn"]})


def test_template_resolve_ref_gives_pseudo_parameters_and_parameters() -> None:
    template = _named({"MetadataTableName": "custom-metadata"})

    assert template.resolve({"Ref": "AWS::StackName"}) == STACK
    assert template.resolve({"Ref": "AWS::Region"}) == REGION
    assert template.resolve({"Ref": "AWS::AccountId"}) == ACCOUNT
    assert template.resolve({"Ref": "MetadataTable"}) == "custom-metadata"


def test_template_resolve_sub_with_getatt_gives_resource_arns() -> None:
    template = _named()
    statements = _props(template, "MediaConvertRole")["Policies"][0]["PolicyDocument"]["Statement"]  # type: ignore[index]

    resolved = template.resolve(statements)

    assert resolved[0]["Resource"] == "arn:aws:s3:::demo-uploadbucket/*"
    assert "arn:aws:s3:::demo-outputbucket/output/web/*" in resolved[1]["Resource"]


def test_template_resolve_sub_with_pseudo_parameters_gives_execution_arn_pattern() -> None:
    template = _named()
    policy = _props(template, "DescribeFailureFunction")["Policies"][0]  # type: ignore[index]

    (statement,) = template.resolve(policy)["Statement"]

    assert statement["Resource"] == (
        f"arn:aws:states:{REGION}:{ACCOUNT}:execution:{STACK}-pipeline:*"
    )


def test_template_resolve_definition_substitutions_give_function_and_table_names() -> None:
    template = _named()
    substitutions = template.resolve(
        _props(template, "PipelineStateMachine")["DefinitionSubstitutions"]
    )

    assert substitutions["ParseUploadFunctionArn"] == (
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:demo-ParseUploadFunction"
    )
    assert substitutions["MetadataTableName"] == "metadata"
    assert substitutions["SuccessTopicArn"].startswith(f"arn:aws:sns:{REGION}:{ACCOUNT}:demo-")
    assert not any("${" in str(value) for value in substitutions.values())


def test_template_resolve_global_environment_gives_bucket_and_job_prefix() -> None:
    template = _named({"TranscribeLanguage": "en-GB"})
    variables = template.resolve(template.globals_for("Function")["Environment"]["Variables"])

    assert variables["OUTPUT_BUCKET"] == "demo-outputbucket"
    assert variables["JOB_NAME_PREFIX"] == STACK
    assert variables["TRANSCRIBE_LANGUAGE"] == "en-GB"


def test_template_resolve_sub_with_variable_map_uses_the_map() -> None:
    template = _named()
    value = {"Fn::Sub": ["${Name}-${AWS::Region}", {"Name": {"Ref": "OutputBucket"}}]}

    assert template.resolve(value) == f"demo-outputbucket-{REGION}"


def test_template_resolve_unsupported_function_raises_template_error() -> None:
    with pytest.raises(TemplateError, match="not supported"):
        _named().resolve({"Fn::ImportValue": "shared-vpc"})


# ------------------------------------------------------------------ conditions


def test_template_of_type_no_email_gives_no_subscriptions() -> None:
    assert Template.load(TEMPLATE).of_type("AWS::SNS::Subscription") == {}


def test_template_of_type_with_email_gives_success_and_failure_subscriptions() -> None:
    template = Template.load(TEMPLATE, {"NotificationEmail": "me@example.com"})

    subscriptions = template.of_type("AWS::SNS::Subscription")

    assert len(subscriptions) == 2
    _assign_names(template)
    topics = {template.resolve(spec["Properties"]["TopicArn"]) for spec in subscriptions.values()}
    assert topics == {template.refs[name] for name in template.of_type("AWS::SNS::Topic")}
    assert {
        template.resolve(spec["Properties"]["Endpoint"]) for spec in subscriptions.values()
    } == {"me@example.com"}
