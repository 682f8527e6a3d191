"""A MediaConvert job with one output group per rendition, built from the renditions data."""

from __future__ import annotations

from typing import Any

from .media import MediaInfo
from .output_keys import output_key, s3_uri
from .renditions import (
    AudioSpec,
    Rendition,
    VideoSpec,
    load_frame_capture,
    load_other_track_audio,
    output_size,
)
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


def track_modifier(track: int) -> str:
    """The NameModifier of another audio track's MP3: `clip-track2.mp3` beside `clip.mp3`."""
    return f"-track{track}"


def _track_selector(track: int) -> str:
    return f"Audio Track {track}"


def _audio_description(spec: AudioSpec, selector: str = AUDIO_SELECTOR) -> dict[str, Any]:
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
    return {"AudioSourceName": selector, "CodecSettings": codec}


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


def other_track_key(video: Video, source: Rendition, track: int) -> str:
    return output_key(source.name, video, source.extension, track_modifier(track))


def _other_track_output(source: Rendition, track: int) -> dict[str, Any]:
    """Another audio track alone, small, from a selector of its own: one more output of the
    same job, so the input is still decoded once."""
    return {
        "NameModifier": track_modifier(track),
        "Extension": source.extension,
        "ContainerSettings": {"Container": source.container},
        "AudioDescriptions": [_audio_description(load_other_track_audio(), _track_selector(track))],
    }


def _file_group(name: str, destination: str, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Name": name,
        "OutputGroupSettings": {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": destination},
        },
        "Outputs": outputs,
    }


def build_job_settings(
    video: Video,
    media: MediaInfo,
    renditions: list[Rendition],
    output_bucket: str,
    audio_track: int = 1,
    other_tracks: tuple[int, ...] = (),
) -> dict[str, Any]:
    """`other_tracks`: audio tracks written, each alone, beside the transcription source, for
    Transcribe to try in turn when `audio_track` has no speech."""
    groups = []
    for rendition in renditions:
        key = output_key(rendition.name, video, rendition.extension)
        destination = s3_uri(output_bucket, key.rsplit(".", 1)[0])
        groups.append(_file_group(rendition.name, destination, [_output(rendition, media)]))
        if rendition.transcriptionSource and media.hasAudio and other_tracks:
            # A group of their own: in a group of several outputs each needs a NameModifier.
            outputs = [_other_track_output(rendition, n) for n in other_tracks]
            groups.append(_file_group(f"{rendition.name} tracks", destination, outputs))
    if any(r.video is not None for r in renditions):
        groups.append(frame_capture_group(video, media, output_bucket))
    job_input: dict[str, Any] = {"FileInput": video.sourceUri, "TimecodeSource": "ZEROBASED"}
    if media.kind == "video":
        job_input["VideoSelector"] = {"Rotate": "AUTO"}
    if media.hasAudio:
        job_input["AudioSelectors"] = {
            AUDIO_SELECTOR: {"DefaultSelection": "DEFAULT", "Tracks": [audio_track]}
        } | {_track_selector(n): {"Tracks": [n]} for n in other_tracks}
    # Every output shares the job's timeline from the first video frame: the MP3 Transcribe
    # hears starts there too, with silence before audio that starts late, so transcript times
    # and subtitles are the video's (Probe reports no per-track start to correct them by).
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [job_input],
        "OutputGroups": groups,
    }
