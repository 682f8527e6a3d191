"""Transcribe output for the tests: a stored job document, and items built from a compact list
of words and punctuation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# A finished job's document as Transcribe writes it (language identification included).
SAMPLE_DOCUMENT = Path(__file__).with_name("transcribe_output.json")

# A word with its start and end, or a punctuation mark (no times, as Transcribe writes it).
Token = tuple[str, float, float] | str


def transcribe_items(tokens: list[Token]) -> list[dict[str, Any]]:
    """Transcribe's results.items: every number is a string."""
    items: list[dict[str, Any]] = []
    for index, token in enumerate(tokens):
        if isinstance(token, str):
            items.append(
                {
                    "id": index,
                    "type": "punctuation",
                    "alternatives": [{"confidence": "0.0", "content": token}],
                }
            )
        else:
            content, start, end = token
            items.append(
                {
                    "id": index,
                    "type": "pronunciation",
                    "alternatives": [{"confidence": "0.97", "content": content}],
                    "start_time": str(start),
                    "end_time": str(end),
                }
            )
    return items


def sample_transcribe_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE_DOCUMENT.read_text(encoding="utf-8"))
    return document
