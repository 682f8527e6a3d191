"""The success and failure messages: readable by a person, filterable by attributes."""

from __future__ import annotations

import textwrap
from typing import Any

EXCERPT_CHARACTERS = 400


def sns_attributes(values: dict[str, str]) -> dict[str, dict[str, str]]:
    return {k: {"DataType": "String", "StringValue": v} for k, v in values.items() if v}


def sns_subject(text: str) -> str:
    """SNS subjects are UTF-8 text on one line, without control characters, under 100
    characters: a file name keeps its own letters, whatever its script."""
    printable = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(printable.split())[:99]


def excerpt(transcript: str) -> str:
    if len(transcript) <= EXCERPT_CHARACTERS:
        return transcript
    return transcript[:EXCERPT_CHARACTERS].rsplit(" ", 1)[0] + " ..."


def success_message(
    *,
    file_name: str,
    user_id: str,
    video_id: str,
    duration: float,
    bucket: str,
    renditions: dict[str, str],
    transcript: str | None,
    language: str | None,
    insight: dict[str, Any] | None = None,
    vision: dict[str, Any] | None = None,
    noun: str = "video",
    language_warning: str = "",
    audio_lines: list[str] | None = None,
) -> str:
    lines = [
        f"Your {noun} {file_name} has been processed.",
        "",
        f"User: {user_id}",
        f"Video id: {video_id}",
        f"Duration: {duration:.1f} s",
        "",
        "Renditions:",
        *(f"  {name:<6} s3://{bucket}/{key}" for name, key in renditions.items()),
        "",
    ]
    if transcript is None:
        lines.append("Transcript: none, because the video has no audio track.")
    elif not transcript.strip():
        lines.append("Transcript: empty; no speech was recognised.")
    else:
        if language_warning:
            lines.extend([*textwrap.wrap(f"Warning: {language_warning}", width=78), ""])
        lines.append(f"Transcript ({language or 'unknown language'}):")
        lines.extend(
            textwrap.wrap(
                excerpt(transcript), width=76, initial_indent="  ", subsequent_indent="  "
            )
        )
    for line in audio_lines or []:
        lines.extend(textwrap.wrap(line, width=78))
    lines.extend(_insight_lines(insight or {}))
    lines.extend(_vision_lines(vision or {}))
    return "\n".join(lines) + "\n"


def _insight_lines(insight: dict[str, Any]) -> list[str]:
    if not insight:
        return []
    lines = [""]
    scores = insight.get("scores") or {}
    detail = ", ".join(f"{name} {float(value):.2f}" for name, value in scores.items())
    label = insight.get("sentiment")
    lines.append(
        f"Overall sentiment: {label} ({detail})" if detail else f"Overall sentiment: {label}"
    )
    if insight.get("keyPhrases"):
        lines.append("Key phrases: " + ", ".join(insight["keyPhrases"]))
    if insight.get("entities"):
        lines.append("Entities: " + ", ".join(insight["entities"]))
    for kind, key in (insight.get("subtitles") or {}).items():
        lines.append(f"Subtitles ({kind}): {key}")
    return lines


def _vision_lines(vision: dict[str, Any]) -> list[str]:
    if not vision.get("analysed"):
        return []
    lines = ["", f"Shots: {int(vision.get('shotCount') or 0)}"]
    if vision.get("textExcerpt"):
        lines.append(f"On-screen text: {vision['textExcerpt']}")
    if vision.get("people"):
        lines.append("People: " + ", ".join(vision["people"]))
    if vision.get("needsReview"):
        labels = ", ".join(vision.get("reviewLabels") or [])
        lines.append(f"Needs review: moderation found {labels}.")
    if vision.get("posterKey"):
        lines.append(f"Poster: {vision['posterKey']}")
    if vision.get("unavailable"):
        lines.append("Not analysed: " + ", ".join(vision["unavailable"]))
    return lines


def failure_message(
    *,
    file_name: str | None,
    source: str | None,
    state: str,
    error: str,
    reason: str,
    execution: str,
    noun: str = "video",
) -> str:
    """`noun` says what the upload is: video, audio file, picture, or file before it is known."""
    what = f"Your {noun} {file_name}" if file_name else "An upload"
    lines = [
        f"{what} could not be processed.",
        "",
        f"Failed state: {state}",
        f"Error: {error}",
        f"Reason: {reason}",
    ]
    if source:
        lines.append(f"Source: {source}")
    lines += ["", f"Execution: {execution}", "", "Nothing was deleted: the upload is kept."]
    return "\n".join(lines) + "\n"


def attributes_for(status: str, **values: Any) -> dict[str, dict[str, str]]:
    return sns_attributes(
        {"status": status, **{k: str(v) for k, v in values.items() if v is not None}}
    )
