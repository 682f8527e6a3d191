"""MediaConvert's probes and jobs reproduced locally with PyAV and one ffmpeg process.

``probe`` reads a file; ``plan_transcode`` turns a job's ``Settings`` and that probe into
one ffmpeg command; ``run_transcode`` runs it. ``find_ffmpeg`` says which ffmpeg runs.
"""

from .command import PlannedOutput, TranscodePlan, plan_transcode
from .errors import MediaError, MediaProbeError, TranscodeError, UnsupportedSettingError
from .locate import find_ffmpeg
from .probing import ProbeResult, Track, probe
from .run import run_transcode

__all__ = [
    "MediaError",
    "MediaProbeError",
    "PlannedOutput",
    "ProbeResult",
    "Track",
    "TranscodeError",
    "TranscodePlan",
    "UnsupportedSettingError",
    "find_ffmpeg",
    "plan_transcode",
    "probe",
    "run_transcode",
]
