"""A MediaConvert job with one output group per rendition, built from the renditions data."""

from __future__ import annotations

from typing import Any

from .media import MediaInfo
from .output_keys import output_key, s3_uri
from .renditions import AudioSpec, Rendition, VideoSpec, load_frame_capture, output_size
from .upload import Video
from .vision_plan import capture_interval, frames_prefix

AUDIO_SELECTOR = "Audio Selector 1"


def _video_description(spec: VideoSpec, media: MediaInfo) -> dict[str, Any]:
    width, height = output_size(media.width, media.height, spec.maxWidth, spec.maxHeight)
    codec: dict[str, Any]
    if spec.codec == "GIF":
        codec = {
            "Codec": "GIF",
            "GifSettings": {
                "FramerateControl": "SPECIFIED",
                "FramerateNumerator": spec.framerate or 5,
                "FramerateDenominator": 1,
            },
        }
    else:
        codec = {
            "Codec": "H_264",
            "H264Settings": {
                "RateControlMode": "QVBR",
                "QvbrSettings": {"QvbrQualityLevel": spec.quality or 7},
                "MaxBitrate": spec.maxBitrate or 5_000_000,
                "FramerateControl": "INITIALIZE_FROM_SOURCE",
                "SceneChangeDetect": "TRANSITION_DETECTION",
            },
        }
    return {"Width": width, "Height": height, "ScalingBehavior": "DEFAULT", "CodecSettings": codec}


def _audio_description(spec: AudioSpec) -> dict[str, Any]:
    codec: dict[str, Any]
    if spec.codec == "MP3":
        codec = {
            "Codec": "MP3",
            "Mp3Settings": {
                "Bitrate": spec.bitrate,
                "Channels": spec.channels,
                "SampleRate": spec.sampleRate,
                "RateControlMode": "CBR",
            },
        }
    else:
        mode = "CODING_MODE_2_0" if spec.channels == 2 else "CODING_MODE_1_0"
        codec = {
            "Codec": "AAC",
            "AacSettings": {
                "Bitrate": spec.bitrate,
                "SampleRate": spec.sampleRate,
                "CodingMode": mode,
            },
        }
    return {"AudioSourceName": AUDIO_SELECTOR, "CodecSettings": codec}


def _output(rendition: Rendition, media: MediaInfo) -> dict[str, Any]:
    output: dict[str, Any] = {
        "Extension": rendition.extension,
        "ContainerSettings": {"Container": rendition.container},
    }
    if rendition.container == "MP4":
        output["ContainerSettings"]["Mp4Settings"] = {"MoovPlacement": "PROGRESSIVE_DOWNLOAD"}
    if rendition.video is not None:
        output["VideoDescription"] = _video_description(rendition.video, media)
    if rendition.audio is not None and media.hasAudio:
        output["AudioDescriptions"] = [_audio_description(rendition.audio)]
    return output


def frame_capture_group(video: Video, media: MediaInfo, output_bucket: str) -> dict[str, Any]:
    """Small JPEG stills for shot thumbnails and the poster. They ride the decode the transcode
    already does, where Lambda, with no ffmpeg, could not make them itself."""
    spec = load_frame_capture()
    width, height = output_size(media.width, media.height, spec.maxWidth, spec.maxHeight)
    capture = {
        "FramerateNumerator": 1,
        "FramerateDenominator": capture_interval(media.durationSeconds),
        "MaxCaptures": spec.maxCaptures,
        "Quality": spec.quality,
    }
    return {
        "Name": "frames",
        "OutputGroupSettings": {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": s3_uri(output_bucket, frames_prefix(video))},
        },
        "Outputs": [
            {
                "Extension": "jpg",
                "ContainerSettings": {"Container": "RAW"},
                "VideoDescription": {
                    "Width": width,
                    "Height": height,
                    "ScalingBehavior": "DEFAULT",
                    "CodecSettings": {"Codec": "FRAME_CAPTURE", "FrameCaptureSettings": capture},
                },
            }
        ],
    }


def applicable_renditions(renditions: tuple[Rendition, ...], media: MediaInfo) -> list[Rendition]:
    """An audio-only rendition of a silent-film upload would be empty: leave it out."""
    return [r for r in renditions if r.video is not None or media.hasAudio]


def rendition_keys(video: Video, renditions: list[Rendition]) -> dict[str, str]:
    return {r.name: output_key(r.name, video, r.extension) for r in renditions}


def build_job_settings(
    video: Video,
    media: MediaInfo,
    renditions: list[Rendition],
    output_bucket: str,
    audio_track: int = 1,
) -> dict[str, Any]:
    groups = []
    for rendition in renditions:
        key = output_key(rendition.name, video, rendition.extension)
        destination = s3_uri(output_bucket, key.rsplit(".", 1)[0])
        groups.append(
            {
                "Name": rendition.name,
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": destination},
                },
                "Outputs": [_output(rendition, media)],
            }
        )
    if any(r.video is not None for r in renditions):
        groups.append(frame_capture_group(video, media, output_bucket))
    job_input: dict[str, Any] = {"FileInput": video.sourceUri, "TimecodeSource": "ZEROBASED"}
    if media.kind == "video":
        job_input["VideoSelector"] = {"Rotate": "AUTO"}
    if media.hasAudio:
        job_input["AudioSelectors"] = {
            AUDIO_SELECTOR: {"DefaultSelection": "DEFAULT", "Tracks": [audio_track]}
        }
    # Every output shares the job's timeline from the first video frame: the MP3 Transcribe
    # hears starts there too, with silence before audio that starts late, so transcript times
    # and subtitles are the video's (Probe reports no per-track start to correct them by).
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [job_input],
        "OutputGroups": groups,
    }
