"""What MediaConvert's Probe says about an upload, reduced to what the pipeline decides on."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from .errors import NotAVideoError, UnreadableMediaError

MediaKind = Literal["video", "audio"]


class MediaInfo(BaseModel):
    durationSeconds: float
    width: int
    height: int
    hasAudio: bool
    format: str
    kind: MediaKind = "video"


def media_info_from_probe(
    probe: dict[str, Any], source: str, kind: MediaKind = "video"
) -> MediaInfo:
    """The probe read as the kind the state machine chose: a video needs a picture track,
    an audio file (no picture track at all) needs a sound track."""
    results = probe.get("ProbeResults") or []
    container = (results[0].get("Container") or {}) if results else {}
    tracks = container.get("Tracks") or []
    if not tracks:
        raise UnreadableMediaError(f"{source} is not a readable media file: no tracks were found.")
    videos = [t for t in tracks if t.get("TrackType") == "video"]
    audios = [t for t in tracks if t.get("TrackType") == "audio"]
    if kind == "audio":
        return _audio_info(container, audios, source)
    if not videos:
        kinds = ", ".join(sorted({str(t.get("TrackType")) for t in tracks}))
        raise NotAVideoError(f"{source} has no video track (found: {kinds}).")
    props = videos[0].get("VideoProperties") or {}
    width, height = int(props.get("Width") or 0), int(props.get("Height") or 0)
    if width <= 0 or height <= 0:
        raise UnreadableMediaError(f"{source} has a video track with no picture size.")
    if int(props.get("Rotation") or 0) % 180 == 90:
        width, height = height, width  # players show it turned, so outputs must be too
    duration = float(container.get("Duration") or videos[0].get("Duration") or 0.0)
    if duration <= 0:
        raise UnreadableMediaError(f"{source} has no playable duration.")
    return MediaInfo(
        durationSeconds=duration,
        width=width,
        height=height,
        hasAudio=bool(audios),
        format=str(container.get("Format") or "unknown"),
    )


def _audio_info(container: dict[str, Any], audios: list[dict[str, Any]], source: str) -> MediaInfo:
    if not audios:
        kinds = ", ".join(sorted({str(t.get("TrackType")) for t in container.get("Tracks") or []}))
        raise UnreadableMediaError(f"{source} has no audio track (found: {kinds}).")
    duration = float(container.get("Duration") or audios[0].get("Duration") or 0.0)
    if duration <= 0:
        raise UnreadableMediaError(f"{source} has no playable duration.")
    return MediaInfo(
        durationSeconds=duration,
        width=0,
        height=0,
        hasAudio=True,
        format=str(container.get("Format") or "unknown"),
        kind="audio",
    )
