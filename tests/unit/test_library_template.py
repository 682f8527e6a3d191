"""The library on AWS as the template declares it: paused when idle, reached without a VPC,
encrypted, and asked only by signed callers."""

from __future__ import annotations

from typing import Any

from reelscribe.template import Template


def _props(template: Template, logical_id: str) -> dict[str, Any]:
    props: dict[str, Any] = template.resources[logical_id]["Properties"]
    return props


def test_library_cluster_pauses_uses_the_data_api_and_is_encrypted(template: Template) -> None:
    (cluster_id,) = template.of_type("AWS::RDS::DBCluster")
    cluster = _props(template, cluster_id)
    assert cluster["Engine"] == "aurora-postgresql"
    assert cluster["ServerlessV2ScalingConfiguration"]["MinCapacity"] == 0
    assert cluster["EnableHttpEndpoint"] is True
    assert cluster["ManageMasterUserPassword"] is True
    assert cluster["StorageEncrypted"] is True
    assert cluster["DeletionProtection"] == {"Ref": "LibraryDeletionProtection"}
    (instance_id,) = template.of_type("AWS::RDS::DBInstance")
    assert _props(template, instance_id)["DBInstanceClass"] == "db.serverless"


def test_search_api_refuses_unsigned_calls(template: Template) -> None:
    (api_id,) = template.of_type("AWS::Serverless::HttpApi")
    assert _props(template, api_id)["Auth"]["DefaultAuthorizer"] == "AWS_IAM"
    route = _props(template, "SearchFunction")["Events"]["Search"]["Properties"]
    assert (route["ApiId"], route["Method"], route["Path"]) == ({"Ref": api_id}, "GET", "/search")
    assert "Auth" not in route  # no route opts out of the default


def test_library_functions_reach_only_the_cluster_and_its_secret(template: Template) -> None:
    for function in ("IndexMediaFunction", "SearchFunction"):
        props = _props(template, function)
        assert "VpcConfig" not in props
        statements = [s for p in props["Policies"] for s in p["Statement"]]
        data_api = [s for s in statements if any(a.startswith("rds-data:") for a in s["Action"])]
        secret = [s for s in statements if s["Action"] == "secretsmanager:GetSecretValue"]
        assert [s["Resource"] for s in data_api] == [
            {"Fn::GetAtt": ["LibraryCluster", "DBClusterArn"]}
        ]
        assert [s["Resource"] for s in secret] == [
            {"Fn::GetAtt": ["LibraryCluster", "MasterUserSecret.SecretArn"]}
        ]
        environment = props["Environment"]["Variables"]
        assert environment["LIBRARY_CLUSTER_ARN"] == {
            "Fn::GetAtt": ["LibraryCluster", "DBClusterArn"]
        }
