"""Summarize Video: the completed record's values and the success notification."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .audio_tracks import AudioChoice, silent_track_note, track_line
from .dynamo import to_attribute_values
from .models import SummaryRequest
from .notifications import attributes_for, sns_subject, success_message


def summarize(
    request: SummaryRequest, output_bucket: str, now: datetime | None = None
) -> dict[str, Any]:
    video, plan, transcript = request.video, request.plan, request.transcript
    insight: dict[str, Any] = (request.analysis or {}).get("summary") or {}
    renditions: dict[str, str] = dict(plan.get("renditions") or {})
    media: dict[str, Any] = plan.get("media") or {}
    media_kind = str(media.get("kind") or "video")
    duration = float(media.get("durationSeconds") or 0.0)
    transcribe = plan.get("transcribe")
    no_audio = transcribe is None
    vision: dict[str, Any] = request.vision or {}
    audio = AudioChoice.model_validate(plan["audio"]) if plan.get("audio") else None
    if audio is not None and transcribe:
        # The track of the job whose transcript was read: the last of `auto`'s tries
        audio = audio.model_copy(update={"track": int(transcribe.get("audioTrack") or audio.track)})
    words = transcript.wordCount if transcript else 0
    audio_note = silent_track_note(audio, words)
    timestamp = (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
    values = {
        ":status": "COMPLETED",
        ":mediaKind": media_kind,
        ":renditions": renditions,
        ":transcriptKey": transcribe["outputKey"] if transcribe else "",
        ":durationSeconds": Decimal(str(round(duration, 3))),
        ":noAudio": no_audio,
        ":wordCount": transcript.wordCount if transcript else 0,
        ":languageCode": transcript.languageCode if transcript else "",
        ":sentiment": str(insight.get("sentiment") or ""),
        ":subtitles": dict(insight.get("subtitles") or {}),
        ":analysisKey": str(insight.get("analysisKey") or ""),
        ":shotCount": int(vision.get("shotCount") or 0),
        ":onScreenText": str(vision.get("textExcerpt") or ""),
        ":needsReview": bool(vision.get("needsReview")),
        ":reviewLabels": [str(label) for label in vision.get("reviewLabels") or []],
        ":people": [str(name) for name in vision.get("people") or []],
        ":posterKey": str(vision.get("posterKey") or ""),
        ":visionKey": str(vision.get("viewKey") or ""),
        ":audioTrack": audio.track if audio else 0,
        ":audioTrackCount": audio.count if audio else 0,
        ":audioNote": audio_note,
        ":updatedAt": timestamp,
    }
    message = success_message(
        file_name=video.fileName,
        user_id=video.userId,
        video_id=video.videoId,
        duration=duration,
        bucket=output_bucket,
        renditions=renditions,
        transcript=transcript.transcript if transcript else None,
        language=transcript.languageCode if transcript else None,
        insight=insight,
        vision=vision,
        noun="audio file" if media_kind == "audio" else "video",
        language_warning=transcript.languageWarning if transcript else "",
        audio_lines=[line for line in (track_line(audio, words), audio_note) if line],
    )
    return {
        "subject": sns_subject(f"reelscribe: {video.fileName} is ready"),
        "message": message,
        "attributes": attributes_for(
            "COMPLETED",
            userId=video.userId,
            videoId=video.videoId,
            noAudio=str(no_audio).lower(),
            mediaKind=media_kind,
            language=transcript.languageCode if transcript else None,
            sentiment=insight.get("sentiment"),
            needsReview=str(bool(vision.get("needsReview"))).lower(),
        ),
        "values": to_attribute_values(values),
    }
