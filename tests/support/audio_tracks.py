"""A video with two audio tracks: one silent, one speaking a known text, either one marked as
the track a player plays by default (its disposition)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.support.media import SPEECH_PADDING_SECONDS, _run, ffmpeg_exe, speech_wav, wav_duration


def make_two_track_video(
    path: Path, speech: str, *, speech_track: int = 2, default_track: int = 1
) -> Path:
    """An H.264 MP4 whose audio track `speech_track` (1 or 2) speaks `speech` and whose other
    audio track is digital silence; `default_track` carries the default disposition."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reelscribe-media-") as scratch:
        wav = speech_wav(speech, Path(scratch) / "speech.wav")
        seconds = wav_duration(wav) + SPEECH_PADDING_SECONDS
        command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
        command += ["-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=25:duration={seconds:.3f}"]
        command += ["-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-i", str(wav)]
        speech_input, silence_input = 2, 1
        first, second = (
            (silence_input, speech_input)
            if speech_track == 2
            else (
                speech_input,
                silence_input,
            )
        )
        command += ["-map", "0:v:0", "-map", f"{first}:a:0", "-map", f"{second}:a:0"]
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        command += ["-af", "apad", "-c:a", "aac", "-b:a", "64k"]
        for index in (0, 1):
            flag = "default" if index + 1 == default_track else "0"
            command += [f"-disposition:a:{index}", flag]
        command += ["-t", f"{seconds:.3f}", "-movflags", "+faststart", str(path)]
        _run(command)
    return path
