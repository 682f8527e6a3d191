"""A MediaConvert job's ``Settings``: which files it writes, where, and with what in them.

Settings this package cannot reproduce faithfully are refused with
:class:`UnsupportedSettingError` rather than approximated silently, so a job that works
locally also means something in the cloud.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .encoders import AudioSpec, VideoSpec, read_audio, read_video
from .errors import UnsupportedSettingError
from .settings_reader import choice, items, reject_active_keys, required, section, unsupported

_ROTATIONS = ("AUTO", "DEGREE_0", "DEGREES_90", "DEGREES_180", "DEGREES_270")
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

# Selector keys that do not change which audio is picked for a single-program file input.
_HARMLESS_SELECTOR_KEYS = ("DefaultSelection", "ProgramSelection", "SelectorType")


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


def read_job(settings: Mapping[str, Any], input_path: Path) -> JobSpec:
    """The job's outputs; ``input_path`` names them when ``FileInput`` is missing (unopened)."""
    reject_active_keys(settings, _UNSUPPORTED_JOB_KEYS, "Settings")
    inputs = items(settings, "Inputs", "Settings")
    if len(inputs) != 1:
        raise UnsupportedSettingError(
            f"Inputs must hold exactly one input (got {len(inputs)}); "
            "multi-input jobs are not supported locally"
        )
    job_input = inputs[0]
    if not isinstance(job_input, dict):
        raise UnsupportedSettingError("Inputs[0] must be an object")
    reject_active_keys(job_input, _UNSUPPORTED_INPUT_KEYS, "Inputs[0]")
    selectors = _audio_selectors(job_input)
    rotate = choice(
        section(job_input, "VideoSelector", "Inputs[0]"),
        "Rotate",
        "Inputs[0].VideoSelector",
        _ROTATIONS,
        default="DEGREE_0",
    )
    input_stem = _input_stem(job_input.get("FileInput"), input_path)

    groups = items(settings, "OutputGroups", "Settings")
    if not groups:
        raise required("OutputGroups")
    outputs: list[OutputSpec] = []
    for group_index, group in enumerate(groups):
        outputs.extend(_read_group(group, group_index, selectors, input_stem))
    _reject_duplicate_destinations(outputs)
    return JobSpec(rotate=rotate, outputs=tuple(outputs))


def _audio_selectors(job_input: Mapping[str, Any]) -> set[str]:
    selectors = section(job_input, "AudioSelectors", "Inputs[0]")
    for name, selector in selectors.items():
        path = f"Inputs[0].AudioSelectors[{name!r}]"
        if not isinstance(selector, dict):
            raise UnsupportedSettingError(f"{path} must be an object")
        # Every selector picks the input's first audio track; anything that would pick
        # another track, shift it in time or pull in a sidecar file is refused.
        for key, value in selector.items():
            if key not in _HARMLESS_SELECTOR_KEYS and value not in (None, 0, [], {}):
                raise unsupported(f"{path}.{key}")
    return set(selectors)


def _input_stem(file_input: object, input_path: Path) -> str:
    # MediaConvert names outputs after the input object, not after any local copy of it.
    if isinstance(file_input, str) and file_input:
        return PurePosixPath(file_input.split("?", 1)[0]).stem
    return input_path.stem


def _read_group(
    group: object, group_index: int, selectors: set[str], input_stem: str
) -> list[OutputSpec]:
    path = f"OutputGroups[{group_index}]"
    if not isinstance(group, dict):
        raise UnsupportedSettingError(f"{path} must be an object")
    reject_active_keys(group, ["AutomatedEncodingSettings"], path)
    group_settings = section(group, "OutputGroupSettings", path)
    group_type = group_settings.get("Type")
    if group_type != "FILE_GROUP_SETTINGS":
        raise unsupported(f"{path}.OutputGroupSettings.Type", group_type)
    file_settings = section(group_settings, "FileGroupSettings", f"{path}.OutputGroupSettings")
    destination_path = f"{path}.OutputGroupSettings.FileGroupSettings.Destination"
    destination = file_settings.get("Destination")
    if not isinstance(destination, str) or not destination:
        raise required(destination_path)
    if not destination.startswith("s3://") or len(destination.split("/", 3)) < 4:
        raise UnsupportedSettingError(
            f"{destination_path}={destination} must be an s3://bucket/key URI"
        )
    base = destination + input_stem if destination.endswith("/") else destination

    outputs = items(group, "Outputs", path)
    if not outputs:
        raise required(f"{path}.Outputs")
    return [
        _read_output(output, f"{path}.Outputs[{index}]", group_index, index, base, selectors)
        for index, output in enumerate(outputs)
    ]


def _read_output(
    output: object,
    path: str,
    group_index: int,
    output_index: int,
    base: str,
    selectors: set[str],
) -> OutputSpec:
    if not isinstance(output, dict):
        raise UnsupportedSettingError(f"{path} must be an object")
    reject_active_keys(output, _UNSUPPORTED_OUTPUT_KEYS, path)
    container = choice(
        section(output, "ContainerSettings", path),
        "Container",
        f"{path}.ContainerSettings",
        ["MP4", "RAW", "GIF"],
        default="MP4",
    )
    video = read_video(output, path)
    audio = read_audio(output, path, selectors)
    _check_container_contents(container, video, audio, path)

    extension = output.get("Extension") or _default_extension(container, audio)
    name_modifier = output.get("NameModifier") or ""
    destination = f"{base}{name_modifier}.{extension}"
    return OutputSpec(path, group_index, output_index, container, destination, video, audio)


def _default_extension(container: str, audio: AudioSpec | None) -> str:
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
    elif video is not None:  # RAW
        raise UnsupportedSettingError(
            f"{path}.VideoDescription: RAW outputs are supported locally for audio only"
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
