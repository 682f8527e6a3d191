"""Reproduce AWS Elemental MediaConvert jobs and probes locally with ffmpeg and PyAV.

A MediaConvert job's ``Settings`` (the PascalCase JSON that ``create_job`` takes) become a
single ffmpeg process: the input is decoded once and a ``filter_complex`` graph fans the
decoded video and audio out (``split``/``asplit``) to every output. Settings this module
cannot reproduce faithfully are refused with :class:`UnsupportedSettingError` rather than
approximated silently, so a job that works locally also means something in the cloud.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import IO, Any

import av
from av.container import InputContainer
from av.stream import Disposition, Stream


class MediaError(Exception):
    """Base class for every error raised by this module."""


class MediaProbeError(MediaError):
    """The file is not readable media; ``str(error)`` is a plain-English reason."""


class UnsupportedSettingError(MediaError):
    """A job setting the local emulator cannot reproduce; the message names its path."""


class TranscodeError(MediaError):
    """The transcode failed; the message ends with ffmpeg's last stderr lines, if any."""


# ---------------------------------------------------------------------------
# Locating ffmpeg
# ---------------------------------------------------------------------------


def find_ffmpeg() -> str:
    """Return the ffmpeg executable to run.

    ``REELSCRIBE_FFMPEG`` wins so a developer can point at a custom build; the static build
    shipped with ``imageio-ffmpeg`` comes next because it is pinned with the project and has
    every encoder the jobs need; a system ffmpeg is the last resort.
    """
    configured = os.environ.get("REELSCRIBE_FFMPEG")
    if configured:
        return configured
    try:
        import imageio_ffmpeg

        bundled = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        bundled = None
    if bundled:
        return str(bundled)
    system = shutil.which("ffmpeg")
    if system:
        return system
    raise MediaError(
        "ffmpeg was not found: install the 'imageio-ffmpeg' package, put ffmpeg on PATH, "
        "or set REELSCRIBE_FFMPEG to the ffmpeg executable"
    )


# ---------------------------------------------------------------------------
# Probing
# ---------------------------------------------------------------------------

# PyAV demuxer name -> MediaConvert Format enum. The mov/mp4 and matroska/webm families
# are one demuxer each and get told apart by the file itself (see _container_format).
_FORMAT_BY_DEMUXER = {
    "mxf": "mxf",
    "wav": "wave",
    "avi": "avi",
    "mpegts": "mpegts",
    "mpeg": "mpegps",
    "mp3": "mp3",
    "flac": "flac",
    "asf": "asf",
    "ogg": "ogg",
    "aac": "aac",
    "ac3": "ac3",
    "eac3": "eac3",
}
_MOV_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"
_MATROSKA_DEMUXER = "matroska,webm"

# FFmpeg codec (descriptor) name -> MediaConvert Codec enum.
_CODEC_BY_NAME = {
    "aac": "AAC",
    "ac3": "AC3",
    "amr_nb": "AMR",
    "amr_wb": "AMR",
    "eac3": "EAC3",
    "flac": "FLAC",
    "mp2": "MP2",
    "mp3": "MP3",
    "opus": "OPUS",
    "vorbis": "VORBIS",
    "wmav1": "WMA",
    "wmav2": "WMA2",
    "wmapro": "WMAPRO",
    "av1": "AV1",
    "h264": "AVC",
    "dvvideo": "DV",
    "h263": "H263",
    "hevc": "HEVC",
    "jpeg2000": "JPEG2000",
    "mjpeg": "MJPEG",
    "mpeg1video": "MPEG1",
    "mpeg4": "MP4V",
    "mpeg2video": "MPEG2",
    "prores": "PRORES",
    "qtrle": "QTRLE",
    "theora": "THEORA",
    "rawvideo": "UNCOMPRESSED",
    "vc1": "VC1",
    "wmv3": "VC1",
    "dnxhd": "VC3",
    "vp8": "VP8",
    "vp9": "VP9",
}

_MIME_BY_FORMAT = {
    "mp4": "video/mp4",
    "quicktime": "video/quicktime",
    "matroska": "video/x-matroska",
    "webm": "video/webm",
    "mxf": "application/mxf",
    "wave": "audio/wav",
    "avi": "video/x-msvideo",
    "mpegts": "video/mp2t",
    "mpegps": "video/mpeg",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "asf": "video/x-ms-asf",
    "ogg": "video/ogg",
    "three_gp": "video/3gpp",
    "three_g2": "video/3gpp2",
    "aac": "audio/aac",
    "ac3": "audio/ac3",
    "eac3": "audio/eac3",
}

# Decoding stops after this many packets when looking for the first frame's rotation; a
# stream that yields no frame by then is reported unrotated rather than read to the end.
_ROTATION_PACKET_LIMIT = 64


@dataclass(frozen=True)
class _Track:
    index: int  # MediaConvert numbering: 1-based over the reported tracks
    stream_index: int  # ffmpeg's stream index, for -map / filter labels
    kind: str  # "video" | "audio" | "data"
    codec: str
    duration: float
    bit_rate: int
    width: int = 0
    height: int = 0
    frame_rate: Fraction | None = None
    sample_aspect: Fraction = Fraction(1)
    rotation: int = 0  # clockwise degrees, the way MediaConvert's Rotate setting counts
    bit_depth: int = 0
    channels: int = 0
    sample_rate: int = 0


@dataclass(frozen=True)
class _Media:
    format: str
    duration: float
    bit_rate: int
    size: int
    tracks: tuple[_Track, ...]

    def first(self, kind: str) -> _Track | None:
        return next((track for track in self.tracks if track.kind == kind), None)


def probe(path: Path) -> dict[str, Any]:
    """Describe a media file the way MediaConvert's ``Probe`` API does (one ``ProbeResult``).

    Track ``Index`` values start at 1, as in MediaConvert. ``Rotation`` is the clockwise
    rotation a player applies (0, 90, 180 or 270). A ``BitRate`` the container does not
    record is reported as 0. Raises :class:`MediaProbeError` if the file is not media.
    """
    media = _read_media(Path(path))
    tracks = [_track_result(track) for track in media.tracks]
    return {
        "Container": {
            "Format": media.format,
            "Duration": media.duration,
            "BitRate": media.bit_rate,
            "Tracks": tracks,
        },
        "Metadata": {"FileSize": media.size, "MimeType": _mime_type(media)},
        "TrackMappings": [
            {
                "VideoTrackIndexes": [t.index for t in media.tracks if t.kind == "video"],
                "AudioTrackIndexes": [t.index for t in media.tracks if t.kind == "audio"],
                "DataTrackIndexes": [t.index for t in media.tracks if t.kind == "data"],
            }
        ],
    }


def _track_result(track: _Track) -> dict[str, Any]:
    result: dict[str, Any] = {
        "Index": track.index,
        "TrackType": track.kind,
        "Codec": track.codec,
        "Duration": track.duration,
    }
    if track.kind == "video":
        rate = track.frame_rate or Fraction(0)
        result["VideoProperties"] = {
            "Width": track.width,
            "Height": track.height,
            "FrameRate": {"Numerator": rate.numerator, "Denominator": rate.denominator},
            "BitRate": track.bit_rate,
            "BitDepth": track.bit_depth,
            "Rotation": track.rotation,
        }
    elif track.kind == "audio":
        result["AudioProperties"] = {
            "Channels": track.channels,
            "SampleRate": track.sample_rate,
            "BitRate": track.bit_rate,
        }
    return result


def _mime_type(media: _Media) -> str:
    mime = _MIME_BY_FORMAT[media.format]
    if media.first("video") is None and mime.startswith("video/"):
        # Audio-only files in video-capable containers (.m4a, .weba, .ogg) are audio/*.
        return "audio/" + mime.removeprefix("video/")
    return mime


def _read_media(path: Path) -> _Media:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaProbeError("the file does not exist") from None
    except OSError as error:
        raise MediaProbeError(f"the file cannot be read: {error.strerror}") from error
    if size == 0:
        raise MediaProbeError("the file is empty")
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, OSError) as error:
        raise MediaProbeError(
            f"it is not a video or audio file, or it is incomplete ({_av_reason(error)})"
        ) from error
    with container:
        media_format = _container_format(container, path)
        duration = _container_duration(container)
        tracks = _read_tracks(container, duration)
        bit_rate = container.bit_rate or (int(size * 8 / duration) if duration > 0 else 0)
    if not any(track.kind in ("video", "audio") for track in tracks):
        raise MediaProbeError("the file has no audio or video tracks")
    return _Media(media_format, duration, int(bit_rate), size, tracks)


def _av_reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def _container_format(container: InputContainer, path: Path) -> str:
    demuxer = container.format.name
    if demuxer == _MOV_DEMUXER:
        return _mov_family_format(container.metadata.get("major_brand", ""), path)
    if demuxer == _MATROSKA_DEMUXER:
        return "webm" if _ebml_doctype_is_webm(path) else "matroska"
    if demuxer in _FORMAT_BY_DEMUXER:
        return _FORMAT_BY_DEMUXER[demuxer]
    raise MediaProbeError(
        f"the container format is not one MediaConvert reads: {container.format.long_name}"
    )


def _mov_family_format(major_brand: str, path: Path) -> str:
    brand = major_brand.strip().lower()
    if brand == "qt":
        return "quicktime"
    if brand.startswith(("3gp", "3ge", "3gg", "3gs")):
        return "three_gp"
    if brand.startswith("3g2"):
        return "three_g2"
    if brand:
        return "mp4"
    # Only classic QuickTime files lack an ftyp brand; the extension is the remaining hint.
    by_extension = {".mov": "quicktime", ".qt": "quicktime", ".3gp": "three_gp", ".3g2": "three_g2"}
    return by_extension.get(path.suffix.lower(), "mp4")


def _ebml_doctype_is_webm(path: Path) -> bool:
    # The EBML header (DocType "webm" or "matroska") sits within the first few dozen bytes.
    with path.open("rb") as handle:
        return b"webm" in handle.read(64)


def _container_duration(container: InputContainer) -> float:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    durations = [_stream_duration(stream) for stream in container.streams]
    return max((d for d in durations if d is not None), default=0.0)


def _stream_duration(stream: Stream) -> float | None:
    if stream.duration is None or stream.time_base is None:
        return None
    return float(stream.duration * stream.time_base)


def _read_tracks(container: InputContainer, container_duration: float) -> tuple[_Track, ...]:
    rotations = _first_frame_rotations(container)
    tracks: list[_Track] = []
    for stream in container.streams:
        kind = _track_kind(stream)
        if kind is None:
            continue
        common: dict[str, Any] = {
            "index": len(tracks) + 1,
            "stream_index": stream.index,
            "kind": kind,
            "codec": _codec(stream.codec_context.codec.canonical_name),
            "duration": _stream_duration(stream) or container_duration,
            "bit_rate": stream.codec_context.bit_rate or 0,
        }
        if isinstance(stream, av.VideoStream):
            tracks.append(_video_track(stream, rotations.get(stream.index, 0), common))
        elif isinstance(stream, av.AudioStream):
            tracks.append(_audio_track(stream, common))
        else:
            tracks.append(_Track(**common))
    return tuple(tracks)


def _codec(name: str) -> str:
    if name.startswith("pcm_"):
        return "PCM"
    return _CODEC_BY_NAME.get(name, "UNKNOWN")


def _track_kind(stream: Stream) -> str | None:
    if stream.type == "video":
        # Cover art is stored as a one-picture video stream; it is not a video track.
        return None if stream.disposition & Disposition.attached_pic else "video"
    if stream.type == "audio":
        return "audio"
    if stream.type in ("subtitle", "data"):
        return "data"
    return None


def _video_track(stream: av.VideoStream, rotation: int, common: dict[str, Any]) -> _Track:
    context = stream.codec_context
    return _Track(
        **common,
        width=context.width,
        height=context.height,
        frame_rate=stream.average_rate or stream.guessed_rate,
        sample_aspect=stream.sample_aspect_ratio or Fraction(1),
        rotation=rotation,
        bit_depth=_bit_depth(context.pix_fmt),
    )


def _audio_track(stream: av.AudioStream, common: dict[str, Any]) -> _Track:
    context = stream.codec_context
    return _Track(**common, channels=context.channels, sample_rate=context.sample_rate)


def _bit_depth(pix_fmt: str | None) -> int:
    if not pix_fmt:
        return 0
    try:
        return int(av.VideoFormat(pix_fmt).components[0].bits)
    except (ValueError, IndexError):
        return 0


def _first_frame_rotations(container: InputContainer) -> dict[int, int]:
    """Clockwise rotation of each video stream, read from its first decoded frame.

    PyAV exposes the display matrix only on decoded frames, so this decodes one frame per
    video stream. A stream that cannot be decoded is reported unrotated.
    """
    pending = {
        stream.index
        for stream in container.streams.video
        if not stream.disposition & Disposition.attached_pic
    }
    rotations: dict[int, int] = {}
    if not pending:
        return rotations
    try:
        packets = container.demux(*(container.streams[i] for i in pending))
        for count, packet in enumerate(packets):
            if not pending or count >= _ROTATION_PACKET_LIMIT:
                break
            if packet.stream.index not in pending:
                continue
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    # PyAV reports counter-clockwise degrees; MediaConvert counts clockwise.
                    rotations[packet.stream.index] = round(-frame.rotation) % 360
                    pending.discard(packet.stream.index)
                    break
    except av.FFmpegError:
        pass
    return rotations


# ---------------------------------------------------------------------------
# Planning: MediaConvert Settings -> one ffmpeg command
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedOutput:
    """One file the job writes."""

    destination: str  # the S3 URI MediaConvert would write
    local_path: Path  # where ffmpeg writes it, inside the work directory
    group_index: int
    output_index: int


@dataclass(frozen=True)
class TranscodePlan:
    """The ffmpeg command for a whole job, and the files it produces."""

    argv: list[str]
    outputs: list[PlannedOutput]


# x264 is the cost that matters; veryfast keeps a multi-rendition job near one decode
# plus the encodes while staying well above MediaConvert's lowest quality tier.
_X264_PRESET = "veryfast"
_THREADS = "2"
# GIF frames get a palette each (palettegen stats_mode=single + paletteuse new=1). A single
# palette for the whole clip would be known only at the end of the input, so paletteuse
# would hold every GIF frame in memory until then, and ffmpeg, which writes its first
# progress report only once every output has started, would report nothing until the end.
_GIF_PALETTE = "palettegen=stats_mode=single"
_GIF_DITHER = "paletteuse=new=1:dither=bayer:bayer_scale=5"
_H264_PROFILES = {"BASELINE": "baseline", "MAIN": "main", "HIGH": "high"}
_AAC_CHANNELS = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2}
_AAC_SAMPLE_RATES = (8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000)
_MP3_SAMPLE_RATES = (22050, 32000, 44100, 48000)
_ROTATE_FILTERS = {
    "DEGREE_0": [],
    "DEGREES_90": ["transpose=clock"],
    "DEGREES_180": ["hflip", "vflip"],
    "DEGREES_270": ["transpose=cclock"],
}
_SCALING_BEHAVIORS = {"DEFAULT", "STRETCH_TO_OUTPUT", "FIT", "FIT_NO_UPSCALE", "FILL"}

# Keys that change the picture, sound or timing in ways this module does not reproduce.
# They are refused unless their value is inert (absent, empty or "DISABLED").
_UNSUPPORTED_JOB_KEYS = (
    "AvailBlanking",
    "ColorConversion3DLUTSettings",
    "Esam",
    "ImageInserter",
    "KantarWatermark",
    "MotionImageInserter",
    "NielsenNonLinearWatermark",
)
_UNSUPPORTED_INPUT_KEYS = (
    "AdvancedInputFilter",
    "AudioSelectorGroups",
    "Crop",
    "DeblockFilter",
    "DecryptionSettings",
    "DenoiseFilter",
    "DynamicAudioSelectors",
    "ImageInserter",
    "InputClippings",
    "Position",
    "SupplementalImps",
    "VideoGenerator",
    "VideoOverlays",
)
_UNSUPPORTED_OUTPUT_KEYS = ("CaptionDescriptions", "Preset")
_UNSUPPORTED_VIDEO_KEYS = ("Crop", "Position", "VideoPreprocessors")
_UNSUPPORTED_AUDIO_KEYS = ("AudioNormalizationSettings", "RemixSettings")
# Selector keys that do not change which audio is picked for a single-program file input.
_HARMLESS_SELECTOR_KEYS = ("DefaultSelection", "ProgramSelection", "SelectorType")


@dataclass(frozen=True)
class _VideoSpec:
    codec: str  # "H_264" | "GIF"
    width: int | None
    height: int | None
    scaling: str
    frame_rate: Fraction | None  # None keeps the source rate
    encoder_args: tuple[str, ...]


@dataclass(frozen=True)
class _AudioSpec:
    codec: str  # "AAC" | "MP3"
    selector: str
    sample_rate: int
    channels: int
    encoder_args: tuple[str, ...]


@dataclass(frozen=True)
class _OutputSpec:
    path: str  # settings path, for messages
    group_index: int
    output_index: int
    container: str
    destination: str
    video: _VideoSpec | None
    audio: _AudioSpec | None


@dataclass(frozen=True)
class _JobSpec:
    rotate: str  # VideoSelector.Rotate
    outputs: tuple[_OutputSpec, ...]


def plan_transcode(
    settings: dict[str, Any], input_path: Path, workdir: Path, ffmpeg: str | None = None
) -> TranscodePlan:
    """Translate MediaConvert job ``Settings`` into one ffmpeg command over ``input_path``.

    Settings are validated before the input is read, so unsupported jobs fail fast with
    :class:`UnsupportedSettingError`. The input is then probed: an unreadable input raises
    :class:`MediaProbeError`, and an output that needs audio or video the input lacks
    raises :class:`TranscodeError`, as MediaConvert fails such a job when it runs.
    Outputs are written under ``workdir``; nothing is written by planning itself.
    """
    input_path = Path(input_path)
    job = _parse_job(settings, input_path)
    media = _read_media(input_path)
    _check_input_has_what_outputs_need(job, media)
    outputs = [_planned_output(spec, Path(workdir)) for spec in job.outputs]
    argv = _build_argv(ffmpeg or find_ffmpeg(), input_path, job, media, outputs)
    return TranscodePlan(argv=argv, outputs=outputs)


# --- settings parsing --------------------------------------------------------------------


def _unsupported(path: str, value: object = None) -> UnsupportedSettingError:
    shown = path if value is None else f"{path}={value}"
    return UnsupportedSettingError(f"{shown} is not supported locally")


def _required(path: str) -> UnsupportedSettingError:
    return UnsupportedSettingError(f"{path} is required")


def _section(parent: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UnsupportedSettingError(f"{path}.{key} must be an object")
    return value


def _items(parent: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise UnsupportedSettingError(f"{path}.{key} must be a list")
    return value


def _positive_int(
    parent: Mapping[str, Any], key: str, path: str, default: int | None = None
) -> int:
    value = parent.get(key, default)
    if value is None:
        raise _required(f"{path}.{key}")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UnsupportedSettingError(f"{path}.{key}={value!r} must be a positive integer")
    return value


def _choice(
    parent: Mapping[str, Any], key: str, path: str, allowed: Iterable[str], default: str
) -> str:
    value = parent.get(key, default)
    if value not in allowed:
        raise _unsupported(f"{path}.{key}", value)
    return str(value)


def _reject_active_keys(section: Mapping[str, Any], keys: Iterable[str], path: str) -> None:
    for key in keys:
        value = section.get(key)
        if value not in (None, "DISABLED", [], {}):
            raise _unsupported(f"{path}.{key}")


def _parse_job(settings: Mapping[str, Any], input_path: Path) -> _JobSpec:
    _reject_active_keys(settings, _UNSUPPORTED_JOB_KEYS, "Settings")
    inputs = _items(settings, "Inputs", "Settings")
    if len(inputs) != 1:
        raise UnsupportedSettingError(
            f"Inputs must hold exactly one input (got {len(inputs)}); "
            "multi-input jobs are not supported locally"
        )
    job_input = inputs[0]
    if not isinstance(job_input, dict):
        raise UnsupportedSettingError("Inputs[0] must be an object")
    _reject_active_keys(job_input, _UNSUPPORTED_INPUT_KEYS, "Inputs[0]")
    selectors = _audio_selectors(job_input)
    rotate = _choice(
        _section(job_input, "VideoSelector", "Inputs[0]"),
        "Rotate",
        "Inputs[0].VideoSelector",
        ["AUTO", *_ROTATE_FILTERS],
        default="DEGREE_0",
    )
    input_stem = _input_stem(job_input.get("FileInput"), input_path)

    groups = _items(settings, "OutputGroups", "Settings")
    if not groups:
        raise _required("OutputGroups")
    outputs: list[_OutputSpec] = []
    for group_index, group in enumerate(groups):
        outputs.extend(_parse_group(group, group_index, selectors, input_stem))
    _reject_duplicate_destinations(outputs)
    return _JobSpec(rotate=rotate, outputs=tuple(outputs))


def _audio_selectors(job_input: Mapping[str, Any]) -> set[str]:
    selectors = _section(job_input, "AudioSelectors", "Inputs[0]")
    for name, selector in selectors.items():
        path = f"Inputs[0].AudioSelectors[{name!r}]"
        if not isinstance(selector, dict):
            raise UnsupportedSettingError(f"{path} must be an object")
        # Every selector picks the input's first audio track; anything that would pick
        # another track, shift it in time or pull in a sidecar file is refused.
        for key, value in selector.items():
            if key not in _HARMLESS_SELECTOR_KEYS and value not in (None, 0, [], {}):
                raise _unsupported(f"{path}.{key}")
    return set(selectors)


def _input_stem(file_input: object, input_path: Path) -> str:
    # MediaConvert names outputs after the input object, not after any local copy of it.
    if isinstance(file_input, str) and file_input:
        return PurePosixPath(file_input.split("?", 1)[0]).stem
    return input_path.stem


def _parse_group(
    group: object, group_index: int, selectors: set[str], input_stem: str
) -> list[_OutputSpec]:
    path = f"OutputGroups[{group_index}]"
    if not isinstance(group, dict):
        raise UnsupportedSettingError(f"{path} must be an object")
    _reject_active_keys(group, ["AutomatedEncodingSettings"], path)
    group_settings = _section(group, "OutputGroupSettings", path)
    group_type = group_settings.get("Type")
    if group_type != "FILE_GROUP_SETTINGS":
        raise _unsupported(f"{path}.OutputGroupSettings.Type", group_type)
    file_settings = _section(group_settings, "FileGroupSettings", f"{path}.OutputGroupSettings")
    destination_path = f"{path}.OutputGroupSettings.FileGroupSettings.Destination"
    destination = file_settings.get("Destination")
    if not isinstance(destination, str) or not destination:
        raise _required(destination_path)
    if not destination.startswith("s3://") or len(destination.split("/", 3)) < 4:
        raise UnsupportedSettingError(
            f"{destination_path}={destination} must be an s3://bucket/key URI"
        )
    base = destination + input_stem if destination.endswith("/") else destination

    outputs = _items(group, "Outputs", path)
    if not outputs:
        raise _required(f"{path}.Outputs")
    return [
        _parse_output(output, f"{path}.Outputs[{index}]", group_index, index, base, selectors)
        for index, output in enumerate(outputs)
    ]


def _parse_output(
    output: object,
    path: str,
    group_index: int,
    output_index: int,
    base: str,
    selectors: set[str],
) -> _OutputSpec:
    if not isinstance(output, dict):
        raise UnsupportedSettingError(f"{path} must be an object")
    _reject_active_keys(output, _UNSUPPORTED_OUTPUT_KEYS, path)
    container = _choice(
        _section(output, "ContainerSettings", path),
        "Container",
        f"{path}.ContainerSettings",
        ["MP4", "RAW", "GIF"],
        default="MP4",
    )
    video = _parse_video(output, path)
    audio = _parse_audio(output, path, selectors)
    _check_container_contents(container, video, audio, path)

    extension = output.get("Extension") or _default_extension(container, audio)
    name_modifier = output.get("NameModifier") or ""
    destination = f"{base}{name_modifier}.{extension}"
    return _OutputSpec(path, group_index, output_index, container, destination, video, audio)


def _default_extension(container: str, audio: _AudioSpec | None) -> str:
    if container == "RAW":
        # Raw outputs are named after their codec, as MediaConvert does.
        return "mp3" if audio is not None and audio.codec == "MP3" else "aac"
    return container.lower()


def _check_container_contents(
    container: str, video: _VideoSpec | None, audio: _AudioSpec | None, path: str
) -> None:
    if video is None and audio is None:
        raise UnsupportedSettingError(f"{path} needs a VideoDescription or an AudioDescription")
    video_path = f"{path}.VideoDescription.CodecSettings.Codec"
    audio_path = f"{path}.AudioDescriptions[0].CodecSettings.Codec"
    if container == "GIF":
        if video is None or video.codec != "GIF":
            raise UnsupportedSettingError(f"{video_path} must be GIF in a GIF container")
        if audio is not None:
            raise UnsupportedSettingError(f"{path}.AudioDescriptions: GIF outputs have no audio")
    elif container == "MP4":
        if video is not None and video.codec != "H_264":
            raise _unsupported(video_path, f"{video.codec} in an MP4 container")
        if audio is not None and audio.codec != "AAC":
            raise _unsupported(audio_path, f"{audio.codec} in an MP4 container")
    elif video is not None:  # RAW
        raise UnsupportedSettingError(
            f"{path}.VideoDescription: RAW outputs are supported locally for audio only"
        )


def _parse_video(output: Mapping[str, Any], path: str) -> _VideoSpec | None:
    if output.get("VideoDescription") is None:
        return None
    description = _section(output, "VideoDescription", path)
    path = f"{path}.VideoDescription"
    _reject_active_keys(description, _UNSUPPORTED_VIDEO_KEYS, path)
    width = _positive_int(description, "Width", path) if "Width" in description else None
    height = _positive_int(description, "Height", path) if "Height" in description else None
    scaling = _choice(description, "ScalingBehavior", path, _SCALING_BEHAVIORS, "DEFAULT")
    codec_settings = _section(description, "CodecSettings", path)
    codec_path = f"{path}.CodecSettings"
    codec = codec_settings.get("Codec")
    if codec == "H_264":
        h264 = _section(codec_settings, "H264Settings", codec_path)
        h264_path = f"{codec_path}.H264Settings"
        rate = _frame_rate(h264, h264_path)
        args = _h264_args(h264, h264_path)
        return _VideoSpec("H_264", width, height, scaling, rate, args)
    if codec == "GIF":
        gif = _section(codec_settings, "GifSettings", codec_path)
        rate = _frame_rate(gif, f"{codec_path}.GifSettings")
        return _VideoSpec("GIF", width, height, scaling, rate, ("-c:v", "gif"))
    if codec is None:
        raise _required(f"{codec_path}.Codec")
    raise _unsupported(f"{codec_path}.Codec", codec)


def _frame_rate(codec_settings: Mapping[str, Any], path: str) -> Fraction | None:
    control = _choice(
        codec_settings,
        "FramerateControl",
        path,
        ["INITIALIZE_FROM_SOURCE", "SPECIFIED"],
        "INITIALIZE_FROM_SOURCE",
    )
    if control == "INITIALIZE_FROM_SOURCE":
        return None
    numerator = _positive_int(codec_settings, "FramerateNumerator", path)
    denominator = _positive_int(codec_settings, "FramerateDenominator", path)
    return Fraction(numerator, denominator)


def _h264_args(h264: Mapping[str, Any], path: str) -> tuple[str, ...]:
    for key, inert in (("InterlaceMode", "PROGRESSIVE"), ("Telecine", "NONE")):
        if h264.get(key, inert) != inert:
            raise _unsupported(f"{path}.{key}", h264[key])
    args = ["-c:v", "libx264", "-preset", _X264_PRESET, "-pix_fmt", "yuv420p"]
    args += ["-threads", _THREADS]
    args += _h264_rate_control(h264, path)
    profile = h264.get("CodecProfile")
    if profile is not None:
        if profile not in _H264_PROFILES:
            raise _unsupported(f"{path}.CodecProfile", profile)
        args += ["-profile:v", _H264_PROFILES[profile]]
    level = h264.get("CodecLevel", "AUTO")
    if level != "AUTO":
        if not (isinstance(level, str) and level.startswith("LEVEL_")):
            raise _unsupported(f"{path}.CodecLevel", level)
        args += ["-level:v", level.removeprefix("LEVEL_").replace("_", ".")]
    args += _h264_gop(h264, path)
    return tuple(args)


def _qvbr_to_crf(level: float) -> float:
    """Map a QVBR quality level (1-10) to an x264 CRF.

    Level 7, AWS's suggested level for most content, lands on x264's default CRF 23; each
    level is 3 CRF steps, roughly the bitrate ratio between adjacent QVBR levels.
    """
    return max(0.0, min(51.0, 23 + 3 * (7 - level)))


def _h264_rate_control(h264: Mapping[str, Any], path: str) -> list[str]:
    mode = _choice(h264, "RateControlMode", path, ["QVBR", "VBR", "CBR"], "CBR")
    max_bitrate = _positive_int(h264, "MaxBitrate", path) if "MaxBitrate" in h264 else None
    hrd_buffer = _positive_int(h264, "HrdBufferSize", path) if "HrdBufferSize" in h264 else None
    if mode == "QVBR":
        level = _qvbr_level(_section(h264, "QvbrSettings", path), f"{path}.QvbrSettings")
        return ["-crf", f"{_qvbr_to_crf(level):g}", *_vbv(max_bitrate, hrd_buffer)]
    bitrate = _positive_int(h264, "Bitrate", path)
    if mode == "CBR":
        return ["-b:v", str(bitrate), *_vbv(bitrate, hrd_buffer)]
    return ["-b:v", str(bitrate), *_vbv(max_bitrate, hrd_buffer)]


def _qvbr_level(qvbr: Mapping[str, Any], path: str) -> float:
    level = qvbr.get("QvbrQualityLevel", 7)
    if isinstance(level, bool) or level not in range(1, 11):
        raise UnsupportedSettingError(f"{path}.QvbrQualityLevel={level!r} must be 1 to 10")
    fine_tune = qvbr.get("QvbrQualityLevelFineTune", 0)
    if isinstance(fine_tune, bool) or not isinstance(fine_tune, (int, float)):
        raise UnsupportedSettingError(
            f"{path}.QvbrQualityLevelFineTune={fine_tune!r} must be a number"
        )
    return float(level + fine_tune)


def _vbv(max_bitrate: int | None, hrd_buffer: int | None) -> list[str]:
    # x264 only honours a peak rate together with a buffer size; without HrdBufferSize,
    # two seconds at the peak rate is a conventional streaming-friendly buffer.
    if max_bitrate is None:
        return []
    return ["-maxrate", str(max_bitrate), "-bufsize", str(hrd_buffer or 2 * max_bitrate)]


def _h264_gop(h264: Mapping[str, Any], path: str) -> list[str]:
    size = h264.get("GopSize")
    units = _choice(h264, "GopSizeUnits", path, ["FRAMES", "SECONDS", "AUTO"], "FRAMES")
    if size is None or units == "AUTO":
        return []
    if isinstance(size, bool) or not isinstance(size, (int, float)) or size <= 0:
        raise UnsupportedSettingError(f"{path}.GopSize={size!r} must be a positive number")
    if units == "FRAMES":
        return ["-g", str(max(1, round(size)))]
    # Seconds are honoured on timestamps, so the GOP holds even for variable-rate sources.
    return ["-force_key_frames", f"expr:gte(t,n_forced*{size:g})"]


def _parse_audio(output: Mapping[str, Any], path: str, selectors: set[str]) -> _AudioSpec | None:
    descriptions = _items(output, "AudioDescriptions", path)
    if not descriptions:
        return None
    if len(descriptions) > 1:
        raise UnsupportedSettingError(
            f"{path}.AudioDescriptions: only one audio track per output is supported locally"
        )
    path = f"{path}.AudioDescriptions[0]"
    description = descriptions[0]
    if not isinstance(description, dict):
        raise UnsupportedSettingError(f"{path} must be an object")
    _reject_active_keys(description, _UNSUPPORTED_AUDIO_KEYS, path)
    selector = description.get("AudioSourceName", "Audio Selector 1")
    if selector not in selectors:
        raise UnsupportedSettingError(
            f"{path}.AudioSourceName={selector} does not name an AudioSelector of Inputs[0]"
        )
    codec_settings = _section(description, "CodecSettings", path)
    codec_path = f"{path}.CodecSettings"
    codec = codec_settings.get("Codec")
    if codec == "AAC":
        return _aac(_section(codec_settings, "AacSettings", codec_path), codec_path, selector)
    if codec == "MP3":
        return _mp3(_section(codec_settings, "Mp3Settings", codec_path), codec_path, selector)
    if codec is None:
        raise _required(f"{codec_path}.Codec")
    raise _unsupported(f"{codec_path}.Codec", codec)


def _aac(aac: Mapping[str, Any], codec_path: str, selector: str) -> _AudioSpec:
    path = f"{codec_path}.AacSettings"
    mode = _choice(aac, "CodingMode", path, _AAC_CHANNELS, "CODING_MODE_2_0")
    _choice(aac, "CodecProfile", path, ["LC"], "LC")
    # ffmpeg's AAC encoder has no equivalent of MediaConvert's VBR quality tiers.
    _choice(aac, "RateControlMode", path, ["CBR"], "CBR")
    bitrate = _positive_int(aac, "Bitrate", path, default=96000)
    sample_rate = _sample_rate(aac, path, _AAC_SAMPLE_RATES)
    args = ("-c:a", "aac", "-b:a", str(bitrate))
    return _AudioSpec("AAC", selector, sample_rate, _AAC_CHANNELS[mode], args)


def _mp3(mp3: Mapping[str, Any], codec_path: str, selector: str) -> _AudioSpec:
    path = f"{codec_path}.Mp3Settings"
    channels = _positive_int(mp3, "Channels", path, default=2)
    if channels not in (1, 2):
        raise _unsupported(f"{path}.Channels", channels)
    sample_rate = _sample_rate(mp3, path, _MP3_SAMPLE_RATES)
    mode = _choice(mp3, "RateControlMode", path, ["CBR", "VBR"], "CBR")
    if mode == "CBR":
        bitrate = _positive_int(mp3, "Bitrate", path, default=128000)
        args: tuple[str, ...] = ("-c:a", "libmp3lame", "-b:a", str(bitrate))
    else:
        quality = mp3.get("VbrQuality", 4)
        if isinstance(quality, bool) or quality not in range(10):
            raise _unsupported(f"{path}.VbrQuality", quality)
        args = ("-c:a", "libmp3lame", "-q:a", str(quality))
    return _AudioSpec("MP3", selector, sample_rate, channels, args)


def _sample_rate(settings: Mapping[str, Any], path: str, allowed: tuple[int, ...]) -> int:
    rate = _positive_int(settings, "SampleRate", path, default=48000)
    if rate not in allowed:
        raise _unsupported(f"{path}.SampleRate", rate)
    return rate


def _reject_duplicate_destinations(outputs: Iterable[_OutputSpec]) -> None:
    seen: dict[str, str] = {}
    for spec in outputs:
        if spec.destination in seen:
            raise UnsupportedSettingError(
                f"{spec.path} writes {spec.destination}, already written by "
                f"{seen[spec.destination]}; set a distinct NameModifier"
            )
        seen[spec.destination] = spec.path


# --- input checks and output paths ----------------------------------------------------------


def _check_input_has_what_outputs_need(job: _JobSpec, media: _Media) -> None:
    for spec in job.outputs:
        if spec.audio is not None and media.first("audio") is None:
            raise TranscodeError(
                f"Audio selector '{spec.audio.selector}' matched no audio track in the input"
            )
        if spec.video is not None and media.first("video") is None:
            raise TranscodeError(
                f"{spec.path}.VideoDescription needs video, but the input has no video track"
            )


def _planned_output(spec: _OutputSpec, workdir: Path) -> PlannedOutput:
    # One directory per output: renditions in different groups often share a file name.
    name = spec.destination.rsplit("/", 1)[-1]
    local = workdir / f"group{spec.group_index}-output{spec.output_index}" / name
    return PlannedOutput(spec.destination, local, spec.group_index, spec.output_index)


def _partial_path(local_path: Path) -> Path:
    """Where ffmpeg writes an output until the whole job has succeeded."""
    return local_path.with_name(local_path.name + ".partial")


# --- geometry ------------------------------------------------------------------------------


# DEFAULT scaling fills the frame instead of padding when the gap is at most this many pixels.
_ROUNDING_SLACK = 2


@dataclass(frozen=True)
class _Geometry:
    """How one output's picture is sized: scale to ``scaled``, then pad or crop to ``frame``."""

    scaled: tuple[int, int]
    frame: tuple[int, int]

    @property
    def pads(self) -> bool:
        return self.scaled[0] < self.frame[0] or self.scaled[1] < self.frame[1]

    @property
    def crops(self) -> bool:
        return self.scaled[0] > self.frame[0] or self.scaled[1] > self.frame[1]


def _output_geometry(
    source: tuple[float, float],
    width: int | None,
    height: int | None,
    scaling: str,
    *,
    even: bool,
) -> _Geometry:
    """Size an output picture the way MediaConvert's ScalingBehavior does.

    ``source`` is the displayed size (after rotation and pixel aspect). A missing Width or
    Height keeps the source's. DEFAULT fits the picture inside the frame and pads the rest
    black; STRETCH_TO_OUTPUT fills the frame exactly; FIT and FIT_NO_UPSCALE fit inside
    without padding (the latter never enlarges); FILL covers the frame and crops the
    overflow. ``even`` rounds every dimension to an even number, as 4:2:0 H.264 requires.
    """
    src_w, src_h = source
    box = (_box_dim(width or src_w, even), _box_dim(height or src_h, even))
    if scaling == "STRETCH_TO_OUTPUT":
        return _Geometry(box, box)
    if scaling == "FILL":
        factor = max(box[0] / src_w, box[1] / src_h)
        cover = (
            max(box[0], _round_dim(src_w * factor, even)),
            max(box[1], _round_dim(src_h * factor, even)),
        )
        return _Geometry(cover, box)
    factor = min(box[0] / src_w, box[1] / src_h)
    if scaling == "FIT_NO_UPSCALE":
        factor = min(factor, 1.0)
    fitted = (
        min(box[0], _round_dim(src_w * factor, even)),
        min(box[1], _round_dim(src_h * factor, even)),
    )
    if scaling != "DEFAULT":
        return _Geometry(fitted, fitted)
    if box[0] - fitted[0] <= _ROUNDING_SLACK and box[1] - fitted[1] <= _ROUNDING_SLACK:
        # A gap this small comes from rounding an aspect-preserving size, not from a
        # different aspect ratio; a hairline black bar would be the only visible result.
        return _Geometry(box, box)
    return _Geometry(fitted, box)


def _round_dim(value: float, even: bool) -> int:
    # Round half up so a 405-pixel fit becomes 406 rather than 404 when the frame allows it.
    if even:
        return max(2, int(value / 2 + 0.5) * 2)
    return max(1, int(value + 0.5))


def _box_dim(value: float, even: bool) -> int:
    dim = max(1, int(value + 0.5))
    return max(2, dim - dim % 2) if even else dim


def _display_size(track: _Track, rotate: str) -> tuple[float, float]:
    width = track.width * float(track.sample_aspect or 1)
    height = float(track.height)
    quarter_turns = {"DEGREES_90", "DEGREES_270"}
    if rotate in quarter_turns or (rotate == "AUTO" and track.rotation in (90, 270)):
        return height, width
    return width, height


# --- ffmpeg command ------------------------------------------------------------------------


def _build_argv(
    ffmpeg: str,
    input_path: Path,
    job: _JobSpec,
    media: _Media,
    outputs: list[PlannedOutput],
) -> list[str]:
    argv = [ffmpeg, "-nostdin", "-hide_banner", "-y", "-loglevel", "error"]
    argv += ["-progress", "pipe:1", "-nostats", "-filter_complex_threads", _THREADS]
    argv += ["-threads", _THREADS]  # before -i: decoder threads
    if job.rotate != "AUTO":
        # MediaConvert ignores rotation metadata unless Rotate is AUTO.
        argv.append("-noautorotate")
    argv += ["-i", str(input_path), "-filter_complex", _filter_graph(job, media)]
    for index, (spec, planned) in enumerate(zip(job.outputs, outputs, strict=True)):
        argv += _output_args(index, spec, _partial_path(planned.local_path))
    return argv


def _filter_graph(job: _JobSpec, media: _Media) -> str:
    chains: list[str] = []
    video_specs = [(i, spec.video) for i, spec in enumerate(job.outputs) if spec.video]
    audio_specs = [(i, spec.audio) for i, spec in enumerate(job.outputs) if spec.audio]
    if video_specs:
        track = media.first("video")
        assert track is not None  # checked by _check_input_has_what_outputs_need
        orientation = _orientation_filters(job.rotate)
        labels = "".join(f"[v{i}]" for i, _ in video_specs)
        split = ",".join([*orientation, f"split={len(video_specs)}"])
        chains.append(f"[0:{track.stream_index}]{split}{labels}")
        source = _display_size(track, job.rotate)
        for i, video in video_specs:
            chains.extend(_video_chains(i, video, source))
    if audio_specs:
        track = media.first("audio")
        assert track is not None
        labels = "".join(f"[a{i}]" for i, _ in audio_specs)
        chains.append(f"[0:{track.stream_index}]asplit={len(audio_specs)}{labels}")
        for i, audio in audio_specs:
            layout = "mono" if audio.channels == 1 else "stereo"
            chains.append(
                f"[a{i}]aformat=sample_rates={audio.sample_rate}:channel_layouts={layout}[out{i}a]"
            )
    return ";".join(chains)


def _orientation_filters(rotate: str) -> list[str]:
    if rotate == "AUTO":
        return []  # ffmpeg's autorotation applies and strips the display matrix
    # Without autorotation ffmpeg would copy the display matrix to every output, and
    # players would rotate the picture MediaConvert left upright.
    return [*_ROTATE_FILTERS[rotate], "sidedata=mode=delete:type=DISPLAYMATRIX"]


def _video_chains(index: int, video: _VideoSpec, source: tuple[float, float]) -> list[str]:
    is_gif = video.codec == "GIF"
    geometry = _output_geometry(source, video.width, video.height, video.scaling, even=not is_gif)
    filters = [f"fps={video.frame_rate}"] if video.frame_rate else []
    # Lanczos keeps small GIF frames sharp; bicubic is the cheaper default for video.
    flags = "lanczos" if is_gif else "bicubic"
    filters.append(f"scale={geometry.scaled[0]}:{geometry.scaled[1]}:flags={flags}")
    filters += _frame_filters(geometry)
    filters.append("setsar=1")
    if not is_gif:
        filters.append("format=yuv420p")
        return [f"[v{index}]{','.join(filters)}[out{index}v]"]
    return [
        f"[v{index}]{','.join(filters)},split[g{index}a][g{index}b]",
        f"[g{index}a]{_GIF_PALETTE}[pal{index}]",
        f"[g{index}b][pal{index}]{_GIF_DITHER}[out{index}v]",
    ]


def _frame_filters(geometry: _Geometry) -> list[str]:
    frame_w, frame_h = geometry.frame
    scaled_w, scaled_h = geometry.scaled
    if geometry.crops:
        return [f"crop={frame_w}:{frame_h}"]
    if geometry.pads:
        # Even offsets keep the chroma planes of 4:2:0 video aligned.
        x = (frame_w - scaled_w) // 4 * 2
        y = (frame_h - scaled_h) // 4 * 2
        return [f"pad={frame_w}:{frame_h}:{x}:{y}:color=black"]
    return []


def _output_args(index: int, spec: _OutputSpec, target: Path) -> list[str]:
    # Source metadata (phone GPS tags, encoder strings, chapters) is not carried over,
    # matching MediaConvert outputs.
    args = ["-map_metadata", "-1", "-map_chapters", "-1"]
    if spec.video is not None:
        args += ["-map", f"[out{index}v]", *spec.video.encoder_args]
    if spec.audio is not None:
        args += ["-map", f"[out{index}a]", *spec.audio.encoder_args]
    if spec.container == "MP4":
        args += ["-movflags", "+faststart", "-f", "mp4"]
    elif spec.container == "GIF":
        args += ["-f", "gif"]
    else:
        args += ["-f", "mp3" if spec.audio and spec.audio.codec == "MP3" else "adts"]
    return [*args, str(target)]


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

_STDERR_TAIL_LINES = 10


def run_transcode(
    plan: TranscodePlan,
    duration_seconds: float,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Run the plan's ffmpeg command, reporting progress as whole percentages.

    ``on_progress`` receives 0 at the start, increasing values while ffmpeg works (from
    its ``out_time_us`` against ``duration_seconds``) and 100 once every output is in
    place. Outputs are written under temporary names and renamed into place only when the
    whole job succeeds. If this function raises - :class:`TranscodeError` when ffmpeg
    fails, or whatever ``on_progress`` raised, after ffmpeg is killed - no output is left.
    """
    for output in plan.outputs:
        output.local_path.parent.mkdir(parents=True, exist_ok=True)
    progress = _ProgressReporter(duration_seconds, on_progress)
    try:
        progress.report(0)
        returncode, stderr_tail = _run_ffmpeg(plan.argv, progress)
        if returncode != 0:
            raise TranscodeError(_failure_message(returncode, stderr_tail))
        _publish_outputs(plan.outputs)
        progress.report(100)
    except BaseException:
        _discard_outputs(plan.outputs)
        raise


def _run_ffmpeg(argv: list[str], progress: _ProgressReporter) -> tuple[int, list[str]]:
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
    except OSError as error:
        raise TranscodeError(f"ffmpeg could not be started: {error}") from error
    assert process.stdout is not None
    assert process.stderr is not None
    stderr_tail: deque[str] = deque(maxlen=_STDERR_TAIL_LINES)
    # stderr is drained on its own thread so a chatty ffmpeg never blocks on a full pipe.
    drain = threading.Thread(target=_collect_lines, args=(process.stderr, stderr_tail))
    drain.start()
    try:
        for line in process.stdout:
            progress.feed(line)
        returncode = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        drain.join()
        process.stdout.close()
        process.stderr.close()
    return returncode, list(stderr_tail)


def _collect_lines(stream: IO[str], sink: deque[str]) -> None:
    for line in stream:
        if line.strip():
            sink.append(line.rstrip())


def _failure_message(returncode: int, stderr_tail: list[str]) -> str:
    if returncode < 0:
        reason = f"ffmpeg was killed by signal {-returncode}"
    else:
        reason = f"ffmpeg exited with status {returncode}"
    return "\n".join([reason, *stderr_tail]) if stderr_tail else reason


def _publish_outputs(outputs: list[PlannedOutput]) -> None:
    missing = [o.destination for o in outputs if not _has_content(_partial_path(o.local_path))]
    if missing:
        raise TranscodeError(f"ffmpeg finished without writing {', '.join(missing)}")
    for output in outputs:
        _partial_path(output.local_path).replace(output.local_path)


def _has_content(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _discard_outputs(outputs: list[PlannedOutput]) -> None:
    for output in outputs:
        _partial_path(output.local_path).unlink(missing_ok=True)
        output.local_path.unlink(missing_ok=True)


class _ProgressReporter:
    """Turns ``-progress`` key=value lines into rising whole percentages."""

    def __init__(self, duration_seconds: float, callback: Callable[[int], None] | None):
        self._duration_us = duration_seconds * 1_000_000
        self._callback = callback
        self._last = -1

    def feed(self, line: str) -> None:
        key, _, value = line.strip().partition("=")
        if key != "out_time_us" or self._duration_us <= 0:
            return
        try:
            out_time_us = int(value)
        except ValueError:
            return  # "N/A" before the first frame is out
        # 100 is kept for the moment the outputs are actually in place.
        self.report(min(99, max(0, int(out_time_us * 100 / self._duration_us))))

    def report(self, percent: int) -> None:
        if self._callback is not None and percent > self._last:
            self._last = percent
            self._callback(percent)
