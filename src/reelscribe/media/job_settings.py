"""A MediaConvert job's ``Settings``: which files it writes, where, and with what in them.

Settings this package cannot reproduce faithfully are refused with
:class:`UnsupportedSettingError` rather than approximated silently, so a job that works
locally also means something in the cloud.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .encoders import AudioSpec, VideoSpec, read_audio, read_video
from .errors import UnsupportedSettingError
from .settings_reader import Section, required, unsupported

# Keys that change the picture, sound or timing in ways this package does not reproduce.
# They are refused unless their value is inert (absent, empty or "DISABLED").
_UNSUPPORTED_JOB_KEYS = (
    "AvailBlanking",
    "ColorConversion3DLUTSettings",
    "Esam",
    "KantarWatermark",
    "MotionImageInserter",
    "MotionImageInserters",
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
# Selector keys that do not change which audio is picked for a single-program file input.
_HARMLESS_SELECTOR_KEYS = ("DefaultSelection", "ProgramSelection", "SelectorType")
_CONTAINERS = ("MP4", "RAW", "GIF")
# The printf pattern of a frame capture's still number in its destination (7 digits, from 0).
FRAME_NUMBER = "%07d"


@dataclass(frozen=True)
class OutputSpec:
    path: str  # settings path, for messages
    group_index: int
    output_index: int
    container: str
    destination: str
    video: VideoSpec | None
    audio: AudioSpec | None


@dataclass(frozen=True)
class JobSpec:
    rotate: str  # VideoSelector.Rotate
    outputs: tuple[OutputSpec, ...]
    # Each AudioSelector's track, from 1 over the input's audio tracks.
    audio_tracks: Mapping[str, int] = field(default_factory=dict)


def read_job(settings: Mapping[str, Any], input_path: Path) -> JobSpec:
    """The job's outputs, with every setting checked against the model and what runs locally.

    ``input_path`` names outputs when ``FileInput`` is missing; the file is not opened.
    """
    job = Section.of_job(settings)
    job.reject_active(_UNSUPPORTED_JOB_KEYS)
    inputs = job.sections("Inputs")
    if len(inputs) != 1:
        raise UnsupportedSettingError(
            f"Inputs must hold exactly one input (got {len(inputs)}); "
            "multi-input jobs are not supported locally"
        )
    job_input = inputs[0]
    job_input.reject_active(_UNSUPPORTED_INPUT_KEYS)
    selectors = _audio_selectors(job_input)
    rotate = job_input.section("VideoSelector").choice("Rotate", "DEGREE_0")
    input_stem = _input_stem(job_input.get("FileInput"), input_path)

    groups = job.sections("OutputGroups")
    if not groups:
        raise required("OutputGroups")
    outputs: list[OutputSpec] = []
    for group_index, group in enumerate(groups):
        outputs.extend(_read_group(group, group_index, set(selectors), input_stem))
    _reject_duplicate_destinations(outputs)
    return JobSpec(rotate=rotate, outputs=tuple(outputs), audio_tracks=selectors)


def _audio_selectors(job_input: Section) -> dict[str, int]:
    """Each selector's audio track, numbered from 1 over the input's audio tracks, as
    ``Tracks`` counts them; a selector without ``Tracks`` takes the first, as MediaConvert
    does. Anything that would mix tracks, pick by PID or language, shift the audio in time or
    pull in a sidecar file is refused."""
    selectors = job_input.named_sections("AudioSelectors")
    tracks: dict[str, int] = {}
    for name, selector in selectors.items():
        for key, value in selector.values.items():
            if key not in (*_HARMLESS_SELECTOR_KEYS, "Tracks") and value not in (None, 0, [], {}):
                raise unsupported(selector.at(key))
        chosen = selector.get("Tracks") or [1]
        if len(chosen) != 1:
            raise unsupported(selector.at("Tracks"), f"{chosen} (tracks mixed in one selector)")
        if isinstance(chosen[0], bool) or not isinstance(chosen[0], int) or chosen[0] < 1:
            raise UnsupportedSettingError(
                f"{selector.at('Tracks')}={chosen!r} must hold track numbers from 1"
            )
        tracks[name] = chosen[0]
    return tracks


def _input_stem(file_input: object, input_path: Path) -> str:
    # MediaConvert names outputs after the input object, not after any local copy of it.
    if isinstance(file_input, str) and file_input:
        return PurePosixPath(file_input.split("?", 1)[0]).stem
    return Path(input_path).stem


def _read_group(
    group: Section, group_index: int, selectors: set[str], input_stem: str
) -> list[OutputSpec]:
    group.reject_active(["AutomatedEncodingSettings"])
    group_settings = group.section("OutputGroupSettings")
    if not group_settings.has("Type"):
        raise required(group_settings.at("Type"))
    group_settings.choice("Type", "FILE_GROUP_SETTINGS", ["FILE_GROUP_SETTINGS"])
    file_settings = group_settings.section("FileGroupSettings")
    destination_path = file_settings.at("Destination")
    destination = file_settings.get("Destination")
    if not isinstance(destination, str) or not destination:
        raise required(destination_path)
    if not destination.startswith("s3://") or len(destination.split("/", 3)) < 4:
        raise UnsupportedSettingError(
            f"{destination_path}={destination} must be an s3://bucket/key URI"
        )
    base = destination + input_stem if destination.endswith("/") else destination

    outputs = group.sections("Outputs")
    if not outputs:
        raise required(group.at("Outputs"))
    return [
        _read_output(output, group_index, index, base, selectors)
        for index, output in enumerate(outputs)
    ]


def _read_output(
    output: Section, group_index: int, output_index: int, base: str, selectors: set[str]
) -> OutputSpec:
    output.reject_active(_UNSUPPORTED_OUTPUT_KEYS)
    container = output.section("ContainerSettings").choice("Container", "MP4", _CONTAINERS)
    video = read_video(output)
    audio = read_audio(output, selectors)
    _check_container_contents(container, video, audio, output.path)

    extension = output.get("Extension") or _default_extension(container, audio, video)
    name_modifier = output.get("NameModifier") or ""
    if video is not None and video.codec == "FRAME_CAPTURE":
        # Stills are numbered as MediaConvert numbers them: <base><modifier>.0000000.jpg, ...
        extension = f"{FRAME_NUMBER}.{extension}"
    destination = f"{base}{name_modifier}.{extension}"
    return OutputSpec(output.path, group_index, output_index, container, destination, video, audio)


def _default_extension(container: str, audio: AudioSpec | None, video: VideoSpec | None) -> str:
    if video is not None and video.codec == "FRAME_CAPTURE":
        return "jpg"
    if container == "RAW":
        # Raw outputs are named after their codec, as MediaConvert does.
        return "mp3" if audio is not None and audio.codec == "MP3" else "aac"
    return container.lower()


def _check_container_contents(
    container: str, video: VideoSpec | None, audio: AudioSpec | None, path: str
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
            raise unsupported(video_path, f"{video.codec} in an MP4 container")
        if audio is not None and audio.codec != "AAC":
            raise unsupported(audio_path, f"{audio.codec} in an MP4 container")
    elif video is not None and video.codec == "FRAME_CAPTURE":  # RAW
        if audio is not None:
            raise UnsupportedSettingError(
                f"{path}.AudioDescriptions: frame capture outputs have no audio"
            )
    elif video is not None:  # RAW
        raise UnsupportedSettingError(
            f"{path}.VideoDescription: RAW outputs hold audio or FRAME_CAPTURE stills only"
        )


def _reject_duplicate_destinations(outputs: Iterable[OutputSpec]) -> None:
    seen: dict[str, str] = {}
    for spec in outputs:
        if spec.destination in seen:
            raise UnsupportedSettingError(
                f"{spec.path} writes {spec.destination}, already written by "
                f"{seen[spec.destination]}; set a distinct NameModifier"
            )
        seen[spec.destination] = spec.path
