"""The DynamoDB items the execution wrote and the emails it sent."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from ..results import VideoFolder
from .html import esc, pretty_json

_SHOWN_FIRST = ("From", "To", "Date")


def _email(path: Path) -> str:
    try:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    except (OSError, ValueError) as error:
        problem = f"{esc(path.name)}: {esc(error)}"
        return f'<article class="email"><p class="empty">{problem}</p></article>'
    headers = [(name, str(message[name])) for name in _SHOWN_FIRST if message[name]]
    headers += [
        (name, str(value))
        for name, value in message.items()
        if name not in _SHOWN_FIRST
        and name != "Subject"
        and not name.startswith(("Content-", "MIME-"))
    ]
    rows = "".join(f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in headers)
    body = ""
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            body = str(part.get_content())
    return (
        f'<article class="email"><h3>{esc(message["Subject"] or "(no subject)")}</h3>'
        f"<dl>{rows}</dl><pre>{esc(body.rstrip())}</pre>"
        f'<p class="files"><a href="notifications/{esc(path.name)}">{esc(path.name)}</a></p>'
        "</article>"
    )


def records_section(folder: VideoFolder) -> str:
    if folder.records:
        blocks = "".join(
            f"<h3><code>{esc(table)}</code> · {len(items)} item{'s' if len(items) != 1 else ''}"
            f"</h3><pre>{esc(pretty_json(items))}</pre>"
            for table, items in folder.records.items()
        )
    else:
        blocks = '<p class="empty">No DynamoDB items were written for this video.</p>'
    emails = "".join(_email(path) for path in folder.emails) or (
        '<p class="empty">No notification was sent (or none could be fetched).</p>'
    )
    return (
        f'<div class="two-col"><div class="records"><h3 class="sub">DynamoDB items</h3>{blocks}'
        f'</div><div><h3 class="sub">Notifications</h3>{emails}</div></div>'
    )
