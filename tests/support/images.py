"""Test pictures: scikit-image's public-domain photographs, a slide drawn from known text, and
the bad pictures people upload (cut off, mislabelled, a tracking pixel, a decompression bomb),
and the odd ones (16 bits a sample, 88 megapixels)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

SLIDE_LINES = ("Quarterly results 2026", "Revenue up 12 percent")
# EXIF tags: Orientation, and the GPS IFD pointer a phone writes with the place a photo was taken.
ORIENTATION = 0x0112
GPS_IFD = 0x8825


def astronaut() -> Image.Image:
    """Eileen Collins' NASA portrait (public domain), 512x512, one face."""
    from skimage import data  # imported here: scikit-image is a test-only dependency

    return Image.fromarray(data.astronaut())


def make_photo(path: Path, *, gps: bool = True, orientation: int | None = None) -> Path:
    """The astronaut as a JPEG with the EXIF a phone writes: a camera, a time, a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Test Camera Maker"
    exif[0x0132] = "2026:12:02 05:00:00"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    astronaut().save(path, "JPEG", quality=90, exif=exif)
    return path


def make_turned_photo(path: Path) -> Path:
    """The astronaut stored on its side, as a phone held upright writes it: the pixels turned
    90 degrees anticlockwise and EXIF Orientation 6 saying to show them turned back."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    astronaut().rotate(90, expand=True).save(path, "JPEG", quality=90, exif=exif)
    return path


def make_slide(path: Path, lines: tuple[str, ...] = SLIDE_LINES) -> Path:
    """A 1280x720 slide with dark text on white, as presentation software exports it."""
    slide = Image.new("RGB", (1280, 720), "white")
    draw = ImageDraw.Draw(slide)
    font = ImageFont.load_default(size=64)
    for number, line in enumerate(lines):
        draw.text((100, 200 + number * 140), line, fill="black", font=font)
    slide.save(path, "PNG")
    return path


def make_landscape_with_rotation(path: Path, orientation: int = 6) -> Path:
    """A 400x200 JPEG whose EXIF says to show it turned (6: 90 degrees clockwise), red on the
    left half so the turn can be seen in the pixels."""
    image = Image.new("RGB", (400, 200), "blue")
    ImageDraw.Draw(image).rectangle((0, 0, 199, 199), fill="red")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    image.save(path, "JPEG", quality=95, exif=exif)
    return path


def make_truncated_jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    astronaut().save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def make_text_named_png(path: Path) -> Path:
    path.write_text("These are my notes, not a picture.\n", encoding="utf-8")
    return path


def make_pixel(path: Path) -> Path:
    Image.new("RGB", (1, 1), "white").save(path, "PNG")
    return path


def make_decompression_bomb(path: Path) -> Path:
    """A 1-bit PNG of 10000x10000 white pixels: about 12 KB on disk, 100 megapixels decoded."""
    Image.new("1", (10_000, 10_000), 1).save(path, "PNG", optimize=True)
    return path


def make_sixteen_bit_png(path: Path, kind: str = "grey") -> Path:
    """The astronaut as a 16-bit PNG, as scanners and raw converters write them: "grey" (which
    Pillow opens as mode I;16), "rgb" or "rgba" (written by OpenCV: Pillow writes no 16-bit
    colour PNG)."""
    import cv2
    import numpy as np

    levels = _astronaut_levels(kind)
    sixteen = np.round(levels * 65535).astype(np.uint16)
    if kind == "grey":
        Image.fromarray(sixteen).save(path, "PNG")
        return path
    if kind == "rgba":
        opaque = np.full((*sixteen.shape[:2], 1), 65535, np.uint16)
        sixteen = np.concatenate([sixteen, opaque], axis=2)
    code = cv2.COLOR_RGBA2BGRA if kind == "rgba" else cv2.COLOR_RGB2BGR
    if not cv2.imwrite(str(path), cv2.cvtColor(sixteen, code)):
        raise OSError(f"OpenCV could not write {path}")
    return path


def make_eight_bit_copy(path: Path, kind: str = "grey") -> Path:
    """The same picture as `make_sixteen_bit_png`, with 8 bits a sample, as a PNG."""
    import numpy as np

    levels = _astronaut_levels(kind)
    Image.fromarray(np.round(levels * 255).astype(np.uint8)).save(path, "PNG")
    return path


def _astronaut_levels(kind: str) -> Any:
    """The astronaut's samples as fractions 0-1: luminance for "grey", else its RGB."""
    from skimage import color, data

    if kind == "grey":
        return color.rgb2gray(data.astronaut())
    return data.astronaut() / 255.0


def make_huge_photo(path: Path, size: tuple[int, int] = (11_000, 8_000)) -> Path:
    """The astronaut scaled up to 88 megapixels, just under Pillow's 89-megapixel limit, as a
    JPEG or a PNG by the path's suffix: about 4 MB as a JPEG, and about 1 MB as a PNG, which is
    scaled by repeating pixels so that it compresses; both are within the 15 MB Rekognition reads
    from S3, so the original itself is analysed."""
    if path.suffix.lower() == ".png":
        astronaut().resize(size, Image.Resampling.NEAREST).save(path, "PNG")
    else:
        astronaut().resize(size, Image.Resampling.BILINEAR).save(path, "JPEG", quality=90)
    return path
