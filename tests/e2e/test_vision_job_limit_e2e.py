"""Fifty uploads at once against a Rekognition whose concurrent-job limit is two: every video's
analyses wait for a free slot rather than being dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reelscribe.runtime.local import LocalRuntime
from tests.support.media import make_video

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = 50
JOB_LIMIT = 2
ANALYSED_LOCALLY = {"shots", "text", "faces", "moderation", "face_search"}


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Tiny and silent: the transcode is quick and there is nothing to transcribe
    folder = tmp_path_factory.mktemp("media")
    return make_video(folder / "tiny.mp4", width=160, height=90, duration=1.0, audio="none", fps=10)


@pytest.fixture(scope="module")
def runs(clip: Path) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each execution's description and history, all uploaded at once."""
    with LocalRuntime(ROOT / "template.yaml") as runtime:
        runtime.rekognition.job_limit = JOB_LIMIT
        events = [runtime.upload(clip, f"alice/clip-{n:02d}.mp4") for n in range(UPLOADS)]
        arns = [arn for event in events for arn in runtime.dispatch(event)]
        assert len(arns) == UPLOADS
        return [(runtime.wait(arn, timeout=600), runtime.history(arn)) for arn in arns]


def _refused_starts(history: list[dict[str, Any]]) -> int:
    return sum(
        1
        for e in history
        if e["type"] == "LambdaFunctionFailed"
        and e["lambdaFunctionFailedEventDetails"].get("error") == "VisionJobLimitError"
    )


def test_vision_job_limit_fifty_uploads_at_once_all_succeed(
    runs: list[tuple[dict[str, Any], list[dict[str, Any]]]],
) -> None:
    assert [described["status"] for described, _ in runs] == ["SUCCEEDED"] * UPLOADS


def test_vision_job_limit_fifty_uploads_at_once_meet_the_limit(
    runs: list[tuple[dict[str, Any], list[dict[str, Any]]]],
) -> None:
    # Rekognition did refuse starts over its limit: the test exercised what it means to
    assert sum(_refused_starts(history) for _, history in runs) > 0


def test_vision_job_limit_fifty_uploads_at_once_lose_no_analysis(
    runs: list[tuple[dict[str, Any], list[dict[str, Any]]]],
) -> None:
    # Every kind the local engines analyse is available for every video: none was dropped
    for described, _ in runs:
        results = json.loads(described["output"])["visionResults"]
        available = {r["kind"] for r in results if r["available"]}
        assert available == ANALYSED_LOCALLY, [r for r in results if not r["available"]]
