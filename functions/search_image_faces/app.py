"""Search Image Faces: each face found in a picture, searched among the enrolled people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.image_face_search import ImageFaceSearchRequest, search_image_faces
from video_pipeline.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

CONFIG = load_config()
rekognition: RekognitionClient = boto3.client("rekognition")
s3: S3Client = boto3.client("s3")


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, ImageFaceSearchRequest)
    return search_image_faces(
        rekognition, s3, request, CONFIG.face_collection_id, CONFIG.face_match_threshold
    )
