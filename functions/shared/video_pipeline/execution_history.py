"""An execution's history, read page by page through GetExecutionHistory's paginator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions import SFNClient


def history_events(
    sfn: SFNClient, execution_arn: str, *, newest_first: bool = True, include_data: bool = False
) -> Iterator[dict[str, Any]]:
    """The events one page at a time, so a reader that finds what it looks for near the end
    of a long poll loop's history (newest first) stops paging there. `include_data` adds the
    states' input and output, which a reader looking only for names should not pay for."""
    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=execution_arn, reverseOrder=newest_first, includeExecutionData=include_data
    )
    for page in pages:
        for event in page["events"]:
            yield dict(event)
