"""What a media file holds, read with PyAV in the shape of MediaConvert's ``Probe``.

The emulated ``Probe`` call, the transcode plan and the report's media facts all read files
through :func:`probe`, so there is one reading of containers and one codec table.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from av.container import InputContainer
from av.stream import Disposition, Stream

from .errors import MediaProbeError

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

# FFmpeg codec (descriptor) name -> (MediaConvert Codec enum, the name people know it by).
# A codec missing here is UNKNOWN to MediaConvert and shown by its ffmpeg name.
_CODECS = {
    "aac": ("AAC", "AAC"),
    "ac3": ("AC3", "AC3"),
    "amr_nb": ("AMR", "AMR_NB"),
    "amr_wb": ("AMR", "AMR_WB"),
    "eac3": ("EAC3", "EAC3"),
    "flac": ("FLAC", "FLAC"),
    "mp2": ("MP2", "MP2"),
    "mp3": ("MP3", "MP3"),
    "opus": ("OPUS", "Opus"),
    "vorbis": ("VORBIS", "VORBIS"),
    "wmav1": ("WMA", "WMAV1"),
    "wmav2": ("WMA2", "WMAV2"),
    "wmapro": ("WMAPRO", "WMAPRO"),
    "av1": ("AV1", "AV1"),
    "h264": ("AVC", "H.264"),
    "dvvideo": ("DV", "DVVIDEO"),
    "h263": ("H263", "H263"),
    "hevc": ("HEVC", "H.265 (HEVC)"),
    "jpeg2000": ("JPEG2000", "JPEG2000"),
    "mjpeg": ("MJPEG", "MJPEG"),
    "mpeg1video": ("MPEG1", "MPEG1VIDEO"),
    "mpeg4": ("MP4V", "MPEG4"),
    "mpeg2video": ("MPEG2", "MPEG2VIDEO"),
    "prores": ("PRORES", "PRORES"),
    "qtrle": ("QTRLE", "QTRLE"),
    "theora": ("THEORA", "THEORA"),
    "rawvideo": ("UNCOMPRESSED", "RAWVIDEO"),
    "vc1": ("VC1", "VC1"),
    "wmv3": ("VC1", "WMV3"),
    "dnxhd": ("VC3", "DNXHD"),
    "vp8": ("VP8", "VP8"),
    "vp9": ("VP9", "VP9"),
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
class Track:
    """One video, audio or data track."""

    index: int  # MediaConvert numbering: 1-based over the reported tracks
    stream_index: int  # ffmpeg's stream index, for -map / filter labels
    kind: str  # "video" | "audio" | "data"
    codec: str  # MediaConvert's Codec enum
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
    codec_label: str = ""  # the codec's everyday name ("H.264")
    profile: str = ""  # the codec profile ffmpeg reports ("High", "LC")
    channel_layout: str = ""  # "mono", "stereo", "5.1"...

    def as_response(self) -> dict[str, Any]:
        """The track as MediaConvert's ``Probe`` API returns it."""
        result: dict[str, Any] = {
            "Index": self.index,
            "TrackType": self.kind,
            "Codec": self.codec,
            "Duration": self.duration,
        }
        if self.kind == "video":
            rate = self.frame_rate or Fraction(0)
            result["VideoProperties"] = {
                "Width": self.width,
                "Height": self.height,
                "FrameRate": {"Numerator": rate.numerator, "Denominator": rate.denominator},
                "BitRate": self.bit_rate,
                "BitDepth": self.bit_depth,
                "Rotation": self.rotation,
            }
        elif self.kind == "audio":
            result["AudioProperties"] = {
                "Channels": self.channels,
                "SampleRate": self.sample_rate,
                "BitRate": self.bit_rate,
            }
        return result


@dataclass(frozen=True)
class ProbeResult:
    """One file's container and tracks, as MediaConvert's ``ProbeResult`` describes them."""

    format: str  # MediaConvert's Format enum; "" for a container MediaConvert does not read
    duration: float
    bit_rate: int
    size: int
    tracks: tuple[Track, ...]

    def first(self, kind: str) -> Track | None:
        return next((track for track in self.tracks if track.kind == kind), None)

    @property
    def mime_type(self) -> str:
        mime = _MIME_BY_FORMAT.get(self.format, "application/octet-stream")
        if self.first("video") is None and mime.startswith("video/"):
            # Audio-only files in video-capable containers (.m4a, .weba, .ogg) are audio/*.
            return "audio/" + mime.removeprefix("video/")
        return mime

    def as_response(self) -> dict[str, Any]:
        """The result as MediaConvert's ``Probe`` API returns it (one ``ProbeResult``)."""
        indexes = {
            kind: [track.index for track in self.tracks if track.kind == kind]
            for kind in ("video", "audio", "data")
        }
        return {
            "Container": {
                "Format": self.format,
                "Duration": self.duration,
                "BitRate": self.bit_rate,
                "Tracks": [track.as_response() for track in self.tracks],
            },
            "Metadata": {"FileSize": self.size, "MimeType": self.mime_type},
            "TrackMappings": [
                {
                    "VideoTrackIndexes": indexes["video"],
                    "AudioTrackIndexes": indexes["audio"],
                    "DataTrackIndexes": indexes["data"],
                }
            ],
        }


def probe(path: Path, *, mediaconvert_input: bool = True, rotations: bool = True) -> ProbeResult:
    """Describe a media file the way MediaConvert's ``Probe`` API does.

    Track indexes start at 1, as in MediaConvert. ``rotation`` is the clockwise rotation a
    player applies (0, 90, 180 or 270); reading it decodes each video stream's first frame,
    which a caller that shows none skips with ``rotations=False`` (every track is then
    reported unrotated). A bit rate the container does not record is worked
    out from the size and duration. Raises :class:`MediaProbeError` if the file is not
    media, or, unless ``mediaconvert_input`` is false, if MediaConvert would not take it as
    a job input (a container it does not read, or no audio or video track): a report shows
    a GIF output's facts, though no job takes a GIF in.
    """
    path = Path(path)
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
        if not media_format and mediaconvert_input:
            raise MediaProbeError(
                f"the container format is not one MediaConvert reads: {container.format.long_name}"
            )
        duration = _container_duration(container)
        tracks = _read_tracks(container, duration, rotations)
        bit_rate = container.bit_rate or (int(size * 8 / duration) if duration > 0 else 0)
    if mediaconvert_input and not any(track.kind in ("video", "audio") for track in tracks):
        raise MediaProbeError("the file has no audio or video tracks")
    return ProbeResult(media_format, duration, int(bit_rate), size, tracks)


def _av_reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def _container_format(container: InputContainer, path: Path) -> str:
    demuxer = container.format.name
    if demuxer == _MOV_DEMUXER:
        return _mov_family_format(container.metadata.get("major_brand", ""), path)
    if demuxer == _MATROSKA_DEMUXER:
        return "webm" if _ebml_doctype_is_webm(path) else "matroska"
    return _FORMAT_BY_DEMUXER.get(demuxer, "")


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


def _read_tracks(
    container: InputContainer, container_duration: float, read_rotations: bool
) -> tuple[Track, ...]:
    rotations = _first_frame_rotations(container) if read_rotations else {}
    tracks: list[Track] = []
    for stream in container.streams:
        kind = _track_kind(stream)
        if kind is None:
            continue
        name = stream.codec_context.codec.canonical_name
        codec, label = _CODECS.get(name, ("PCM" if name.startswith("pcm_") else "UNKNOWN", ""))
        common: dict[str, Any] = {
            "index": len(tracks) + 1,
            "stream_index": stream.index,
            "kind": kind,
            "codec": codec,
            "codec_label": label or name.upper(),
            "profile": stream.profile or "",
            "duration": _stream_duration(stream) or container_duration,
            "bit_rate": stream.codec_context.bit_rate or 0,
        }
        if isinstance(stream, av.VideoStream):
            tracks.append(_video_track(stream, rotations.get(stream.index, 0), common))
        elif isinstance(stream, av.AudioStream):
            tracks.append(_audio_track(stream, common))
        else:
            tracks.append(Track(**common))
    return tuple(tracks)


def _track_kind(stream: Stream) -> str | None:
    if stream.type == "video":
        # Cover art is stored as a one-picture video stream; it is not a video track.
        return None if stream.disposition & Disposition.attached_pic else "video"
    if stream.type == "audio":
        return "audio"
    if stream.type in ("subtitle", "data"):
        return "data"
    return None


def _video_track(stream: av.VideoStream, rotation: int, common: dict[str, Any]) -> Track:
    context = stream.codec_context
    return Track(
        **common,
        width=context.width,
        height=context.height,
        frame_rate=stream.average_rate or stream.guessed_rate,
        sample_aspect=stream.sample_aspect_ratio or Fraction(1),
        rotation=rotation,
        bit_depth=_bit_depth(context.pix_fmt),
    )


def _audio_track(stream: av.AudioStream, common: dict[str, Any]) -> Track:
    context = stream.codec_context
    layout = context.layout.name if context.layout else ""
    return Track(
        **common,
        channels=context.channels,
        sample_rate=context.sample_rate,
        channel_layout=layout,
    )


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
