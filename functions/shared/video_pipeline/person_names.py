"""A known person's display name and the id their faces, rows and index moments are kept under."""

from __future__ import annotations

import hashlib
import unicodedata

from .errors import InvalidPersonNameError
from .upload import slug

MAX_NAME_LENGTH = 100


def person_name(raw: str) -> str:
    """The display name as given, its spaces collapsed: 1 to 100 characters, any script."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        raise InvalidPersonNameError("A person's name must not be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidPersonNameError(
            f"A person's name is at most {MAX_NAME_LENGTH} characters; this one has {len(name)}."
        )
    return name


def person_id(name: str) -> str:
    """The ExternalImageId of a person's faces: a readable ASCII part and a hash of the name
    (case and spacing aside), so names in any script, or alike in ASCII, stay apart."""
    digest = hashlib.sha256(person_name(name).casefold().encode()).hexdigest()[:16]
    return f"{slug(person_name(name).casefold(), 'person')[:40]}-{digest}"
