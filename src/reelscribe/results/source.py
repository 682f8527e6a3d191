"""What a source of one execution's results answers, the same for the local runtime and for an
execution on AWS: the execution, its history, where its outputs and records are, and what it
published."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field

from .objects import Objects


class Message(BaseModel):
    """One notification as it was published: SNS keeps no copy, so each source says where it
    saw it, and how the email that carries it is addressed (by default, as the local runtime
    addresses it)."""

    topic_arn: str
    subject: str
    message: str
    attributes: dict[str, str] = Field(default_factory=dict)
    sent_at: datetime | None = None
    sender: str = "reelscribe <no-reply@reelscribe.local>"
    recipient: str = "you@example.com"
    headers: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def from_publish(cls, params: Mapping[str, Any], **fields: Any) -> Message:
        """From the parameters of an SNS Publish call."""
        attributes = {
            str(name): str((value or {}).get("StringValue", ""))
            for name, value in (params.get("MessageAttributes") or {}).items()
        }
        return cls(
            topic_arn=str(params.get("TopicArn") or ""),
            subject=str(params.get("Subject") or ""),
            message=str(params.get("Message") or ""),
            attributes=attributes,
            **fields,
        )

    def email(self) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = self.recipient
        message["Subject"] = self.subject
        if self.sent_at is not None:
            message["Date"] = format_datetime(self.sent_at)
        message["X-SNS-Topic"] = self.topic_arn
        for name, value in self.headers.items():
            message[name] = value
        for name, value in self.attributes.items():
            message[f"X-Attribute-{name}"] = value
        message.set_content(self.message)
        return message


class ResultSource(Protocol):
    """Where one execution's results are read from."""

    @property
    def execution_arn(self) -> str: ...

    def execution(self) -> dict[str, Any]:
        """DescribeExecution's answer, with the error and cause of a stop where it has them."""

    def history(self) -> list[dict[str, Any]]:
        """The execution's history events, oldest first, as boto3 returns them."""

    def definition(self) -> dict[str, Any] | None:
        """The definition the execution ran, when it may differ from the template's."""

    @property
    def objects(self) -> Objects:
        """Where the outputs are read from."""

    def output_bucket(self, events: list[dict[str, Any]]) -> str | None: ...

    @property
    def dynamodb(self) -> Any: ...

    def tables(self, events: list[dict[str, Any]]) -> Mapping[str, str]:
        """Table names by the template's logical IDs: the files under records/."""

    def messages(self, video_id: str, events: list[dict[str, Any]]) -> list[Message]: ...
