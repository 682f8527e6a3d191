"""Which audio track is transcribed, and what to say when it held no speech.

MediaConvert's Probe lists every audio track but reports neither its disposition (the track a
player plays by default) nor its loudness, and a job selects audio by track number. So the
track is the upload's own choice (its `audio-track` metadata), else the template's AudioTrack,
else `auto`: the first track with speech. Whether a track has speech is known only once its
transcript is read, so for `auto` the transcode also writes each other track (up to
MAX_TRACKS_TRIED) as a small MP3, and the state machine transcribes them in turn while the
transcript has no words. The record and the email name the track transcribed, and the tracks
left untried when it had too little speech.
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
# The most audio tracks `auto` transcribes in turn: each try is one more transcription job and
# poll loop in the execution's history.
MAX_TRACKS_TRIED = 8
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
    # For `auto` with several audio tracks: the tracks transcribed in turn, in this order, until
    # one has speech. Empty when the track was chosen, or is the only one.
    searched: list[int] = []

    @property
    def tried(self) -> list[int]:
        """The tracks transcribed, `track` the last."""
        if self.track in self.searched:
            return self.searched[: self.searched.index(self.track) + 1]
        return [self.track]

    @property
    def others(self) -> list[int]:
        """The tracks not transcribed."""
        return [n for n in range(1, self.count + 1) if n not in self.tried]


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
        searched = list(range(1, min(len(audios), MAX_TRACKS_TRIED) + 1))
        return AudioChoice(
            track=1, count=len(audios), searched=searched if len(searched) > 1 else []
        )
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
    """Empty unless the transcribed track had too little speech to analyse and either `auto`
    tried other tracks before it or the upload has tracks not transcribed: then which were
    tried, which were not, and how to choose one."""
    if choice is None or word_count >= NO_DATA_MIN_WORDS:
        return ""
    tried, others = choice.tried, choice.others
    if len(tried) > 1 and word_count == 0:
        said = (
            f"Audio tracks {_numbers(tried)} of {choice.count} were transcribed in turn and "
            "none had speech"
        )
    elif others:
        heard = "no speech" if word_count == 0 else f"only {word_count} words"
        said = f"Audio track {choice.track} of {choice.count} was transcribed and had {heard}"
    else:
        return ""
    if not others:
        return f"{said}."
    plural = "s" if len(others) > 1 else ""
    return (
        f"{said}; audio track{plural} {_numbers(others)} {'were' if plural else 'was'} not "
        "transcribed. "
        f"To transcribe audio track {others[0]}, upload the file again with the metadata "
        f"{METADATA_KEY}={others[0]} (x-amz-meta-{METADATA_KEY}), or set the AudioTrack "
        "parameter."
    )


def track_line(choice: AudioChoice | None, word_count: int) -> str:
    """Which track was transcribed, said only when there was a choice to make."""
    if choice is None or choice.count < 2:
        return ""
    if choice.chosenBy == "default":
        found = word_count > 0
        why = "the first with speech" if found else f"the last of {len(choice.tried)} tried"
        return f"Audio track: {choice.track} of {choice.count} ({why})"
    why = {
        "template": "chosen by the template's AudioTrack parameter",
        "upload": f"chosen by the upload's {METADATA_KEY} metadata",
    }[choice.chosenBy]
    return f"Audio track: {choice.track} of {choice.count} ({why})"
