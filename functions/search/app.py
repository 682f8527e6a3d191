"""GET /search: the library's moments that match, grouped by upload, with facets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext

from video_pipeline.config import load_config
from video_pipeline.errors import DatabaseResumingError, SearchQueryError
from video_pipeline.observability import logger, tracer
from video_pipeline.search_index import Cluster, Library, search
from video_pipeline.search_request import query_from_parameters

if TYPE_CHECKING:
    from mypy_boto3_rds_data import RDSDataServiceClient

CONFIG = load_config()
rds_data: RDSDataServiceClient = boto3.client("rds-data")
library = Library(rds_data, Cluster.of(CONFIG))
app = APIGatewayHttpResolver()


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(status, content_types.APPLICATION_JSON, json.dumps(body), headers=headers)


@app.get("/search")
def get_search() -> Response[str]:
    try:
        query = query_from_parameters(app.current_event.query_string_parameters)
        return _json(200, search(library, query))
    except SearchQueryError as error:
        return _json(400, {"message": str(error)})
    except DatabaseResumingError:
        # A paused Aurora takes about half a minute to resume; the caller may ask again then.
        message = "The library is resuming from a pause; ask again in half a minute."
        return _json(503, {"message": message}, {"Retry-After": "30"})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
