"""Each output's video and audio codec settings, as the ffmpeg encoder options that match them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .errors import UnsupportedSettingError
from .settings_reader import (
    choice,
    items,
    positive_int,
    reject_active_keys,
    required,
    section,
    unsupported,
)

# x264 is the cost that matters; veryfast keeps a multi-rendition job near one decode
# plus the encodes while staying well above MediaConvert's lowest quality tier.
_X264_PRESET = "veryfast"

FFMPEG_THREADS = "2"

_H264_PROFILES = {"BASELINE": "baseline", "MAIN": "main", "HIGH": "high"}

_AAC_CHANNELS = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2}

_AAC_SAMPLE_RATES = (8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000)

_MP3_SAMPLE_RATES = (22050, 32000, 44100, 48000)

_SCALING_BEHAVIORS = {"DEFAULT", "STRETCH_TO_OUTPUT", "FIT", "FIT_NO_UPSCALE", "FILL"}

_UNSUPPORTED_VIDEO_KEYS = ("Crop", "Position", "VideoPreprocessors")

_UNSUPPORTED_AUDIO_KEYS = ("AudioNormalizationSettings", "RemixSettings")


@dataclass(frozen=True)
class VideoSpec:
    codec: str  # "H_264" | "GIF"
    width: int | None
    height: int | None
    scaling: str
    frame_rate: Fraction | None  # None keeps the source rate
    encoder_args: tuple[str, ...]


@dataclass(frozen=True)
class AudioSpec:
    codec: str  # "AAC" | "MP3"
    selector: str
    sample_rate: int
    channels: int
    encoder_args: tuple[str, ...]


def read_video(output: Mapping[str, Any], path: str) -> VideoSpec | None:
    if output.get("VideoDescription") is None:
        return None
    description = section(output, "VideoDescription", path)
    path = f"{path}.VideoDescription"
    reject_active_keys(description, _UNSUPPORTED_VIDEO_KEYS, path)
    width = positive_int(description, "Width", path) if "Width" in description else None
    height = positive_int(description, "Height", path) if "Height" in description else None
    scaling = choice(description, "ScalingBehavior", path, _SCALING_BEHAVIORS, "DEFAULT")
    codec_settings = section(description, "CodecSettings", path)
    codec_path = f"{path}.CodecSettings"
    codec = codec_settings.get("Codec")
    if codec == "H_264":
        h264 = section(codec_settings, "H264Settings", codec_path)
        h264_path = f"{codec_path}.H264Settings"
        rate = _frame_rate(h264, h264_path)
        args = _h264_args(h264, h264_path)
        return VideoSpec("H_264", width, height, scaling, rate, args)
    if codec == "GIF":
        gif = section(codec_settings, "GifSettings", codec_path)
        rate = _frame_rate(gif, f"{codec_path}.GifSettings")
        return VideoSpec("GIF", width, height, scaling, rate, ("-c:v", "gif"))
    if codec is None:
        raise required(f"{codec_path}.Codec")
    raise unsupported(f"{codec_path}.Codec", codec)


def _frame_rate(codec_settings: Mapping[str, Any], path: str) -> Fraction | None:
    control = choice(
        codec_settings,
        "FramerateControl",
        path,
        ["INITIALIZE_FROM_SOURCE", "SPECIFIED"],
        "INITIALIZE_FROM_SOURCE",
    )
    if control == "INITIALIZE_FROM_SOURCE":
        return None
    numerator = positive_int(codec_settings, "FramerateNumerator", path)
    denominator = positive_int(codec_settings, "FramerateDenominator", path)
    return Fraction(numerator, denominator)


def _h264_args(h264: Mapping[str, Any], path: str) -> tuple[str, ...]:
    for key, inert in (("InterlaceMode", "PROGRESSIVE"), ("Telecine", "NONE")):
        if h264.get(key, inert) != inert:
            raise unsupported(f"{path}.{key}", h264[key])
    args = ["-c:v", "libx264", "-preset", _X264_PRESET, "-pix_fmt", "yuv420p"]
    args += ["-threads", FFMPEG_THREADS]
    args += _h264_rate_control(h264, path)
    profile = h264.get("CodecProfile")
    if profile is not None:
        if profile not in _H264_PROFILES:
            raise unsupported(f"{path}.CodecProfile", profile)
        args += ["-profile:v", _H264_PROFILES[profile]]
    level = h264.get("CodecLevel", "AUTO")
    if level != "AUTO":
        if not (isinstance(level, str) and level.startswith("LEVEL_")):
            raise unsupported(f"{path}.CodecLevel", level)
        args += ["-level:v", level.removeprefix("LEVEL_").replace("_", ".")]
    args += _h264_gop(h264, path)
    return tuple(args)


def qvbr_to_crf(level: float) -> float:
    """Map a QVBR quality level (1-10) to an x264 CRF.

    Level 7, AWS's suggested level for most content, lands on x264's default CRF 23; each
    level is 3 CRF steps, roughly the bitrate ratio between adjacent QVBR levels.
    """
    return max(0.0, min(51.0, 23 + 3 * (7 - level)))


def _h264_rate_control(h264: Mapping[str, Any], path: str) -> list[str]:
    mode = choice(h264, "RateControlMode", path, ["QVBR", "VBR", "CBR"], "CBR")
    max_bitrate = positive_int(h264, "MaxBitrate", path) if "MaxBitrate" in h264 else None
    hrd_buffer = positive_int(h264, "HrdBufferSize", path) if "HrdBufferSize" in h264 else None
    if mode == "QVBR":
        level = _qvbr_level(section(h264, "QvbrSettings", path), f"{path}.QvbrSettings")
        return ["-crf", f"{qvbr_to_crf(level):g}", *_vbv(max_bitrate, hrd_buffer)]
    bitrate = positive_int(h264, "Bitrate", path)
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
    units = choice(h264, "GopSizeUnits", path, ["FRAMES", "SECONDS", "AUTO"], "FRAMES")
    if size is None or units == "AUTO":
        return []
    if isinstance(size, bool) or not isinstance(size, (int, float)) or size <= 0:
        raise UnsupportedSettingError(f"{path}.GopSize={size!r} must be a positive number")
    if units == "FRAMES":
        return ["-g", str(max(1, round(size)))]
    # Seconds are honoured on timestamps, so the GOP holds even for variable-rate sources.
    return ["-force_key_frames", f"expr:gte(t,n_forced*{size:g})"]


def read_audio(output: Mapping[str, Any], path: str, selectors: set[str]) -> AudioSpec | None:
    descriptions = items(output, "AudioDescriptions", path)
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
    reject_active_keys(description, _UNSUPPORTED_AUDIO_KEYS, path)
    selector = description.get("AudioSourceName", "Audio Selector 1")
    if selector not in selectors:
        raise UnsupportedSettingError(
            f"{path}.AudioSourceName={selector} does not name an AudioSelector of Inputs[0]"
        )
    codec_settings = section(description, "CodecSettings", path)
    codec_path = f"{path}.CodecSettings"
    codec = codec_settings.get("Codec")
    if codec == "AAC":
        return _aac(section(codec_settings, "AacSettings", codec_path), codec_path, selector)
    if codec == "MP3":
        return _mp3(section(codec_settings, "Mp3Settings", codec_path), codec_path, selector)
    if codec is None:
        raise required(f"{codec_path}.Codec")
    raise unsupported(f"{codec_path}.Codec", codec)


def _aac(aac: Mapping[str, Any], codec_path: str, selector: str) -> AudioSpec:
    path = f"{codec_path}.AacSettings"
    mode = choice(aac, "CodingMode", path, _AAC_CHANNELS, "CODING_MODE_2_0")
    choice(aac, "CodecProfile", path, ["LC"], "LC")
    # ffmpeg's AAC encoder has no equivalent of MediaConvert's VBR quality tiers.
    choice(aac, "RateControlMode", path, ["CBR"], "CBR")
    bitrate = positive_int(aac, "Bitrate", path, default=96000)
    sample_rate = _sample_rate(aac, path, _AAC_SAMPLE_RATES)
    args = ("-c:a", "aac", "-b:a", str(bitrate))
    return AudioSpec("AAC", selector, sample_rate, _AAC_CHANNELS[mode], args)


def _mp3(mp3: Mapping[str, Any], codec_path: str, selector: str) -> AudioSpec:
    path = f"{codec_path}.Mp3Settings"
    channels = positive_int(mp3, "Channels", path, default=2)
    if channels not in (1, 2):
        raise unsupported(f"{path}.Channels", channels)
    sample_rate = _sample_rate(mp3, path, _MP3_SAMPLE_RATES)
    mode = choice(mp3, "RateControlMode", path, ["CBR", "VBR"], "CBR")
    if mode == "CBR":
        bitrate = positive_int(mp3, "Bitrate", path, default=128000)
        args: tuple[str, ...] = ("-c:a", "libmp3lame", "-b:a", str(bitrate))
    else:
        quality = mp3.get("VbrQuality", 4)
        if isinstance(quality, bool) or quality not in range(10):
            raise unsupported(f"{path}.VbrQuality", quality)
        args = ("-c:a", "libmp3lame", "-q:a", str(quality))
    return AudioSpec("MP3", selector, sample_rate, channels, args)


def _sample_rate(settings: Mapping[str, Any], path: str, allowed: tuple[int, ...]) -> int:
    rate = positive_int(settings, "SampleRate", path, default=48000)
    if rate not in allowed:
        raise unsupported(f"{path}.SampleRate", rate)
    return rate
