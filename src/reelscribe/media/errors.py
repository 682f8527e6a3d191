"""The errors of local media work; the emulator turns each into a job's ERROR status."""

from ..errors import EngineError


class MediaError(EngineError):
    """Base class for every error raised by this package."""


class MediaProbeError(MediaError):
    """The file is not readable media; ``str(error)`` is a plain-English reason."""


class UnsupportedSettingError(MediaError):
    """A job setting the local emulator cannot reproduce; the message names its path."""


class TranscodeError(MediaError):
    """The transcode failed; the message ends with ffmpeg's last stderr lines, if any."""
