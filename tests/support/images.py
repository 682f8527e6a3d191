"""Test pictures: scikit-image's public-domain photographs, a slide drawn from known text, and
the bad pictures people upload (cut off, mislabelled, a tracking pixel, a decompression bomb)."""

from __future__ import annotations

import io
from pathlib import Path

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
