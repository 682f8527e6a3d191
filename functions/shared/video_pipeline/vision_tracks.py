"""WebVTT metadata tracks, as Media2Cloud makes them: one cue per span, whose payload is JSON
a player's `track kind="metadata"` hands to script (boxes in Rekognition's 0..1 ratios)."""

from __future__ import annotations

import json
from typing import Any

TRACK_KINDS = ("shots", "text", "faces", "moderation")
MIN_CUE_SECONDS = 0.5  # a span seen in a single frame still shows for a moment


def vtt_time(seconds: float) -> str:
    millis = round(max(0.0, seconds) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def metadata_track(kind: str, items: list[dict[str, Any]]) -> str:
    lines = ["WEBVTT", "Kind: metadata", ""]
    for number, item in enumerate(sorted(items, key=lambda i: float(i["start"])), 1):
        start = float(item["start"])
        end = max(float(item["end"]), start + MIN_CUE_SECONDS)
        payload = {"type": kind, **{k: v for k, v in item.items() if k not in ("start", "end")}}
        lines += [
            f"{kind}-{number}",
            f"{vtt_time(start)} --> {vtt_time(end)}",
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            "",
        ]
    return "\n".join(lines)


def people_track(people: list[dict[str, Any]]) -> str:
    """A WebVTT track a player can show as captions: each cue's text is the person's name."""
    lines = ["WEBVTT", ""]
    for number, person in enumerate(sorted(people, key=lambda p: float(p["start"])), 1):
        start = float(person["start"])
        end = max(float(person["end"]), start + MIN_CUE_SECONDS)
        # A cue's text ends at a blank line and "-->" starts a timing line: neither may pass.
        name = " ".join(str(person["name"]).split()).replace("-->", "->")
        lines += [f"people-{number}", f"{vtt_time(start)} --> {vtt_time(end)}", name, ""]
    return "\n".join(lines)
