"""Pictures: the web, phone and thumbnail renditions, made with Pillow.

Each rendition is the picture turned upright (EXIF orientation applied), fitted inside its box
without upscaling, and saved as an RGB JPEG with no metadata at all: no EXIF (so no GPS
position, camera serial number or time taken), no XMP and no comments. 16-bit samples (Pillow's
"I;16" for a 16-bit greyscale PNG) are scaled to 8 bits: Pillow's own conversion clips them at
255, which turns a 16-bit photograph almost white.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageTooLargeError, ImageTooSmallError, UnreadableImageError

# Pillow's own decompression-bomb limit (about 89 megapixels), made an error rather than a
# warning: a picture past it would take gigabytes of Lambda memory to decode.
MAX_PIXELS = 89_478_485
MIN_SIDE = 16  # smaller is a tracking pixel or an icon, not a picture to show or analyse
JPEG_QUALITY = 85
# Pillow format name -> what a user calls it. Rekognition reads JPEG and PNG only.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC", "AVIF": "AVIF"}
REKOGNITION_FORMATS = {"JPEG", "PNG"}
# An ISO BMFF file's brand (bytes 8-12) for HEIF and HEIC pictures, as phones write them.
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")
# EXIF Orientation tag: values other than 1 mean the stored pixels are turned or mirrored;
# 5 to 8 also swap width and height.
_ORIENTATION = 0x0112
_QUARTER_TURNS = (5, 6, 7, 8)
# Modes Pillow gives 16-bit samples in: its PNG plugin opens 16-bit greyscale as "I;16" (16-bit
# RGB and RGBA it reduces to 8 bits itself); "I" is the same samples widened.
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


@dataclass(frozen=True)
class ImageBox:
    name: str
    max_width: int
    max_height: int


IMAGE_RENDITIONS = (
    ImageBox("web", 1280, 720),
    ImageBox("phone", 960, 640),
    ImageBox("thumbnail", 320, 180),
)
_LARGEST = max(IMAGE_RENDITIONS, key=lambda box: box.max_width * box.max_height)


@dataclass(frozen=True)
class Picture:
    """The upload read and turned upright."""

    image: Image.Image
    format: str  # Pillow's name: JPEG, PNG, WEBP...
    width: int  # the original's, as shown (after the EXIF orientation); `image` may be
    height: int  # smaller, never smaller than the largest rendition
    rotated: bool  # whether the stored pixels needed turning


def read_picture(data: bytes, source: str) -> Picture:
    """Decode a picture to the end, or raise a typed error that says why in plain words.

    A large JPEG is decoded at a half, a quarter or an eighth of its size (libjpeg's scaled
    decode, which still reads every byte) when that is no smaller than the largest rendition,
    so an 88-megapixel photograph takes tens of megabytes rather than hundreds.
    """
    if not data:
        raise UnreadableImageError(f"{source} is empty.")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            _check_pixels(image.size, source)
            orientation = int(image.getexif().get(_ORIENTATION, 1) or 1)
            width, height = image.size
            if orientation in _QUARTER_TURNS:
                width, height = height, width
            image.draft(None, _decoded_size(image.size, fit_box(width, height, _LARGEST), width))
            image.load()  # decode now: a cut-off file fails here, not half-way through a save
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLargeError(_too_many_pixels(source)) from None
    except UnidentifiedImageError:
        if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
            raise UnreadableImageError(
                f"{source} is a HEIC picture, and no HEIF decoder is installed with Pillow here."
            ) from None
        raise UnreadableImageError(
            f"{source} is not a picture: its bytes are not JPEG, PNG, WebP or another "
            "format Pillow reads."
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise UnreadableImageError(
            f"{source} is a damaged or incomplete picture ({error})."
        ) from None
    if image.format not in ACCEPTED_FORMATS:
        raise UnreadableImageError(
            f"{source} is a {image.format} picture; pictures are taken as JPEG, PNG or WebP."
        )
    if min(width, height) < MIN_SIDE:
        raise ImageTooSmallError(
            f"{source} is {width}x{height} pixels, too small to show or analyse "
            f"(at least {MIN_SIDE} pixels a side)."
        )
    # exif_transpose copies a picture that needs no turning: hundreds of megabytes for nothing.
    upright = (ImageOps.exif_transpose(image) or image) if orientation != 1 else image
    return Picture(eight_bit(upright), str(image.format), width, height, orientation != 1)


def eight_bit(image: Image.Image) -> Image.Image:
    """A picture with 16-bit samples as 8-bit greyscale; any other picture as it is."""
    if image.mode in _SIXTEEN_BIT_MODES:
        return image.point(lambda value: value / 257, "L")
    return image


def _decoded_size(
    stored: tuple[int, int], fitted: tuple[int, int], shown_width: int
) -> tuple[int, int]:
    """The stored pixels' size at the scale of the largest rendition."""
    scale = fitted[0] / shown_width
    return math.ceil(stored[0] * scale), math.ceil(stored[1] * scale)


def _check_pixels(size: tuple[int, int], source: str) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise ImageTooLargeError(_too_many_pixels(source, size))


def _too_many_pixels(source: str, size: tuple[int, int] | None = None) -> str:
    shown = f" ({size[0]}x{size[1]})" if size else ""
    return (
        f"{source} has too many pixels{shown}: more than {MAX_PIXELS:,}, Pillow's limit "
        "against decompression bombs."
    )


def fit_box(width: int, height: int, box: ImageBox) -> tuple[int, int]:
    """Keep the aspect ratio, never upscale; a portrait picture gets the box turned."""
    max_width, max_height = box.max_width, box.max_height
    if height > width:
        max_width, max_height = min(max_width, max_height), max(max_width, max_height)
    scale = min(1.0, max_width / width, max_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def render(picture: Picture, box: ImageBox) -> bytes:
    """One rendition as JPEG bytes, with no metadata carried over."""
    size = fit_box(picture.width, picture.height, box)
    image = picture.image
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))  # transparency shown on white
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: nothing of the original's EXIF, XMP or comments.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
