"""The local runtime as a source of one execution's results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..runtime.local import LocalRuntime, ending_details
from .objects import Objects
from .source import Message


class LocalSource:
    def __init__(self, runtime: LocalRuntime, execution_arn: str) -> None:
        self.runtime = runtime
        self.execution_arn = execution_arn
        self._history: list[dict[str, Any]] | None = None

    def execution(self) -> dict[str, Any]:
        """DescribeExecution, with the error and cause of a stop, which moto keeps only in the
        history's last event."""
        described = self.runtime.describe(self.execution_arn)
        ending = ending_details(self.history()[-1:])
        for key in ("error", "cause"):
            if not described.get(key) and ending.get(key):
                described[key] = ending[key]
        return described

    def history(self) -> list[dict[str, Any]]:
        if self._history is None:  # read once: the execution has ended
            self._history = self.runtime.history(self.execution_arn)
        return self._history

    def definition(self) -> dict[str, Any] | None:
        return None  # the template's: the report reads it from there

    @property
    def objects(self) -> Objects:
        return self.runtime.objects

    def output_bucket(self, events: list[dict[str, Any]]) -> str | None:
        return self.runtime.output_bucket

    @property
    def dynamodb(self) -> Any:
        return self.runtime.session.client("dynamodb")

    def tables(self, events: list[dict[str, Any]]) -> Mapping[str, str]:
        return self.runtime.deployment.tables

    def messages(self, video_id: str, events: list[dict[str, Any]]) -> list[Message]:
        """What the runtime saw published for this video, addressed to the template's
        subscriber as SNS's email would be."""
        subscriber = self.runtime.template.parameters.get("NotificationEmail")
        address = {"recipient": str(subscriber)} if subscriber else {}
        return [
            Message.model_validate(n, from_attributes=True).model_copy(update=address)
            for n in self.runtime.notifications
            if (video_id and n.attributes.get("videoId") == video_id)
            or self.execution_arn in n.message
        ]
