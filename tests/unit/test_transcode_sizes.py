"""Every size Plan Transcode gives MediaConvert is one CreateJob accepts, whatever the source's
size and shape: each job is checked against botocore's model of the API, limits included."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from botocore.model import StructureShape
from hypothesis import given
from hypothesis import strategies as st

from tests.support.events import load_event
from tests.support.mediaconvert_model import create_job_model, create_job_violations
from video_pipeline.config import PipelineConfig
from video_pipeline.plan import Plan, plan_pipeline
from video_pipeline.renditions import fit_within, load_frame_capture, load_renditions, output_size
from video_pipeline.upload import Video

ROOT = Path(__file__).resolve().parents[2]
ASL = json.loads((ROOT / "statemachine" / "pipeline.asl.json").read_text(encoding="utf-8"))
ROLE = "arn:aws:iam::123456789012:role/reelscribe-MediaConvertRole"
BOXES = {
    **{r.name: (r.video.maxWidth, r.video.maxHeight) for r in load_renditions() if r.video},
    "frames": (load_frame_capture().maxWidth, load_frame_capture().maxHeight),
}


def _limits() -> tuple[dict[str, int], dict[str, int]]:
    """VideoDescription's Width and Height ranges, as the model states them."""
    settings = create_job_model().input_shape.members["Settings"]
    groups = settings.members["OutputGroups"].member  # type: ignore[attr-defined]
    output = groups.members["Outputs"].member
    description = output.members["VideoDescription"]
    assert isinstance(description, StructureShape)
    return description.members["Width"].metadata, description.members["Height"].metadata


WIDTH, HEIGHT = _limits()


def _plan(width: int, height: int, *, rotation: int = 0, audio: bool = True) -> Plan:
    event = load_event("plan_transcode.json")
    container = event["probe"]["ProbeResults"][0]["Container"]
    if not audio:
        container["Tracks"] = [t for t in container["Tracks"] if t["TrackType"] != "audio"]
    video = next(t for t in container["Tracks"] if t["TrackType"] == "video")
    video["VideoProperties"].update({"Width": width, "Height": height, "Rotation": rotation})
    config = PipelineConfig.model_validate({"OUTPUT_BUCKET": "reelscribe-outputbucket"})
    return plan_pipeline(Video.model_validate(event["video"]), event["probe"], config)


def _create_job_params(plan: Plan) -> dict[str, Any]:
    """Start Transcode Job's parameters, resolved from the ASL as Step Functions does."""
    state = {"plan": plan.model_dump(), "video": {"videoId": "5b1c0ffee0ddba11"}}
    params: dict[str, Any] = {}
    for key, value in ASL["States"]["Start Transcode Job"]["Parameters"].items():
        if key.endswith(".$"):
            node: Any = state
            for part in value.removeprefix("$.").split("."):
                node = node[part]
            params[key.removesuffix(".$")] = node
        else:
            params[key] = re.sub(r"^\$\{MediaConvertRoleArn\}$", ROLE, value)
    return params


def _sizes(plan: Plan) -> dict[str, tuple[int, int]]:
    return {
        group["Name"]: (video["Width"], video["Height"])
        for group in plan.transcode["settings"]["OutputGroups"]
        for output in group["Outputs"]
        if (video := output.get("VideoDescription"))
    }


def _within_model(width: int, height: int) -> bool:
    return WIDTH["min"] <= width <= WIDTH["max"] and HEIGHT["min"] <= height <= HEIGHT["max"]


# ------------------------------------------------------------------ the job, whole
sides = st.integers(1, 20_000)
shapes = st.builds(
    lambda long, ratio, portrait: (
        (max(1, round(long / ratio)), long) if portrait else (long, max(1, round(long / ratio)))
    ),
    st.integers(1, 16_384),
    st.floats(1.0, 500.0),
    st.booleans(),
)


@given(
    size=st.tuples(sides, sides) | shapes,
    rotation=st.sampled_from([0, 90, 180, 270]),
    audio=st.booleans(),
)
def test_plan_pipeline_any_source_size_gives_a_job_within_every_model_limit(
    size: tuple[int, int], rotation: int, audio: bool
) -> None:
    # Given a video of any size and shape, turned or not, with or without sound
    plan = _plan(*size, rotation=rotation, audio=audio)
    # When its CreateJob request is checked as the service checks it
    violations = create_job_violations(_create_job_params(plan))
    # Then nothing is refused, and every video output's Width and Height was among the checks
    assert violations.problems == []
    groups = plan.transcode["settings"]["OutputGroups"]
    checked = [
        path.rsplit(".", 1)[1]
        for path in violations.ranged
        if re.fullmatch(
            r"Settings\.OutputGroups\[\d+\]\.Outputs\[\d+\]\.VideoDescription\.\w+", path
        )
    ]
    assert sorted(checked) == sorted(["Width", "Height"] * 4)
    assert {g["Name"] for g in groups} >= {"web", "phone", "gif", "frames"}


@given(size=st.tuples(sides, sides) | shapes, rotation=st.sampled_from([0, 90]))
def test_plan_pipeline_any_source_size_fits_each_box_and_pads_only_up_to_the_minimum(
    size: tuple[int, int], rotation: int
) -> None:
    # Given any source
    plan = _plan(*size, rotation=rotation)
    shown = size if rotation == 0 else size[::-1]
    # Then each output is the source fitted in its box (shape kept, never enlarged), except a
    # side under MediaConvert's minimum, which is raised to exactly that (DEFAULT scaling pads it)
    for name, (width, height) in _sizes(plan).items():
        fit_w, fit_h = fit_within(*shown, *BOXES[name])
        assert width == (fit_w if fit_w >= WIDTH["min"] else WIDTH["min"]), name
        assert height == (fit_h if fit_h >= HEIGHT["min"] else HEIGHT["min"]), name


def test_plan_pipeline_24_px_source_gives_32_px_outputs_not_24() -> None:
    assert _sizes(_plan(24, 24)) == dict.fromkeys(("web", "phone", "gif", "frames"), (32, 32))


def test_plan_pipeline_1920x100_banner_keeps_its_width_and_pads_the_gif_to_32_px() -> None:
    assert _sizes(_plan(1920, 100)) == {
        "web": (1280, 66),
        "phone": (960, 50),
        "gif": (480, 32),
        "frames": (320, 32),
    }


# ------------------------------------------------------------------ the size rule, any box
@given(width=sides, height=sides, box=st.tuples(st.integers(1, 20_000), st.integers(1, 20_000)))
def test_output_size_any_source_and_box_stays_within_the_model_and_even(
    width: int, height: int, box: tuple[int, int]
) -> None:
    out_w, out_h = output_size(width, height, *box)

    assert _within_model(out_w, out_h), (out_w, out_h)
    assert (out_w % 2, out_h % 2) == (0, 0)


def test_output_size_box_beyond_the_maximum_is_cut_to_it_keeping_the_shape() -> None:
    # A 16:9 source in a box larger than the API allows: 16:9 at the maximum, not a square
    width, height = output_size(16_000, 9_000, 16_384, 9_216)

    assert width == WIDTH["max"]
    assert width / height == 16 / 9
