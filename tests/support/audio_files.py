"""Speech in the audio containers people upload, made from a known text by espeak-ng."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.support.media import MediaToolError, ffmpeg_exe, speech_wav

# Extension -> the encoder a phone, a recorder or a podcast tool would use for it.
_ENCODERS = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    ".m4a": ["-c:a", "aac", "-b:a", "64k"],
    ".wav": ["-c:a", "pcm_s16le"],
    ".flac": ["-c:a", "flac"],
    ".ogg": ["-c:a", "libopus", "-b:a", "48k"],
}


def make_speech_audio(path: Path, speech: str) -> Path:
    """Write an audio-only file speaking `speech`, encoded as its extension says."""
    encoder = _ENCODERS[path.suffix.lower()]
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reelscribe-audio-") as scratch:
        wav = speech_wav(speech, Path(scratch) / "speech.wav")
        command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav)]
        result = subprocess.run(
            [*command, "-vn", *encoder, str(path)], capture_output=True, text=True, check=False
        )
    if result.returncode != 0:
        raise MediaToolError(f"ffmpeg could not write {path.name}: {result.stderr.strip()}")
    return path
