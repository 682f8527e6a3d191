"""A still picture as the detectors read it: 8-bit RGB, and no larger than they can use.

Pillow opens a 16-bit greyscale PNG as "I;16", and its ``convert`` clips every value above 255
rather than scaling it, which leaves a 16-bit photograph almost white; values are scaled to 8
bits instead. A picture over ``ANALYSED_PIXELS`` is analysed through a smaller copy: the
detectors read at most 800 pixels a side to find text and faces and 320 for moderation, while an
88-megapixel picture decoded whole takes a gigabyte per copy. Rekognition gives boxes, polygons
and landmarks as ratios of the picture's sides, so the copy's answers are the original's.
"""

from __future__ import annotations

import math
import os

import numpy as np
from PIL import Image, _imaging

from .frames import Image as Array

# A 4K UHD frame's pixels: text lines 1.5 % of a picture's height (the smallest Rekognition
# reads) are still over 20 pixels tall in the copy of a picture of any shape up to 4:1.
ANALYSED_PIXELS = 3840 * 2160
# Modes Pillow gives 16-bit samples in: its PNG plugin opens 16-bit greyscale as "I;16" (16-bit
# RGB and RGBA it reduces to 8 bits itself); "I" is the same samples widened.
SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")
# Pillow holds pixels in 16 MB blocks, which glibc serves from a thread's heap arena once its
# mmap threshold has risen past them (to 32 MB at most): a large picture's memory then stays
# in the process after it is freed, and the detectors' models load on top of it. Blocks of
# 64 MB are mapped on their own and given back when freed; a small picture still takes only
# what it needs. Pillow reads PILLOW_BLOCK_SIZE once, on import: a user's own setting stands.
_BLOCK_BYTES = 64 * 1024 * 1024
if "PILLOW_BLOCK_SIZE" not in os.environ:
    _imaging.set_block_size(_BLOCK_BYTES)


def analysable(opened: Image.Image, most: int = ANALYSED_PIXELS) -> Array:
    """Decode a picture just opened (not yet loaded) into an RGB array of at most `most` pixels.

    A JPEG is decoded at a half, a quarter or an eighth of its size when that is still large
    enough (libjpeg's scaled decode), so its full size is never held in memory.
    """
    width, height = opened.size
    factor = min(1.0, math.sqrt(most / (width * height)))
    if factor < 1.0:
        opened.draft(None, (math.ceil(width * factor), math.ceil(height * factor)))
    opened.load()
    image = eight_bit(opened)
    if image.width * image.height > most:
        factor = math.sqrt(most / (image.width * image.height))
        size = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)
    array: Array = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
    return array


def eight_bit(image: Image.Image) -> Image.Image:
    """A picture with 16-bit samples as 8-bit greyscale; any other picture as it is."""
    if image.mode in SIXTEEN_BIT_MODES:
        return image.point(lambda value: value / 257, "L")
    return image
