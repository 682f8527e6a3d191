"""Plan Transcode: check the probed media and build the MediaConvert job and poll plans."""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.models import PlanRequest
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.plan import plan_pipeline

CONFIG = load_config()


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, PlanRequest)
    plan = plan_pipeline(
        request.video, request.probe, CONFIG, request.mediaKind, request.upload_metadata
    )
    metrics.add_metric(
        name="MediaSeconds", unit=MetricUnit.Seconds, value=plan.media.durationSeconds
    )
    return plan.model_dump()
