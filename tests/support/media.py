"""Real test media built from a known text.

Speech comes from espeak-ng, so the reference transcript is exact; video and encoding come
from the static ffmpeg that the imageio-ffmpeg wheel ships, so no system ffmpeg is needed.
Tests that need speech should skip when `espeak_available()` is False.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Literal

import imageio_ffmpeg  # type: ignore[import-untyped]  # the wheel ships no type information

DEFAULT_SPEECH = "The quick brown fox jumps over the lazy dog."
# Without audio to measure, a clip still needs a length.
DEFAULT_SILENT_SECONDS = 2.0
# A little room after the last word, so the speech is not cut at the edge of the clip.
SPEECH_PADDING_SECONDS = 0.5

AudioKind = Literal["speech", "silent", "none"]


class MediaToolError(RuntimeError):
    """A media tool failed; the message carries the tool's own error output."""


def ffmpeg_exe() -> str:
    """The path of the static ffmpeg shipped by imageio-ffmpeg."""
    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    return exe


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speech_wav(text: str, path: Path, *, voice: str = "en-us", words_per_minute: int = 150) -> Path:
    """Speak `text` into a WAV file at `path` (22.05 kHz mono, as espeak-ng writes it)."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise MediaToolError("espeak-ng is not installed; it is needed to make test speech")
    path.parent.mkdir(parents=True, exist_ok=True)
    _run([exe, "-v", voice, "-s", str(words_per_minute), "-w", str(path), text])
    return path


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def make_video(
    path: Path,
    *,
    width: int = 640,
    height: int = 360,
    duration: float | None = None,
    speech: str | None = None,
    audio: AudioKind = "speech",
    fps: int = 25,
    audio_start: float = 0.0,
    voice: str = "en-us",
) -> Path:
    """Write an H.264/AAC MP4 test clip: ffmpeg's testsrc2 pattern plus the chosen audio.

    With `audio="speech"` the track speaks `speech` (a stock sentence when None) and the clip
    lasts the speech plus a short pad unless `duration` is given; "silent" is a real but
    silent AAC track; "none" leaves the file without any audio stream. `audio_start` starts the
    audio stream that many seconds into the video (its stream start time), as some cameras and
    editors write it. `voice` is the espeak-ng voice that speaks it ("es", "fr", "de"...).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reelscribe-media-") as scratch:
        inputs, seconds = _audio_inputs(Path(scratch), audio, speech, duration, voice)
        if audio_start and inputs:
            inputs = ["-itsoffset", f"{audio_start:.3f}", *inputs]
            seconds += audio_start if duration is None else 0.0
        video = f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds:.3f}"
        command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
        command += ["-f", "lavfi", "-i", video, *inputs]
        command += ["-map", "0:v:0"]
        if audio != "none":
            # apad lets a short speech track run to the end of a longer requested clip.
            command += ["-map", "1:a:0", "-af", "apad", "-c:a", "aac", "-b:a", "64k"]
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        command += ["-t", f"{seconds:.3f}", "-movflags", "+faststart", str(path)]
        _run(command)
    return path


def make_colour_clip(
    path: Path,
    colours: list[tuple[str, float]],
    *,
    size: tuple[int, int] = (320, 180),
    fps: int = 25,
) -> Path:
    """Write a silent H.264 MP4 of solid colours one after another, each for its seconds, so
    the colour of a still says when it was taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    for colour, seconds in colours:
        source = f"color=c={colour}:size={size[0]}x{size[1]}:rate={fps}:duration={seconds:.3f}"
        command += ["-f", "lavfi", "-i", source]
    labels = "".join(f"[{index}:v]" for index in range(len(colours)))
    command += ["-filter_complex", f"{labels}concat=n={len(colours)}:v=1:a=0[v]", "-map", "[v]"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    command += ["-movflags", "+faststart", str(path)]
    _run(command)
    return path


def make_audio_only(path: Path, speech: str, *, voice: str = "en-us") -> Path:
    """Write an MP4 whose only stream is AAC audio speaking `speech` in espeak-ng's `voice`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reelscribe-media-") as scratch:
        wav = speech_wav(speech, Path(scratch) / "speech.wav", voice=voice)
        command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav)]
        command += ["-vn", "-c:a", "aac", "-b:a", "64k", "-f", "mp4", str(path)]
        _run(command)
    return path


def make_silent_wav(path: Path, seconds: float, *, sample_rate: int = 16000) -> Path:
    """Write a WAV of digital silence: speech recognition must return nothing for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(b"\x00\x00" * int(seconds * sample_rate))
    return path


def _audio_inputs(
    scratch: Path, audio: AudioKind, speech: str | None, duration: float | None, voice: str
) -> tuple[list[str], float]:
    if audio == "speech":
        text = speech if speech is not None else DEFAULT_SPEECH
        wav = speech_wav(text, scratch / "speech.wav", voice=voice)
        seconds = duration if duration is not None else wav_duration(wav) + SPEECH_PADDING_SECONDS
        return ["-i", str(wav)], seconds
    seconds = duration if duration is not None else DEFAULT_SILENT_SECONDS
    if audio == "silent":
        return ["-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo"], seconds
    return [], seconds


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise MediaToolError(
            f"{Path(command[0]).name} exited with {result.returncode}: {result.stderr.strip()}"
        )
