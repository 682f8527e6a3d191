"""Real pictures and clips with known contents, for the on-screen detectors.

A slide's text is drawn with Pillow's bundled font (no system font needed), the face is
scikit-image's public-domain astronaut photograph, and clips are cut together by the static
ffmpeg at known times.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.support.media import ffmpeg_exe

SLIDE_LINES = ("Quarterly results 2026", "Revenue up 12 percent")


def make_slide(
    path: Path, size: tuple[int, int] = (1280, 720), lines: tuple[str, ...] = SLIDE_LINES
) -> Path:
    """Dark text on a light slide, one line under another, as PNG or JPEG by suffix."""
    picture = Image.new("RGB", size, (245, 245, 240))
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=max(16, size[1] // 12))
    top = size[1] // 4
    for line in lines:
        draw.text((size[0] // 10, top), line, fill=(20, 20, 30), font=font)
        top += size[1] // 6
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path)
    return path


def make_face_photo(path: Path, size: tuple[int, int] | None = None) -> Path:
    """scikit-image's astronaut (Eileen Collins, NASA, public domain): one clear face."""
    from skimage import data

    picture = Image.fromarray(data.astronaut())
    if size is not None:
        canvas = Image.new("RGB", size, (0, 0, 0))
        picture.thumbnail(size)
        canvas.paste(picture, ((size[0] - picture.width) // 2, (size[1] - picture.height) // 2))
        picture = canvas
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, quality=92)  # quality applies to JPEG; PNG ignores it
    return path


@dataclass(frozen=True)
class CutClip:
    path: Path
    cuts: tuple[float, ...]  # seconds where a new shot starts
    black: tuple[float, float]  # the black gap
    slide: tuple[float, float]  # when the slide is on screen
    face: tuple[float, float]  # when the astronaut is on screen
    frame_rate: int


def make_cut_clip(folder: Path, size: tuple[int, int] = (640, 360), rate: int = 25) -> CutClip:
    """A test pattern, a blue card, a black gap, a slide with known text and a photograph
    with a face, each a shot, as H.264 in MP4."""
    folder.mkdir(parents=True, exist_ok=True)
    slide = make_slide(folder / "slide.png", size)
    face = make_face_photo(folder / "face.png", size)
    w, h = size
    parts = [  # (input arguments, seconds)
        (["-f", "lavfi", "-i", f"testsrc2=size={w}x{h}:rate={rate}"], 2.0),
        (["-f", "lavfi", "-i", f"color=c=0x2050c0:size={w}x{h}:rate={rate}"], 2.0),
        (["-f", "lavfi", "-i", f"color=c=black:size={w}x{h}:rate={rate}"], 1.0),
        (["-loop", "1", "-framerate", str(rate), "-i", str(slide)], 3.0),
        (["-loop", "1", "-framerate", str(rate), "-i", str(face)], 3.0),
    ]
    argv = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    chains = []
    for index, (inputs, seconds) in enumerate(parts):
        argv += ["-t", str(seconds), *inputs]
        chains.append(f"[{index}:v]fps={rate},format=yuv420p,setsar=1[v{index}]")
    labels = "".join(f"[v{i}]" for i in range(len(parts)))
    graph = ";".join([*chains, f"{labels}concat=n={len(parts)}:v=1:a=0[out]"])
    path = folder / "cuts.mp4"
    argv += ["-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast"]
    argv += ["-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)]
    subprocess.run(argv, check=True, capture_output=True)
    starts = [0.0]
    for _, seconds in parts:
        starts.append(starts[-1] + seconds)
    return CutClip(
        path=path,
        cuts=tuple(starts[1:-1]),
        black=(starts[2], starts[3]),
        slide=(starts[3], starts[4]),
        face=(starts[4], starts[5]),
        frame_rate=rate,
    )


def make_long_clip(
    path: Path, seconds: float = 60.0, size: tuple[int, int] = (1280, 720), rate: int = 30
) -> Path:
    """A clip of moving test patterns with a hard cut every 5 seconds, as H.264 in MP4."""
    w, h = size
    pattern = (
        f"testsrc2=size={w}x{h}:rate={rate}:duration={seconds},"
        f"hue=H=2*PI*floor(t/5)/7:s=1+mod(floor(t/5)\\,2)"
    )
    argv = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
    argv += [
        "-i",
        pattern,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        str(path),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(argv, check=True, capture_output=True)
    return path


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Edits (insertions, deletions, substitutions) over the reference's characters."""
    previous = list(range(len(hypothesis) + 1))
    for i, expected in enumerate(reference, start=1):
        current = [i]
        for j, read in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (expected != read))
            )
        previous = current
    return previous[-1] / max(1, len(reference))


# scikit-image's public-domain photographs: a face, a cat, a cup, a rocket on its pad, a street.
FOOTAGE_PICTURES = (
    "astronaut.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "motorcycle_left.png",
)


def make_footage_clip(
    path: Path, speech: str, voice: str, size: tuple[int, int] = (640, 360), rate: int = 25
) -> Path:
    """Real photographs, each a shot with a slow zoom as a camera would move, for as long as
    espeak-ng takes to say `speech` in `voice`, as H.264 and AAC in MP4."""
    import skimage

    from tests.support.media import speech_wav, wav_duration

    pictures = Path(skimage.__file__).parent / "data"
    path.parent.mkdir(parents=True, exist_ok=True)
    wav = speech_wav(speech, path.with_suffix(".wav"), voice=voice)
    seconds = wav_duration(wav) + 1.0
    shot = seconds / len(FOOTAGE_PICTURES)
    frames = max(1, round(shot * rate))
    w, h = size
    argv = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    chains = []
    for index, name in enumerate(FOOTAGE_PICTURES):
        argv += ["-i", str(pictures / name)]
        chains.append(
            f"[{index}:v]scale={w * 2}:{h * 2}:force_original_aspect_ratio=increase,"
            f"crop={w * 2}:{h * 2},zoompan=z='min(zoom+0.0015,1.3)':d={frames}:"
            f"x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s={w}x{h}:fps={rate},"
            f"format=yuv420p,setsar=1[v{index}]"
        )
    count = len(FOOTAGE_PICTURES)
    labels = "".join(f"[v{i}]" for i in range(count))
    graph = ";".join([*chains, f"{labels}concat=n={count}:v=1:a=0[out]"])
    argv += ["-i", str(wav), "-filter_complex", graph, "-map", "[out]", "-map", f"{count}:a"]
    argv += ["-af", "apad", "-t", f"{seconds:.3f}", "-c:v", "libx264", "-preset", "veryfast"]
    argv += ["-c:a", "aac", "-b:a", "64k", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    subprocess.run([*argv, str(path)], check=True, capture_output=True)
    wav.unlink()
    return path
