"""Which ffmpeg executable the local transcodes run."""

from __future__ import annotations

import os
import shutil

from .errors import MediaError


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
