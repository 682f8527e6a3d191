"""Each output's video and audio codec settings, as the ffmpeg encoder options that match them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .errors import UnsupportedSettingError
from .settings_reader import Section, required, unsupported

# x264 is the cost that matters; veryfast keeps a multi-rendition job near one decode
# plus the encodes while staying well above MediaConvert's lowest quality tier.
_X264_PRESET = "veryfast"
FFMPEG_THREADS = 2  # a single run's; a batch that shares the cores passes fewer
_H264_PROFILES = {"BASELINE": "baseline", "MAIN": "main", "HIGH": "high"}
_AAC_CHANNELS = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2}
# The model gives only the range; these are the rates the encoders take within it.
_AAC_SAMPLE_RATES = (8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000)
_MP3_SAMPLE_RATES = (22050, 32000, 44100, 48000)
_SCALING_BEHAVIORS = ("DEFAULT", "STRETCH_TO_OUTPUT", "FIT", "FIT_NO_UPSCALE", "FILL")
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
    max_frames: int | None = None  # FRAME_CAPTURE's MaxCaptures


@dataclass(frozen=True)
class AudioSpec:
    codec: str  # "AAC" | "MP3"
    selector: str
    sample_rate: int
    channels: int
    encoder_args: tuple[str, ...]


def read_video(output: Section) -> VideoSpec | None:
    if not output.has("VideoDescription"):
        return None
    description = output.section("VideoDescription")
    description.reject_active(_UNSUPPORTED_VIDEO_KEYS)
    width = description.integer("Width") if description.has("Width") else None
    height = description.integer("Height") if description.has("Height") else None
    scaling = description.choice("ScalingBehavior", "DEFAULT", _SCALING_BEHAVIORS)
    codec_settings = description.section("CodecSettings")
    codec = codec_settings.get("Codec")
    if codec == "H_264":
        h264 = codec_settings.section("H264Settings")
        return VideoSpec("H_264", width, height, scaling, _frame_rate(h264), _h264_args(h264))
    if codec == "GIF":
        rate = _frame_rate(codec_settings.section("GifSettings"))
        return VideoSpec("GIF", width, height, scaling, rate, ("-c:v", "gif"))
    if codec == "FRAME_CAPTURE":
        return _frame_capture(
            codec_settings.section("FrameCaptureSettings"), width, height, scaling
        )
    if codec is None:
        raise required(codec_settings.at("Codec"))
    raise unsupported(codec_settings.at("Codec"), codec)


def _frame_capture(
    capture: Section, width: int | None, height: int | None, scaling: str
) -> VideoSpec:
    """JPEG stills at FramerateNumerator/FramerateDenominator a second, MaxCaptures at most."""
    rate = Fraction(capture.integer("FramerateNumerator"), capture.integer("FramerateDenominator"))
    quality = capture.integer("Quality", 80)
    # MediaConvert's JPEG Quality runs 1-100 (best); ffmpeg's mjpeg qscale runs 31-2 (best).
    qscale = round(31 - (quality - 1) * 29 / 99)
    most = capture.integer("MaxCaptures") if capture.has("MaxCaptures") else None
    args = ("-c:v", "mjpeg", "-q:v", str(qscale))
    return VideoSpec("FRAME_CAPTURE", width, height, scaling, rate, args, most)


def _frame_rate(codec_settings: Section) -> Fraction | None:
    if codec_settings.choice("FramerateControl", "INITIALIZE_FROM_SOURCE") != "SPECIFIED":
        return None
    numerator = codec_settings.integer("FramerateNumerator")
    return Fraction(numerator, codec_settings.integer("FramerateDenominator"))


def _h264_args(h264: Section) -> tuple[str, ...]:
    h264.choice("InterlaceMode", "PROGRESSIVE", ["PROGRESSIVE"])
    h264.choice("Telecine", "NONE", ["NONE"])
    args = ["-c:v", "libx264", "-preset", _X264_PRESET, "-pix_fmt", "yuv420p"]
    args += _h264_rate_control(h264)
    if h264.has("CodecProfile"):
        profile = h264.choice("CodecProfile", "MAIN", _H264_PROFILES)
        args += ["-profile:v", _H264_PROFILES[profile]]
    level = h264.choice("CodecLevel", "AUTO")
    if level != "AUTO":
        args += ["-level:v", level.removeprefix("LEVEL_").replace("_", ".")]
    args += _h264_gop(h264)
    return tuple(args)


def qvbr_to_crf(level: float) -> float:
    """Map a QVBR quality level (1-10) to an x264 CRF.

    Level 7, AWS's suggested level for most content, lands on x264's default CRF 23; each
    level is 3 CRF steps, roughly the bitrate ratio between adjacent QVBR levels.
    """
    return max(0.0, min(51.0, 23 + 3 * (7 - level)))


def _h264_rate_control(h264: Section) -> list[str]:
    mode = h264.choice("RateControlMode", "CBR")
    max_bitrate = h264.integer("MaxBitrate") if h264.has("MaxBitrate") else None
    hrd_buffer = h264.integer("HrdBufferSize") if h264.has("HrdBufferSize") else None
    if mode == "QVBR":
        qvbr = h264.section("QvbrSettings")
        level = qvbr.integer("QvbrQualityLevel", 7) + (
            qvbr.number("QvbrQualityLevelFineTune", 0) or 0
        )
        return ["-crf", f"{qvbr_to_crf(level):g}", *_vbv(max_bitrate, hrd_buffer)]
    bitrate = h264.integer("Bitrate")
    if mode == "CBR":
        return ["-b:v", str(bitrate), *_vbv(bitrate, hrd_buffer)]
    return ["-b:v", str(bitrate), *_vbv(max_bitrate, hrd_buffer)]


def _vbv(max_bitrate: int | None, hrd_buffer: int | None) -> list[str]:
    # x264 only honours a peak rate together with a buffer size; without HrdBufferSize,
    # two seconds at the peak rate is a conventional streaming-friendly buffer.
    if max_bitrate is None:
        return []
    return ["-maxrate", str(max_bitrate), "-bufsize", str(hrd_buffer or 2 * max_bitrate)]


def _h264_gop(h264: Section) -> list[str]:
    units = h264.choice("GopSizeUnits", "FRAMES")
    size = h264.number("GopSize")
    if size is None or units == "AUTO":
        return []
    if size <= 0:
        raise UnsupportedSettingError(f"{h264.at('GopSize')}={size:g} must be positive")
    if units == "FRAMES":
        return ["-g", str(max(1, round(size)))]
    # Seconds are honoured on timestamps, so the GOP holds even for variable-rate sources.
    return ["-force_key_frames", f"expr:gte(t,n_forced*{size:g})"]


def read_audio(output: Section, selectors: set[str]) -> AudioSpec | None:
    descriptions = output.sections("AudioDescriptions")
    if not descriptions:
        return None
    if len(descriptions) > 1:
        raise UnsupportedSettingError(
            f"{output.at('AudioDescriptions')}: only one audio track per output is supported "
            "locally"
        )
    description = descriptions[0]
    description.reject_active(_UNSUPPORTED_AUDIO_KEYS)
    selector = description.get("AudioSourceName", "Audio Selector 1")
    if selector not in selectors:
        raise UnsupportedSettingError(
            f"{description.at('AudioSourceName')}={selector} does not name an AudioSelector "
            "of Inputs[0]"
        )
    codec_settings = description.section("CodecSettings")
    codec = codec_settings.get("Codec")
    if codec == "AAC":
        return _aac(codec_settings.section("AacSettings"), selector)
    if codec == "MP3":
        return _mp3(codec_settings.section("Mp3Settings"), selector)
    if codec is None:
        raise required(codec_settings.at("Codec"))
    raise unsupported(codec_settings.at("Codec"), codec)


def _aac(aac: Section, selector: str) -> AudioSpec:
    mode = aac.choice("CodingMode", "CODING_MODE_2_0", _AAC_CHANNELS)
    aac.choice("CodecProfile", "LC", ["LC"])
    # ffmpeg's AAC encoder has no equivalent of MediaConvert's VBR quality tiers.
    aac.choice("RateControlMode", "CBR", ["CBR"])
    bitrate = aac.integer("Bitrate", 96000)
    sample_rate = _sample_rate(aac, _AAC_SAMPLE_RATES)
    args = ("-c:a", "aac", "-b:a", str(bitrate))
    return AudioSpec("AAC", selector, sample_rate, _AAC_CHANNELS[mode], args)


def _mp3(mp3: Section, selector: str) -> AudioSpec:
    channels = mp3.integer("Channels", 2)
    if channels not in (1, 2):
        raise unsupported(mp3.at("Channels"), channels)
    sample_rate = _sample_rate(mp3, _MP3_SAMPLE_RATES)
    if mp3.choice("RateControlMode", "CBR") == "CBR":
        args: tuple[str, ...] = ("-c:a", "libmp3lame", "-b:a", str(mp3.integer("Bitrate", 128000)))
    else:
        args = ("-c:a", "libmp3lame", "-q:a", str(mp3.integer("VbrQuality", 4)))
    return AudioSpec("MP3", selector, sample_rate, channels, args)


def _sample_rate(codec_settings: Section, supported: tuple[int, ...]) -> int:
    rate = codec_settings.integer("SampleRate", 48000)
    if rate not in supported:
        raise unsupported(codec_settings.at("SampleRate"), rate)
    return rate
