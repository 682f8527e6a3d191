"""Rekognition Video's asynchronous jobs: one table of the seven kinds, a start, and a collect
that follows NextToken through every page and keeps Rekognition's own shapes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from botocore.exceptions import ClientError
from pydantic import BaseModel

from .config import PipelineConfig
from .errors import (
    VisionJobLimitError,
    VisionJobNotStartedError,
    VisionJobReadError,
    VisionServiceBusyError,
)
from .failures import plain_cause
from .vision_plan import VisionJob

if TYPE_CHECKING:
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

# Codes that say "try again shortly"; everything else is the job's own answer.
_BUSY_CODES = frozenset(
    {"ThrottlingException", "ProvisionedThroughputExceededException", "InternalServerError"}
)
# A Start* over the account's concurrent-job quota: it holds until running jobs end, which
# takes minutes, so it has an error (and a retry) of its own.
_JOB_LIMIT_CODE = "LimitExceededException"
PAGE_SIZE = 1000  # the largest MaxResults every Get* takes
MAX_PAGES = 10_000  # a bound on a paging loop whose tokens never end


@dataclass(frozen=True)
class VisionKind:
    kind: str
    start: str  # boto3 method names
    get: str
    items: str  # the list Get* pages
    start_parameters: dict[str, Any] = field(default_factory=dict)


KINDS: dict[str, VisionKind] = {
    k.kind: k
    for k in (
        VisionKind(
            "shots",
            "start_segment_detection",
            "get_segment_detection",
            "Segments",
            {"SegmentTypes": ["SHOT", "TECHNICAL_CUE"]},
        ),
        VisionKind("text", "start_text_detection", "get_text_detection", "TextDetections"),
        VisionKind(
            "faces",
            "start_face_detection",
            "get_face_detection",
            "Faces",
            {"FaceAttributes": "DEFAULT"},
        ),
        VisionKind(
            "moderation",
            "start_content_moderation",
            "get_content_moderation",
            "ModerationLabels",
        ),
        VisionKind("labels", "start_label_detection", "get_label_detection", "Labels"),
        VisionKind("face_search", "start_face_search", "get_face_search", "Persons"),
        VisionKind(
            "celebrities",
            "start_celebrity_recognition",
            "get_celebrity_recognition",
            "Celebrities",
        ),
    )
}


class StartedJob(BaseModel):
    jobId: str


class StartedVisionJob(VisionJob):
    """A planned job with the id Start Vision Job returned, as Get Vision Job receives it."""

    job: StartedJob


@dataclass(frozen=True)
class JobState:
    status: str
    message: str
    items: int


def vision_kind(kind: str) -> VisionKind:
    if kind not in KINDS:
        raise VisionJobNotStartedError(f"No Rekognition Video job is known for {kind!r}.")
    return KINDS[kind]


def _raise_for(error: ClientError, operation: str, other: type[Exception]) -> NoReturn:
    code = str(error.response.get("Error", {}).get("Code", ""))
    message = plain_cause(str(error.response.get("Error", {}).get("Message", ""))) or code
    if code == _JOB_LIMIT_CODE:
        raise VisionJobLimitError(f"Rekognition {operation}: {code}: {message}") from error
    if code in _BUSY_CODES:
        raise VisionServiceBusyError(f"Rekognition {operation}: {code}: {message}") from error
    raise other(f"Rekognition {operation} failed ({code}): {message}") from error


def client_token(video_id: str, kind: str) -> str:
    """The same video and kind start the same job again on a redrive (64 characters at most)."""
    return f"{video_id}-{kind}"[:64]


def face_search_parameters(config: PipelineConfig) -> dict[str, Any]:
    return {
        "CollectionId": config.face_collection_id,
        "FaceMatchThreshold": config.face_match_threshold,
    }


def start_job(
    client: RekognitionClient,
    kind: str,
    bucket: str,
    key: str,
    video_id: str,
    configured: dict[str, Any] | None = None,
) -> str:
    """`configured` adds the parameters the deployment decides (face search's collection)."""
    spec = vision_kind(kind)
    try:
        response = getattr(client, spec.start)(
            Video={"S3Object": {"Bucket": bucket, "Name": key}},
            ClientRequestToken=client_token(video_id, kind),
            JobTag=video_id,
            **spec.start_parameters,
            **(configured or {}),
        )
    except ClientError as error:
        _raise_for(error, spec.start, VisionJobNotStartedError)
    return str(response["JobId"])


def get_all_pages(client: RekognitionClient, kind: str, job_id: str) -> dict[str, Any]:
    """Get* for a job; once it SUCCEEDED, every page merged into the first one's shape."""
    spec = vision_kind(kind)
    merged: dict[str, Any] = {}
    token: str | None = None
    for _ in range(MAX_PAGES):
        arguments: dict[str, Any] = {"JobId": job_id, "MaxResults": PAGE_SIZE}
        if token:
            arguments["NextToken"] = token
        try:
            page = dict(getattr(client, spec.get)(**arguments))
        except ClientError as error:
            _raise_for(error, spec.get, VisionJobReadError)
        page.pop("ResponseMetadata", None)
        token = page.pop("NextToken", None)
        if not merged:
            merged = page
            merged[spec.items] = list(page.get(spec.items) or [])
        else:
            merged[spec.items].extend(page.get(spec.items) or [])
        if merged.get("JobStatus") != "SUCCEEDED" or not token:
            return merged
    raise VisionJobReadError(f"Rekognition {spec.get} for job {job_id} never ended its pages.")


def collect_job(
    client: RekognitionClient, s3: S3Client, bucket: str, kind: str, job_id: str, raw_key: str
) -> JobState:
    """Look at a job; when it has SUCCEEDED, store its merged items at `raw_key`."""
    response = get_all_pages(client, kind, job_id)
    status = str(response.get("JobStatus") or "IN_PROGRESS")
    items = response.get(vision_kind(kind).items) or []
    if status == "SUCCEEDED":
        body = json.dumps(response, default=str, ensure_ascii=False).encode()
        try:
            s3.put_object(Bucket=bucket, Key=raw_key, Body=body, ContentType="application/json")
        except ClientError as error:
            _raise_for(error, "PutObject", VisionJobReadError)
    return JobState(status, str(response.get("StatusMessage") or ""), len(items))
