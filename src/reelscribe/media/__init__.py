"""MediaConvert's probes and jobs reproduced locally with PyAV and one ffmpeg process.

``probe`` reads a file; ``plan_transcode`` turns a job's ``Settings`` and that probe into
one ffmpeg command; ``run_transcode`` runs it. ``find_ffmpeg`` says which ffmpeg runs
(``check_ffmpeg`` that it is there).
"""

from .command import PlannedOutput, TranscodePlan, plan_transcode
from .errors import MediaError, MediaProbeError, TranscodeError, UnsupportedSettingError
from .locate import check_ffmpeg, check_ffmpeg_meanwhile, find_ffmpeg
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
    "check_ffmpeg",
    "check_ffmpeg_meanwhile",
    "find_ffmpeg",
    "plan_transcode",
    "probe",
    "run_transcode",
]
