"""Every file in events/ is a sample event for the function it is named after, and works with
`reelscribe invoke`, as `sam local invoke -e` users expect."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reelscribe.cli import main
from reelscribe.template import load_yaml

ROOT = Path(__file__).resolve().parents[2]
EVENTS = sorted((ROOT / "events").glob("*.json"))


def _function_for(event: Path) -> str:
    """`events/<folder>.json` is for the function whose CodeUri is `functions/<folder>/`."""
    resources = load_yaml(ROOT / "template.yaml")["Resources"]
    for logical_id, resource in resources.items():
        code_uri = resource.get("Properties", {}).get("CodeUri", "")
        if resource["Type"] == "AWS::Serverless::Function" and code_uri.rstrip("/").endswith(
            f"functions/{event.stem}"
        ):
            return logical_id
    raise AssertionError(f"{event.name} is named for no function in template.yaml")


@pytest.mark.parametrize("event", EVENTS, ids=[e.stem for e in EVENTS])
def test_invoke_each_sample_event_with_its_function_exits_zero_without_a_traceback(
    event: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a sample event, named for the function it is for
    function = _function_for(event)
    # When it is invoked as the README shows
    out = io.StringIO()
    code = main(["invoke", function, "--event", str(event)], stream=out)
    # Then the function returns a result, not an error with a stack trace
    result = json.loads(out.getvalue())
    assert code == 0, out.getvalue()
    assert "stackTrace" not in result
    assert "Traceback" not in capsys.readouterr().err
