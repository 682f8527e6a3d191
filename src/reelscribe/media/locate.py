"""Which ffmpeg executable the local transcodes run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .errors import MediaError

FFMPEG_ENV_VAR = "REELSCRIBE_FFMPEG"


def find_ffmpeg() -> str:
    """Return the ffmpeg executable to run.

    ``REELSCRIBE_FFMPEG`` wins so a developer can point at a custom build; the static build
    shipped with ``imageio-ffmpeg`` comes next because it is pinned with the project and has
    every encoder the jobs need; a system ffmpeg is the last resort.
    """
    configured = os.environ.get(FFMPEG_ENV_VAR)
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


def check_ffmpeg() -> str:
    """The ffmpeg `find_ffmpeg` gives, checked to be there, so that a wrong `REELSCRIBE_FFMPEG`
    is told before a run rather than found at its first transcode."""
    ffmpeg = find_ffmpeg()
    if shutil.which(ffmpeg) is None:
        raise MediaError(
            f"{FFMPEG_ENV_VAR} ({ffmpeg}) is not an executable: point it at an ffmpeg, or unset "
            "it to use the bundled one"
        )
    return ffmpeg


def check_ffmpeg_meanwhile() -> Callable[[], str]:
    """`check_ffmpeg` on a thread of its own, and the call that waits for its answer or raises
    its error. Finding the bundled ffmpeg runs it once to see that it works: 20 ms in which a
    run's main thread can go on importing."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ffmpeg-check")
    answer = pool.submit(check_ffmpeg)
    pool.shutdown(wait=False)
    return answer.result
