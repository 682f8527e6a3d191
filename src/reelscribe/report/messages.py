"""The DynamoDB items the execution wrote and the emails it sent."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from ..results import VideoFolder
from .formats import pretty_json
from .templating import render

_SHOWN_FIRST = ("From", "To", "Date")


def _email(path: Path) -> dict[str, Any]:
    try:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    except (OSError, ValueError) as error:
        return {"file": path.name, "problem": str(error)}
    headers = [(name, str(message[name])) for name in _SHOWN_FIRST if message[name]]
    headers += [
        (name, str(value))
        for name, value in message.items()
        if name not in _SHOWN_FIRST
        and name != "Subject"
        and not name.startswith(("Content-", "MIME-"))
    ]
    body = ""
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            body = str(part.get_content())
    return {
        "file": path.name,
        "problem": "",
        "subject": str(message["Subject"] or "(no subject)"),
        "headers": headers,
        "body": body.rstrip(),
    }


def records_section(folder: VideoFolder) -> str:
    tables = [
        {"name": table, "count": len(items), "text": pretty_json(items)}
        for table, items in folder.records.items()
    ]
    return render("records.html.j2", tables=tables, emails=[_email(path) for path in folder.emails])
