"""Read Transcript: parse Transcribe's output and build the metadata table item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.analysis_branches import read_document
from video_pipeline.config import load_config
from video_pipeline.dynamo import to_attribute_values
from video_pipeline.handler_input import parse_event
from video_pipeline.language_check import checked_language
from video_pipeline.models import ReadTranscriptRequest
from video_pipeline.notifications import excerpt
from video_pipeline.observability import logger, metrics, tracer
from video_pipeline.output_keys import s3_uri
from video_pipeline.transcript_record import metadata_item, parse_transcript

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_transcribe import TranscribeServiceClient

CONFIG = load_config()
s3: S3Client = boto3.client("s3")
transcribe: TranscribeServiceClient = boto3.client("transcribe")


@logger.inject_lambda_context(correlation_id_path="video.videoId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = parse_event(event, ReadTranscriptRequest)
    key = request.transcribe.outputKey
    document = read_document(s3, CONFIG.output_bucket, key)
    language = request.job.LanguageCode
    warning = checked_language(transcribe, request.transcribe.languageCheck, language)
    summary = parse_transcript(document, language_code=language, language_warning=warning)
    item = metadata_item(
        summary,
        json_key=key,
        json_uri=s3_uri(CONFIG.output_bucket, key),
        user_id=request.video.userId,
        video_id=request.video.videoId,
        inline_limit_bytes=CONFIG.transcript_inline_bytes,
    )
    return {
        "summary": summary.model_dump() | {"transcript": excerpt(summary.transcript)},
        "item": to_attribute_values(item),
    }
