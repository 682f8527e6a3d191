"""Plan Transcode: everything the state machine needs to run the transcode and transcription."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from .audio_tracks import AudioChoice, choose_audio_track
from .config import PipelineConfig
from .errors import MediaTooLongError
from .language_check import LanguageCheckPlan
from .media import MediaInfo, MediaKind, media_info_from_probe
from .output_keys import output_key, s3_uri
from .polling import MAX_POLLS, PollPlan, poll_plan, shared_poll_plan
from .renditions import Rendition, load_renditions
from .transcode_job import (
    applicable_renditions,
    build_job_settings,
    other_track_key,
    rendition_keys,
)
from .upload import Video
from .vision_plan import VisionPlan, plan_vision

_JOB_NAME_UNSAFE = re.compile(r"[^0-9a-zA-Z._-]+")


class TranscribePlan(BaseModel):
    jobName: str
    mediaUri: str
    mediaFormat: str
    outputKey: str
    languageCode: str
    identifyLanguage: bool
    # Identification among these only (StartTranscriptionJob's LanguageOptions); empty: any.
    languageOptions: list[str] = []
    poll: PollPlan
    # With a language given: the identifying job that checks it (language_check.py).
    languageCheck: LanguageCheckPlan | None = None
    # The audio track this job hears, and the job for the next track, which the state machine
    # runs instead when this one's transcript has no words (audio_tracks.py).
    audioTrack: int = 1
    nextTry: TranscribePlan | None = None


class Plan(BaseModel):
    media: MediaInfo
    renditions: dict[str, str]
    transcode: dict[str, Any]
    transcribe: TranscribePlan | None
    vision: VisionPlan = VisionPlan()
    audio: AudioChoice | None = None  # the track transcribed, when there is audio


def transcription_job_name(prefix: str, video: Video) -> str:
    """Unique per object version, valid for Transcribe (^[0-9a-zA-Z._-]+, 200 chars at most)."""
    name = _JOB_NAME_UNSAFE.sub("-", f"{prefix}-{video.videoId}").strip("-")
    return name[:200]


def _next_tries(first: TranscribePlan, tracks: list[tuple[int, str]]) -> TranscribePlan | None:
    """The jobs on other tracks' MP3s (track, URI), each holding the one after it: names of
    their own, the same transcript key. Together they check a third as often as one job may,
    each as long in all: the execution's history stays as bounded as with one track."""
    poll = shared_poll_plan(first.poll, len(tracks), MAX_POLLS // 3)
    chain = None
    for track, media_uri in reversed(tracks):
        name = f"{first.jobName[:193]}-track{track}"
        check = first.languageCheck
        if check is not None:
            check = check.model_copy(update={"jobName": f"{name[:185]}-language-check"})
        update = {"jobName": name, "mediaUri": media_uri, "audioTrack": track, "poll": poll}
        chain = first.model_copy(update=update | {"languageCheck": check, "nextTry": chain})
    return chain


def renditions_for(media: MediaInfo) -> list[Rendition]:
    """An audio file gets the renditions with no picture (the MP3): no web, phone or GIF."""
    renditions = applicable_renditions(load_renditions(), media)
    if media.kind == "audio":
        return [r for r in renditions if r.video is None]
    return renditions


def plan_pipeline(
    video: Video,
    probe: dict[str, Any],
    config: PipelineConfig,
    kind: MediaKind = "video",
    upload_metadata: dict[str, str] | None = None,
) -> Plan:
    media = media_info_from_probe(probe, video.sourceUri, kind)
    audio = choose_audio_track(probe, upload_metadata or {}, config.audio_track, video.fileName)
    if media.durationSeconds > config.max_media_seconds:
        # Its jobs' polls and Transcribe's four-hour limit are planned for media up to this.
        raise MediaTooLongError(
            f"{video.sourceUri} lasts {media.durationSeconds:.0f} s; the longest accepted is "
            f"{config.max_media_seconds:.0f} s (MaxMediaSeconds)."
        )
    renditions = renditions_for(media)
    keys = rendition_keys(video, renditions)
    source = next((r for r in renditions if r.transcriptionSource), None)
    other_tracks = tuple(audio.searched[1:]) if audio and source else ()
    settings = build_job_settings(
        video, media, renditions, config.output_bucket, audio.track if audio else 1, other_tracks
    )
    transcode_poll = poll_plan(
        media.durationSeconds, config.min_poll_seconds, config.max_poll_seconds
    )
    transcode = {
        "settings": settings,
        "userMetadata": {"userId": video.userId[:256], "videoId": video.videoId},
        "poll": transcode_poll.model_dump(),
    }
    transcribe = None
    if media.hasAudio and source is not None:
        language = config.transcribe_language
        identify = language.lower() == "auto"
        job_name = transcription_job_name(config.job_name_prefix, video)
        check = LanguageCheckPlan(
            jobName=f"{job_name[:185]}-language-check",
            outputKey=output_key("transcribe", video, "language-check.json"),
        )
        transcribe = TranscribePlan(
            jobName=job_name,
            mediaUri=s3_uri(config.output_bucket, keys[source.name]),
            mediaFormat=source.extension,
            outputKey=output_key("transcribe", video, "json"),
            languageCode=language,
            identifyLanguage=identify,
            languageOptions=config.language_options if identify else [],
            poll=poll_plan(media.durationSeconds, config.min_poll_seconds, config.max_poll_seconds),
            languageCheck=None if identify else check,
            audioTrack=audio.track if audio else 1,
        )
        uris = [
            s3_uri(config.output_bucket, other_track_key(video, source, n)) for n in other_tracks
        ]
        transcribe.nextTry = _next_tries(transcribe, list(zip(other_tracks, uris, strict=True)))
    return Plan(
        media=media,
        renditions=keys,
        transcode=transcode,
        transcribe=transcribe,
        vision=plan_vision(
            video, media.durationSeconds, keys, config.min_poll_seconds, config.max_poll_seconds
        ),
        audio=audio,
    )
