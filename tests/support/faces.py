"""Photographs of two real people, from scikit-image's wheel, and a clip made of them.

- Eileen Collins (``data.astronaut()``, NASA, public domain).
- The cameraman (``data.camera()``, CC0 by the photographer, Lav Varshney).
- A stranger: the first face of scikit-image's ``lfw_subset`` (25x25 pixels, enlarged), enrolled
  by no test. It is small and blurred, the hardest kind of stranger for a descriptor.

No installed package ships a second, different photograph of either person, so "another photo"
of Eileen Collins is her photograph reframed: mirrored, cropped, scaled down and darkened.
That is weaker evidence than a truly different photograph, and the docs say so.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

from tests.support.media import ffmpeg_exe


def eileen_collins(path: Path) -> Path:
    from skimage import data

    return _save(Image.fromarray(data.astronaut()), path)


def eileen_collins_reframed(path: Path) -> Path:
    """Her photograph mirrored, cropped to head and shoulders, halved and darkened."""
    from skimage import data

    picture = ImageOps.mirror(Image.fromarray(data.astronaut())).crop((90, 0, 512, 330))
    picture = picture.resize((picture.width // 2 + 60, picture.height // 2 + 47))
    return _save(ImageEnhance.Brightness(picture).enhance(0.7), path)


def cameraman(path: Path) -> Path:
    from skimage import data

    return _save(Image.fromarray(data.camera()).convert("RGB"), path)


def stranger(path: Path) -> Path:
    return _save(_stranger(), path)


def _stranger() -> Image.Image:
    from skimage import data

    face = Image.fromarray((data.lfw_subset()[0] * 255).astype(np.uint8))
    canvas = Image.new("L", (400, 400), 128)
    canvas.paste(face.resize((200, 200), Image.Resampling.BICUBIC), (100, 100))
    return canvas.convert("RGB")


def eileen_collins_and_stranger(path: Path) -> Path:
    """Eileen Collins on the left half, the stranger on the right."""
    from skimage import data

    right = np.asarray(_stranger().resize((512, 512), Image.Resampling.BICUBIC))
    return _side_by_side(data.astronaut(), right, path)


def no_face(path: Path) -> Path:
    from skimage import data

    return _save(Image.fromarray(data.coffee()), path)


def group_photo(path: Path) -> Path:
    """Eileen Collins beside the cameraman, whose face is about three quarters the width of hers."""
    from skimage import data

    return _side_by_side(data.astronaut(), np.stack([data.camera()] * 3, -1), path)


def twin_photo(path: Path) -> Path:
    """Eileen Collins beside her mirror image: two faces of one size, none clearly the largest."""
    from skimage import data

    picture = data.astronaut()
    return _side_by_side(picture, picture[:, ::-1], path)


def _side_by_side(left: np.ndarray, right: np.ndarray, path: Path) -> Path:
    canvas = Image.new("RGB", (1024, 512))
    canvas.paste(Image.fromarray(left), (0, 0))
    canvas.paste(Image.fromarray(np.ascontiguousarray(right)), (512, 0))
    return _save(canvas, path)


def _save(picture: Image.Image, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, quality=92)
    return path


# When each picture is on screen in `make_people_clip`, in seconds.
PEOPLE_CLIP_TIMES = {"Eileen Collins": (0.0, 4.0), "stranger": (4.0, 8.0), "cameraman": (8.0, 12.0)}


def make_people_clip(folder: Path, each: float = 4.0) -> Path:
    """`each` seconds (four by default, as PEOPLE_CLIP_TIMES says) of Eileen Collins, the
    stranger and the cameraman, H.264 in MP4, 720p."""
    stills = [
        eileen_collins(folder / "a.png"),
        stranger(folder / "b.png"),
        cameraman(folder / "c.png"),
    ]
    out = folder / "people.mp4"
    inputs: list[str] = []
    for still in stills:
        inputs += ["-loop", "1", "-t", f"{each:g}", "-framerate", "25", "-i", str(still)]
    scale = "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2"
    chains = "".join(f"[{i}:v]{scale},setsar=1,format=yuv420p[v{i}];" for i in range(3))
    subprocess.run(
        [
            ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            *inputs,
            "-filter_complex",
            f"{chains}[v0][v1][v2]concat=n=3:v=1:a=0[out]",
            "-map",
            "[out]",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            str(out),
        ],
        check=True,
    )
    return out
