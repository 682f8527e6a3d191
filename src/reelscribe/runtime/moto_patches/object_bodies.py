"""Where the emulated S3 keeps object bodies: on disk past 256 KiB, as an object store does.

moto holds each object's body in memory up to 5 MB before spilling it to a temporary file.
A run's renditions, stills and the upload itself are mostly under that, so every video of a
batch kept several megabytes resident to the end of the run. Past 256 KiB they now go to the
temporary folder; JSON documents and small stills stay in memory.
"""

from __future__ import annotations

from moto.s3 import models as s3_models

from .patching import replace

IN_MEMORY_BYTES = 256 * 1024


def _buffer_size() -> int:
    return IN_MEMORY_BYTES


PATCHES = [replace(s3_models, "get_s3_default_key_buffer_size", _buffer_size)]
