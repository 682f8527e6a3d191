"""Which audio track is transcribed, and what to say when it held no speech.

MediaConvert's Probe lists every audio track but reports neither its disposition (the track a
player plays by default) nor its loudness, and a job selects audio by track number. So the
track is the upload's own choice (its `audio-track` metadata), else the template's AudioTrack,
else track 1, which is what MediaConvert selects by default. Whether that track had sound is
known only once its transcript is read: then the record and the email name the other tracks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from .errors import AudioTrackNotFoundError, InvalidAudioTrackError
from .timed_text import NO_DATA_MIN_WORDS

AUTO = "auto"
# S3 user metadata: `x-amz-meta-audio-track: 2` on the upload; HeadObject returns it lowercased.
METADATA_KEY = "audio-track"
ChosenBy = Literal["default", "template", "upload"]
_WHERE = {
    "template": "the template's AudioTrack parameter",
    "upload": f"the upload's {METADATA_KEY} metadata",
}


class AudioChoice(BaseModel):
    """The audio track the transcode selects, numbered as AudioSelectors' Tracks count them:
    from 1, over the audio tracks only."""

    track: int
    count: int
    chosenBy: ChosenBy = "default"

    @property
    def others(self) -> list[int]:
        return [n for n in range(1, self.count + 1) if n != self.track]


def _parse(value: str, chosen_by: ChosenBy) -> int | None:
    text = value.strip()
    if text.lower() in ("", AUTO):
        return None
    if not text.isdecimal() or int(text) < 1:
        raise InvalidAudioTrackError(
            f"{_WHERE[chosen_by]} is {value!r}; it takes {AUTO} or an audio track number from 1."
        )
    return int(text)


def requested_track(
    upload_metadata: Mapping[str, str], template_value: str
) -> tuple[int | None, ChosenBy]:
    """The upload's choice wins over the template's; `auto` in either leaves it to the next."""
    upload = _parse(upload_metadata.get(METADATA_KEY, ""), "upload")
    if upload is not None:
        return upload, "upload"
    template = _parse(template_value, "template")
    return (template, "template") if template is not None else (None, "default")


def _describe(track: Mapping[str, Any]) -> str:
    props = track.get("AudioProperties") or {}
    facts = [str(track.get("Codec") or "unknown codec")]
    if props.get("Channels"):
        facts.append(f"{props['Channels']} ch")
    if props.get("LanguageCode"):
        facts.append(str(props["LanguageCode"]))
    return ", ".join(facts)


def choose_audio_track(
    probe: Mapping[str, Any], upload_metadata: Mapping[str, str], template_value: str, source: str
) -> AudioChoice | None:
    """The track to transcribe, or None when the upload has no audio at all."""
    results = probe.get("ProbeResults") or [{}]
    tracks = (results[0].get("Container") or {}).get("Tracks") or []
    audios = [t for t in tracks if t.get("TrackType") == "audio"]
    number, chosen_by = requested_track(upload_metadata, template_value)
    if not audios:
        return None
    if number is None:
        return AudioChoice(track=1, count=len(audios))
    if number > len(audios):
        listed = "; ".join(f"{n} ({_describe(t)})" for n, t in enumerate(audios, start=1))
        raise AudioTrackNotFoundError(
            f"{source}: {_WHERE[chosen_by]} asks for audio track {number}, but it has "
            f"{len(audios)} audio track{'s' if len(audios) > 1 else ''}: {listed}."
        )
    return AudioChoice(track=number, count=len(audios), chosenBy=chosen_by)


def _numbers(tracks: list[int]) -> str:
    words = [str(n) for n in tracks]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def silent_track_note(choice: AudioChoice | None, word_count: int) -> str:
    """Empty unless the transcribed track had too little speech to analyse and the upload has
    other audio tracks, which may carry it: then which ones, and how to choose one."""
    if choice is None or not choice.others or word_count >= NO_DATA_MIN_WORDS:
        return ""
    heard = "no speech" if word_count == 0 else f"only {word_count} words"
    others = choice.others
    plural = "s" if len(others) > 1 else ""
    return (
        f"Audio track {choice.track} of {choice.count} was transcribed and had {heard}; "
        f"audio track{plural} {_numbers(others)} {'were' if plural else 'was'} not transcribed. "
        f"To transcribe audio track {others[0]}, upload the file again with the metadata "
        f"{METADATA_KEY}={others[0]} (x-amz-meta-{METADATA_KEY}), or set the AudioTrack "
        "parameter."
    )


def track_line(choice: AudioChoice | None) -> str:
    """Which track was transcribed, said only when there was a choice to make."""
    if choice is None or choice.count < 2:
        return ""
    why = {
        "default": "the first, as MediaConvert selects by default",
        "template": "chosen by the template's AudioTrack parameter",
        "upload": f"chosen by the upload's {METADATA_KEY} metadata",
    }[choice.chosenBy]
    return f"Audio track: {choice.track} of {choice.count} ({why})"
