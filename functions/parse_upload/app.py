"""Parse Upload: decode the S3 Object Created event into the video's identity."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.errors import InvalidUploadEventError
from video_pipeline.handler_input import parse_event
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.upload import video_from_event


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    upload = parse_event(
        event,
        S3EventNotificationEventBridgeModel,
        expected="an S3 Object Created event",
        error=InvalidUploadEventError,
    )
    obj = upload.detail.object
    video = video_from_event(
        upload.detail.bucket.name,
        obj.key,
        obj.size,
        obj.version_id,
        obj.sequencer,
        obj.etag,
        upload.time,
    )
    logger.info("Upload parsed", extra={"video": video.model_dump()})
    return video.model_dump()
