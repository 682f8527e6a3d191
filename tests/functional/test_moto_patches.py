"""The moto patches: installed once, undone completely, and refused plainly if moto changed."""

from __future__ import annotations

import importlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import moto.s3.models
import pytest
from moto import mock_aws

from reelscribe.errors import MotoChangedError, ServiceError, TemplateError
from reelscribe.runtime import interception, moto_patches
from reelscribe.runtime import local as runtime
from reelscribe.runtime.interception import Router
from reelscribe.runtime.moto_patches import aws_parity, wait_states

ROOT = Path(__file__).resolve().parents[2]


def test_install_then_uninstall_puts_back_what_was_replaced() -> None:
    # Given what moto has before the patches
    patch = wait_states.PATCHES[0]
    original = vars(patch.owner)[patch.name]
    # When they are installed twice and uninstalled as often
    moto_patches.install()
    moto_patches.install()
    patched = vars(patch.owner)[patch.name]
    moto_patches.uninstall()
    still = vars(patch.owner)[patch.name]
    moto_patches.uninstall()
    # Then they were applied once, stayed while in use, and moto has its own back
    assert patched is not original
    assert still is patched
    assert vars(patch.owner)[patch.name] is original
    assert not moto_patches.installed()


def test_s3_requests_with_patches_installed_do_not_reload_moto_s3_urls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the patches installed, and every reload of a module counted
    reloaded: list[str] = []
    reload = importlib.reload

    def counted(module: Any) -> Any:
        reloaded.append(module.__name__)
        return reload(module)

    monkeypatch.setattr(importlib, "reload", counted)
    monkeypatch.setattr(moto.s3.models, "reload", counted)
    moto_patches.install()
    try:
        with mock_aws():
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket="routes")
            # When objects are written and read back, ten times
            for number in range(10):
                s3.put_object(Bucket="routes", Key=f"k{number}", Body=b"body")
                body = s3.get_object(Bucket="routes", Key=f"k{number}")["Body"].read()
    finally:
        moto_patches.uninstall()
    # Then the requests were answered, and S3's URL table was read at most once
    assert body == b"body"
    assert reloaded.count("moto.s3.urls") <= 1


def test_install_when_moto_lacks_a_replaced_attribute_names_it_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a moto whose wait function has lost the method the Wait patch replaces
    patch = wait_states.PATCHES[0]
    monkeypatch.delattr(patch.owner, patch.name)
    untouched = aws_parity.PATCHES[0]
    before = vars(untouched.owner)[untouched.name]
    # When the patches are installed
    with pytest.raises(MotoChangedError) as raised:
        moto_patches.install()
    # Then the error names the attribute, and no other patch was applied
    assert f"{patch.owner.__qualname__}.{patch.name} is missing" in str(raised.value)
    assert vars(untouched.owner)[untouched.name] is before
    assert not moto_patches.installed()


def test_check_version_other_than_the_supported_one_says_which_to_install() -> None:
    with pytest.raises(MotoChangedError, match=r"moto 5\.3\.0 is installed.*moto 5\.2\.x"):
        moto_patches.check_version("5.3.0")
    moto_patches.check_version("5.2.9")


def test_runtime_that_fails_to_start_leaves_moto_and_the_environment_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a template the deployment refuses
    def refuse(*_: object) -> None:
        raise TemplateError("not deployable")

    monkeypatch.setattr(runtime, "deploy", refuse)
    monkeypatch.delenv("AWS_REGION", raising=False)
    # When the runtime starts
    with pytest.raises(TemplateError), runtime.LocalRuntime(ROOT / "template.yaml"):
        pass
    # Then the patches are undone and the environment restored
    assert not moto_patches.installed()
    assert "AWS_REGION" not in os.environ


@pytest.fixture
def answered(aws_credentials: None) -> Iterator[tuple[Any, Router]]:
    """The local engine, with a router whose answers replace the services' own."""
    router = Router()
    interception.activate(router)
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield boto3.client("stepfunctions", region_name="us-east-1"), router
    finally:
        interception.deactivate(router)


def _caught(sfn: Any, resource: str, parameters: dict[str, Any], error: str) -> dict[str, Any]:
    """Run one Task that Catches only `error`; the execution's output."""
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": parameters,
                "Catch": [{"ErrorEquals": [error], "ResultPath": "$.error", "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    machine = sfn.create_state_machine(
        name=f"m-{uuid.uuid4().hex[:8]}",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/local",
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, name=uuid.uuid4().hex, input="{}")[
        "executionArn"
    ]
    deadline = time.monotonic() + 10
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the execution did not end"
        time.sleep(0.02)
    assert described["status"] == "SUCCEEDED", described
    return dict(json.loads(described["output"]))


def test_service_error_without_exception_suffix_is_caught_by_the_name_step_functions_gives(
    answered: tuple[Any, Router],
) -> None:
    sfn, router = answered

    def fail(code: str, status: int) -> Any:
        def answer(_: dict[str, Any]) -> dict[str, Any]:
            raise ServiceError(code, f"{code} now", status)

        return answer

    # Given DynamoDB and Rekognition failing with codes that do not end in Exception
    router.answer("dynamodb", "PutItem", fail("RequestLimitExceeded", 400))
    router.answer("rekognition", "DetectText", fail("InternalServerError", 500))
    # When an optimized DynamoDB task and an SDK Rekognition task call them
    put = _caught(
        sfn,
        "arn:aws:states:::dynamodb:putItem",
        {"TableName": "videos", "Item": {"videoId": {"S": "v"}}},
        "DynamoDB.RequestLimitExceededException",
    )
    detect = _caught(
        sfn,
        "arn:aws:states:::aws-sdk:rekognition:detectText",
        {"Image": {"S3Object": {"Bucket": "b", "Name": "k.jpg"}}},
        "Rekognition.InternalServerErrorException",
    )
    # Then each failure carries the name Step Functions gives it, so a Catch on it matches
    assert put["error"]["Error"] == "DynamoDB.RequestLimitExceededException"
    assert detect["error"]["Error"] == "Rekognition.InternalServerErrorException"


def _handler_without_kwargs(request: Any) -> None:
    """An event handler botocore must refuse: handlers take **kwargs."""


def test_botocore_sessions_with_patches_installed_read_each_handler_signature_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import inspect

    import botocore.session

    # Given every signature botocore reads counted
    read: list[Any] = []
    getfullargspec = inspect.getfullargspec

    def counted(func: Any) -> Any:
        read.append(func)
        return getfullargspec(func)

    monkeypatch.setattr(inspect, "getfullargspec", counted)
    moto_patches.install()
    try:
        # When a session and its client are made, and then another of each
        botocore.session.Session().create_client("sns", region_name="us-east-1")
        first = len(read)
        second = botocore.session.Session()
        client = second.create_client("sns", region_name="us-east-1")
        again = len(read) - first
        # and a handler without **kwargs is registered
        with pytest.raises(ValueError, match=r"must accept keyword arguments"):
            second.register("before-call.sns.Publish", _handler_without_kwargs)
    finally:
        moto_patches.uninstall()
    # Then the first pair read the handlers' signatures, the second none, and botocore still
    # refuses a handler it cannot call, and still names events by its aliases
    assert first > 50
    assert again == 0
    assert client.meta.events._alias_event_name("before-call.sns.Publish") == (
        "before-call.sns.Publish"
    )
    assert client.meta.events._alias_event_name("before-call.cloudsearchdomain.Search") == (
        "before-call.cloudsearch-domain.Search"
    )


@pytest.fixture
def folder_reads(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Call to start counting the folders read (`os.listdir`); it returns the list they go to."""
    reads: list[str] = []
    listdir = os.listdir

    def counted(path: Any) -> list[str]:
        reads.append(str(path))
        return listdir(path)

    def start() -> list[str]:
        monkeypatch.setattr(os, "listdir", counted)
        return reads

    return start


def test_botocore_loader_with_patches_installed_loads_a_model_reading_only_its_folders(
    monkeypatch: pytest.MonkeyPatch, folder_reads: Callable[[], list[str]]
) -> None:
    import botocore.exceptions
    import botocore.loaders

    plain = botocore.loaders.create_loader().load_service_model("mediaconvert", "service-2")
    moto_patches.install()
    try:
        # Given folder reads counted
        reads = folder_reads()
        # When a new loader loads one service's model, then one of a service that does not exist
        loaded = botocore.loaders.create_loader().load_service_model("mediaconvert", "service-2")
        model_reads = list(reads)
        with pytest.raises(botocore.exceptions.UnknownServiceError) as unknown:
            botocore.loaders.create_loader().load_service_model("no-such-service", "service-2")
    finally:
        monkeypatch.undo()
        moto_patches.uninstall()
    # Then it read the one service's folder, not every service's, and loaded the same model;
    # the unknown service's error still names the services there are
    assert model_reads
    assert all(os.path.basename(path) == "mediaconvert" for path in model_reads)
    assert loaded == plain
    assert "mediaconvert" in str(unknown.value)
    assert "Unknown service: 'no-such-service'" in str(unknown.value)


def test_botocore_loaders_with_patches_installed_list_the_services_once_a_process(
    monkeypatch: pytest.MonkeyPatch, folder_reads: Callable[[], list[str]]
) -> None:
    import botocore.loaders

    plain = botocore.loaders.create_loader().list_available_services("service-2")
    moto_patches.install()
    try:
        botocore.loaders.Loader().list_available_services("service-2")
        # Given folder reads counted
        reads = folder_reads()
        # When another loader with the same folders lists the services
        listed = botocore.loaders.Loader().list_available_services("service-2")
    finally:
        monkeypatch.undo()
        moto_patches.uninstall()
    # Then it read no folder, and lists what botocore itself lists
    assert reads == []
    assert listed == plain
    assert "mediaconvert" in listed


_CERTIFICATE_CALL = """
import datetime, sys
import reelscribe
import boto3
from moto import mock_aws

with mock_aws():
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="someone")
    loaded_by_first_request = "cryptography.x509.base" in sys.modules
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "someone")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    iam.upload_signing_certificate(UserName="someone", CertificateBody=pem)
    try:
        iam.upload_signing_certificate(UserName="someone", CertificateBody="not a certificate")
        refused = False
    except iam.exceptions.MalformedCertificateException:
        refused = True
print(loaded_by_first_request, refused)
"""


def test_import_reelscribe_then_first_moto_request_defers_x509_to_its_first_use() -> None:
    import subprocess
    import sys

    # Given a process that imports reelscribe, then makes moto's first request (which imports
    # moto's IAM models), then a certificate call that moto checks with cryptography's X.509
    ran = subprocess.run(
        [sys.executable, "-c", _CERTIFICATE_CALL], capture_output=True, text=True, check=False
    )
    # Then X.509 was not loaded by the first request, and loaded when the call needed it: a
    # certificate is taken and a malformed one refused
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["False", "True"]
