"""Summarize Video: build the completed record and the success notification."""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.handler_input import parse_event
from video_pipeline.models import SummaryRequest
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.summary import summarize

CONFIG = load_config()


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, SummaryRequest)
    metrics.add_metric(name="VideosCompleted", unit=MetricUnit.Count, value=1)
    return summarize(request, CONFIG.output_bucket)
