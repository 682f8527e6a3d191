"""Analyze Video's plan: which Rekognition Video jobs run on which rendition, and where the
frame captures that become shot thumbnails are written."""

from __future__ import annotations

import math

from pydantic import BaseModel

from .output_keys import output_prefix
from .polling import MAX_POLLS, PollPlan, poll_plan, shared_poll_plan
from .renditions import load_frame_capture
from .upload import Video, slug
from .vision_model import VISION_KINDS as VISION_KINDS  # every kind the stage knows

# The rendition Rekognition Video reads: it takes H.264 in MP4 or MOV, which the upload may not be.
ANALYSED_RENDITION = "web"
# MediaConvert's stills are working material: the shots' thumbnails and the poster are copied
# out of them into output/vision/.
FRAMES_KIND = "frames"
# The video jobs share the checks six of them had at MAX_POLLS each: a kind added (face search)
# checks each job a little less often, as long in all, and the execution's history stays bounded.
VISION_CHECKS = 6 * MAX_POLLS


class VisionJob(BaseModel):
    kind: str
    videoId: str
    analysedKey: str
    rawKey: str
    poll: PollPlan


class FrameCaptures(BaseModel):
    prefix: str  # s3 key the MediaConvert destination names: <prefix>.0000000.jpg, ...
    intervalSeconds: int
    maxCaptures: int


class VisionPlan(BaseModel):
    analysedKey: str = ""
    prefix: str = ""
    jobs: list[VisionJob] = []
    captures: FrameCaptures | None = None


def vision_prefix(video: Video) -> str:
    return output_prefix("vision", video)


def raw_key(video: Video, kind: str) -> str:
    """Where a kind's raw Rekognition results go, for videos and pictures alike."""
    return f"{vision_prefix(video)}raw/{kind}.json"


def frames_prefix(video: Video) -> str:
    """Where MediaConvert's frame captures go: <prefix>.0000000.jpg, <prefix>.0000001.jpg..."""
    return f"{output_prefix(FRAMES_KIND, video)}{slug(video.baseName)}"


def capture_interval(duration_seconds: float) -> int:
    """Seconds between captures: one a second, unless that would pass MaxCaptures."""
    return max(1, math.ceil(duration_seconds / load_frame_capture().maxCaptures))


def plan_vision(
    video: Video,
    duration_seconds: float,
    renditions: dict[str, str],
    min_wait: int,
    max_wait: int,
) -> VisionPlan:
    """No web rendition (an audio upload) means no jobs: the stage then has nothing to run."""
    analysed = renditions.get(ANALYSED_RENDITION)
    if not analysed:
        return VisionPlan()
    prefix = vision_prefix(video)
    poll = shared_poll_plan(
        poll_plan(duration_seconds, min_wait, max_wait), len(VISION_KINDS), VISION_CHECKS
    )
    jobs = [
        VisionJob(
            kind=kind,
            videoId=video.videoId,
            analysedKey=analysed,
            rawKey=raw_key(video, kind),
            poll=poll,
        )
        for kind in VISION_KINDS
    ]
    captures = FrameCaptures(
        prefix=frames_prefix(video),
        intervalSeconds=capture_interval(duration_seconds),
        maxCaptures=load_frame_capture().maxCaptures,
    )
    return VisionPlan(analysedKey=analysed, prefix=prefix, jobs=jobs, captures=captures)
