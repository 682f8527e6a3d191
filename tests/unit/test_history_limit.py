"""One execution's history stays well inside Step Functions' 25,000 events for any media the
template accepts: the poll loops' bounds come from the plan, their events from the ASL."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from reelscribe.runtime.deployment import _assign_names
from reelscribe.template import Template
from tests.support.events import load_event
from tests.support.history_bound import HISTORY_LIMIT, HistoryBound, loops
from video_pipeline.config import PipelineConfig
from video_pipeline.models import PlanRequest
from video_pipeline.plan import plan_pipeline

ROOT = Path(__file__).resolve().parents[2]
ASL = json.loads((ROOT / "statemachine/pipeline.asl.json").read_text())
# "Well under": a fifth of the limit is left for whatever the bound does not foresee.
WELL_UNDER = 0.8 * HISTORY_LIMIT


def _longest_media_seconds() -> float:
    """The longest media any deployment accepts: MaxMediaSeconds's own upper bound."""
    spec = Template.load(ROOT / "template.yaml").body["Parameters"]["MaxMediaSeconds"]
    return float(spec["MaxValue"])


def _with_audio_tracks(event: dict[str, Any], count: int) -> dict[str, Any]:
    result = event["probe"]["ProbeResults"][0]
    tracks = result["Container"]["Tracks"]
    audio = next(t for t in tracks if t["TrackType"] == "audio")
    for _ in range(count - 1):
        tracks.append({**copy.deepcopy(audio), "Index": max(t["Index"] for t in tracks) + 1})
    return event


def _plan(duration: float, overrides: dict[str, str], audio_tracks: int = 1) -> dict[str, Any]:
    # The functions' configuration as the template's Globals give it
    template = Template.load(ROOT / "template.yaml", overrides)
    _assign_names(template)
    variables = template.globals_for("Function")["Environment"]["Variables"]
    config = PipelineConfig.model_validate({k: template.resolve(v) for k, v in variables.items()})
    event = _with_audio_tracks(copy.deepcopy(load_event("plan_transcode.json")), audio_tracks)
    event["probe"]["ProbeResults"][0]["Container"]["Duration"] = duration
    request = PlanRequest.model_validate(event)
    return plan_pipeline(request.video, request.probe, config).model_dump()


def _bound(duration: float, overrides: dict[str, str], audio_tracks: int = 1) -> int:
    plan = _plan(duration, overrides, audio_tracks)
    return HistoryBound(ASL["States"], {"plan": plan}).of_machine()


def test_history_bound_state_machine_has_a_loop_for_every_polled_job() -> None:
    # The transcode and the transcription at the top, one vision job per Map item
    top = loops(ASL["States"])
    collect = loops(ASL["States"]["Analyze Video"]["ItemProcessor"]["States"])
    assert {"Wait for Transcode", "Get Transcode Job"} <= set().union(*top)
    assert {"Wait for Transcription", "Get Transcription Job"} <= set().union(*top)
    assert {"Wait for Vision Job", "Get Vision Job"} <= set().union(*collect)
    assert len(top) == 2
    assert len(collect) == 1
    # The transcription's poll loop turns inside the loop that tries the next audio track
    (transcription,) = [loop for loop in top if "Wait for Transcription" in loop]
    assert {"Is There Another Track to Try?", "Try the Next Audio Track"} <= transcription


@pytest.mark.parametrize(
    "overrides",
    [{}, {"MinPollSeconds": "1", "MaxPollSeconds": "1"}, {"MaxPollSeconds": "3600"}],
    ids=["defaults", "one-second-polls", "long-max-wait"],
)
def test_history_bound_longest_accepted_media_stays_well_under_the_limit(
    overrides: dict[str, str],
) -> None:
    # Given the longest media the template accepts, every loop polled to its bound and every
    # call retried to its limit
    events = _bound(_longest_media_seconds(), overrides)

    # Then the execution's history is still well inside the limit
    assert events < WELL_UNDER, events


@pytest.mark.parametrize("duration", [1.0, 60.0, 600.0, 1800.0, 2 * 3600.0])
def test_history_bound_any_shorter_media_stays_well_under_the_limit(duration: float) -> None:
    assert _bound(duration, {}) < WELL_UNDER


def test_history_bound_two_hour_video_polls_each_job_less_often_than_once_a_minute() -> None:
    # A two-hour video's loops wait longer between checks rather than checking 495 times
    plan = _plan(2 * 3600.0, {})
    polls = [plan["transcode"]["poll"], plan["transcribe"]["poll"]]
    polls += [job["poll"] for job in plan["vision"]["jobs"]]
    for poll in polls:
        assert poll["waitSeconds"] > 60
        # ... and the checks still outlast four times the video
        assert poll["waitSeconds"] * poll["maxPolls"] >= 4 * 2 * 3600.0
        assert poll["maxPolls"] < math.ceil(2 * 3600.0 / 60)


@pytest.mark.parametrize("audio_tracks", [2, 8, 12])
def test_history_bound_longest_media_with_every_audio_track_tried_stays_well_under_the_limit(
    audio_tracks: int,
) -> None:
    # Given the longest media, its audio left to auto, and no speech on any track: every
    # track's transcription polled to its bound, each call retried to its limit
    events = _bound(_longest_media_seconds(), {}, audio_tracks)

    # Then the execution's history is still well inside the limit
    assert events < WELL_UNDER, events
    assert events > _bound(_longest_media_seconds(), {}, 1)
