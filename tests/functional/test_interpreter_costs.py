"""What the interpreter no longer redoes: the same results from copies, caches and clients."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from moto.stepfunctions.parser.asl.parse.asl_parser import (
    AmazonStateLanguageParser,
    ASLParserException,
)
from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for

from reelscribe.runtime.moto_patches import interpreter_costs, parsed_definitions
from reelscribe.speech.model_cache import CACHE_ENV_VAR

ROOT = Path(__file__).resolve().parents[2]


def _definition() -> str:
    """The pipeline's own definition, its substitutions filled as a deployment would."""
    text = (ROOT / "statemachine/pipeline.asl.json").read_text().replace("${Partition}", "aws")
    return re.sub(r"\$\{(\w+)\}", r"arn:aws:lambda:us-east-1:123456789012:function:\1", text)


def _state_names(program: Any) -> list[str]:
    return sorted(program.states.states.keys())


def test_json_copy_of_state_data_equals_it_and_shares_nothing() -> None:
    # Given state data as a state's input holds it
    data = {"video": {"key": "a b.mp4", "size": 3, "tags": ["x", {"y": None}]}, "ok": True}
    # When it is copied
    copied = interpreter_costs.json_copy(data)
    copied["video"]["tags"][1]["y"] = "changed"
    # Then the copy was equal, and changing it left the original alone
    assert data["video"]["tags"][1]["y"] is None
    assert {**copied, "video": {**copied["video"], "tags": ["x", {"y": None}]}} == data


def test_json_copy_of_other_objects_falls_back_to_a_deep_copy() -> None:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    nested = {"when": stamp, "pair": (1, [2])}
    copied = interpreter_costs.json_copy(nested)
    assert copied == nested
    assert copied["pair"][1] is not nested["pair"][1]


def test_parsed_definition_once_kept_is_loaded_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an empty cache folder, and the pipeline's definition parsed once through it
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    definition = _definition()
    first, _ = parsed_definitions.parse_kept(definition, AmazonStateLanguageParser.parse)

    # When another process asks for it (a parser that must not be called stands in for moto's)
    def refuse(_definition: str) -> Any:
        raise AssertionError("parsed again")

    kept, _ = parsed_definitions.parse_kept(definition, refuse)
    # Then the kept program has every state of the parsed one
    assert _state_names(kept) == _state_names(first)
    assert len(_state_names(kept)) == len(json.loads(definition)["States"])


def test_parsed_definition_when_the_kept_file_is_damaged_is_parsed_and_kept_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    definition = _definition()
    path = parsed_definitions.cache_file(definition)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    program, _ = parsed_definitions.parse_kept(definition, AmazonStateLanguageParser.parse)
    assert _state_names(program)
    assert path.read_bytes() != b"not a pickle"


def test_parsed_definition_when_the_cache_cannot_be_written_still_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV_VAR, str(blocker / "cache"))  # under a file: not creatable
    program, _ = parsed_definitions.parse_kept(_definition(), AmazonStateLanguageParser.parse)
    assert _state_names(program)


def test_parsed_definition_kept_by_another_user_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    definition = _definition()
    parsed_definitions.parse_kept(definition, AmazonStateLanguageParser.parse)
    parsed_definitions.cache_file(definition).chmod(0o666)  # anyone could have replaced it
    calls = []

    def parse(text: str) -> Any:
        calls.append(text)
        return AmazonStateLanguageParser.parse(text)

    parsed_definitions.parse_kept(definition, parse)
    assert calls == [definition]


def test_parsed_definition_that_does_not_parse_raises_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    broken = '{"StartAt": "Nowhere", "States": {"A": {"Type": "Nonsense"}}}'
    with pytest.raises(ASLParserException):
        parsed_definitions.parse_kept(broken, AmazonStateLanguageParser.parse)
    assert not parsed_definitions.cache_file(broken).exists()


def test_interpreter_clients_with_patches_installed_are_one_per_region_and_service() -> None:
    from reelscribe.runtime import moto_patches

    moto_patches.install()
    try:
        from moto.stepfunctions.parser.asl.component.state.exec.state_task import (
            lambda_eval_utils,
        )

        first = lambda_eval_utils.boto_client_for("eu-west-1", "lambda", None)
        again = lambda_eval_utils.boto_client_for(
            region="eu-west-1", service="lambda", state_credentials=object()
        )
        other = lambda_eval_utils.boto_client_for("eu-west-1", "sns", None)
    finally:
        moto_patches.uninstall()
    assert first is again
    assert other is not first
    assert other.meta.service_model.service_name == "sns"
    # moto's own function is back, making a new client each time
    assert boto_client_for("eu-west-1", "lambda") is not boto_client_for("eu-west-1", "lambda")


def test_emulated_s3_object_past_the_memory_limit_is_kept_on_disk_and_read_back_whole() -> None:
    import boto3
    from moto import mock_aws
    from moto.s3.models import s3_backends

    from reelscribe.runtime import moto_patches
    from reelscribe.runtime.moto_patches.object_bodies import IN_MEMORY_BYTES

    big, small = os.urandom(4 * IN_MEMORY_BYTES), b'{"small": true}'
    moto_patches.install()
    try:
        with mock_aws():
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket="out")
            s3.put_object(Bucket="out", Key="web/a.mp4", Body=big)
            s3.put_object(Bucket="out", Key="a.json", Body=small)
            bucket = s3_backends["123456789012"]["aws"].buckets["out"]
            rolled = {key: bucket.keys[key]._value_buffer._rolled for key in bucket.keys}
            read_back = s3.get_object(Bucket="out", Key="web/a.mp4")["Body"].read()
    finally:
        moto_patches.uninstall()
    assert rolled == {"web/a.mp4": True, "a.json": False}
    assert read_back == big


def test_parsed_definition_loaded_from_the_cache_ties_its_waits_to_their_polls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the pipeline's definition parsed once into the cache
    from reelscribe.runtime.moto_patches import wait_states

    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    definition = _definition()
    parsed_definitions.parse_kept(definition, AmazonStateLanguageParser.parse)
    # When another process loads it instead of parsing it
    kept, _ = parsed_definitions.parse_kept(
        definition, AmazonStateLanguageParser.parse, loaded=wait_states.tie_waits
    )
    # Then each poll loop's Wait knows the Task it polls with, as a parse would have told it
    waits = {wait.name: task.name for wait, task in _ties(kept, wait_states)}
    assert waits["Wait for Transcode"] == "Get Transcode Job"
    assert waits["Wait for Transcription"] == "Get Transcription Job"
    assert waits["Wait for Vision Job"] == "Get Vision Job"


def _ties(program: Any, wait_states: Any) -> list[tuple[Any, Any]]:
    found = []
    pending, seen = [program], set()
    while pending:
        component = pending.pop()
        if id(component) in seen:
            continue
        seen.add(id(component))
        wait_function = getattr(component, "wait_function", None)
        tie = wait_states._polls.get(wait_function) if wait_function is not None else None
        if tie is not None and tie[0] is component:
            found.append(tie)
        if isinstance(component, dict | list | tuple):
            pending.extend(component.values() if isinstance(component, dict) else component)
        elif type(component).__module__.startswith("moto.stepfunctions"):
            pending.extend(vars(component).values())
    return found


def test_service_models_with_patches_installed_are_shared_and_read_as_botocore_reads_them() -> None:
    import botocore.loaders
    import botocore.session

    from reelscribe.runtime import moto_patches

    plain = botocore.loaders.create_loader().load_service_model("sns", "service-2")
    moto_patches.install()
    try:
        first, second = botocore.session.Session(), botocore.session.Session()
        shared = first.get_component("data_loader") is second.get_component("data_loader")
        fast = first.get_component("data_loader").load_service_model("sns", "service-2")
        client = second.create_client("sns", region_name="us-east-1")
    finally:
        moto_patches.uninstall()
    assert shared
    assert json.dumps(fast) == json.dumps(plain)  # same content, same order
    assert "Publish" in client.meta.service_model.operation_names
