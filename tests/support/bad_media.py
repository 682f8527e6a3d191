"""Broken and awkward uploads, made for real: what users actually send by mistake.

Everything is written with the same static ffmpeg as `tests.support.media`, so no system
tools are needed beyond it.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from tests.support.media import MediaToolError, ffmpeg_exe


def make_empty_file(path: Path) -> Path:
    """A zero-byte file, as an interrupted upload or a failed export leaves behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def make_text_file(path: Path, text: str = "These are my notes, not a video.\n") -> Path:
    """A text file whose name says it is a video."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text * 20, encoding="utf-8")
    return path


def top_level_atoms(path: Path) -> list[str]:
    """The MP4 box types at the top level of `path`, in file order."""
    data = path.read_bytes()
    atoms: list[str] = []
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:  # a 64-bit size follows the type
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        elif size == 0:  # the box runs to the end of the file
            size = len(data) - offset
        atoms.append(kind.decode("latin-1"))
        if size < 8:
            break
        offset += size
    return atoms


def make_truncated_mp4(path: Path, *, seconds: float = 2.0) -> Path:
    """An MP4 with its moov atom at the end, cut to half its size: the index is gone.

    This is what an upload cut off part way looks like when the file was written by a
    camera or an editor that puts the index last (ffmpeg's default, without +faststart).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    whole = path.with_name(path.stem + ".whole.mp4")
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=25:duration={seconds}"]
    command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    command += ["-c:a", "aac", "-b:a", "64k", "-shortest", str(whole)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise MediaToolError(f"ffmpeg exited with {result.returncode}: {result.stderr.strip()}")
    atoms = top_level_atoms(whole)
    if "moov" not in atoms or atoms.index("moov") < atoms.index("mdat"):
        raise MediaToolError(f"expected the moov atom after mdat, got {atoms}")
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    whole.unlink()
    return path
