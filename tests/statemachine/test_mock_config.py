"""The MockConfigFile answers only runs that name it."""

from __future__ import annotations

import pytest

from reelscribe.errors import MockConfigError
from reelscribe.runtime.local import LocalRuntime
from tests.statemachine.conftest import ROOT, Pipeline


def test_runtime_that_names_no_mock_config_refuses_a_test_case() -> None:
    # Given a runtime started the way a plain `reelscribe run` starts it
    with LocalRuntime(ROOT / "template.yaml") as runtime:
        machine = runtime.deployment.state_machines["PipelineStateMachine"]
        # When an execution asks for a scripted test case
        # Then it is refused: the project's MockConfigFile was not loaded
        with pytest.raises(MockConfigError, match="no MockConfigFile is loaded"):
            runtime.start_execution(machine, {}, "case", test_case="HappyPath")


def test_runtime_that_names_the_mock_config_runs_its_test_case(pipeline: Pipeline) -> None:
    outcome = pipeline.run("HappyPath")
    assert outcome.status == "SUCCEEDED"
