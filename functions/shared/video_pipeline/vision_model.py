"""The merged vision view's one schema: Summarize Vision and Summarize Image write it
(output/vision/<user>/<videoId>/<name>.json) and the report reads it, both through these models.

Field names are the file's own (camelCase; a box keeps Rekognition's Left/Top/Width/Height
ratios). Reading is strict: a number given as text, a true for a confidence, a NaN, a missing
branch or an unknown field is refused, not guessed at.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


class _Document(BaseModel):
    # Built at first use: most functions that import these (through the plans) never read one.
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, defer_build=True)
    # Optional fields the file leaves out, rather than writing null, when they are unset.
    _omitted_when_none: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _leave_out_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in self._omitted_when_none:
            if data.get(name, 0) is None:
                del data[name]
        return data


class Box(_Document):
    """Rekognition's bounding box, as ratios of the frame (a face at the edge can pass it)."""

    Left: float
    Top: float
    Width: float
    Height: float


class Branch(_Document):
    """Whether a kind's results came back; when not, why not."""

    _omitted_when_none = ("reason",)
    available: bool
    reason: str | None = None


class Branches(_Document):
    """Every kind of analysis, in the order the view and the report list them, with the words
    the report names it by."""

    shots: Branch = Field(title="Shots")
    text: Branch = Field(title="On-screen text")
    faces: Branch = Field(title="Faces")
    face_search: Branch = Field(title="People")
    moderation: Branch = Field(title="Moderation")
    labels: Branch = Field(title="Labels")
    celebrities: Branch = Field(title="Celebrities")

    def of(self, kind: str) -> Branch:
        branch: Branch = getattr(self, kind)
        return branch


VISION_KINDS: tuple[str, ...] = tuple(Branches.model_fields)
KIND_TITLES: dict[str, str] = {k: f.title or k for k, f in Branches.model_fields.items()}


class Shot(_Document):
    _omitted_when_none = ("thumbnailKey",)
    index: int
    start: float
    end: float
    thumbnailKey: str | None = None  # Summarize Vision adds it: null when no capture was there


class Cue(_Document):
    """A technical cue (black frames, colour bars, credits...) and when it is on screen."""

    type: str
    start: float
    end: float


# A picture's items have no times: start and end are null.
class TextLine(_Document):
    text: str
    start: float | None = None
    end: float | None = None
    confidence: float
    box: Box


class Face(_Document):
    start: float | None = None
    end: float | None = None
    confidence: float
    box: Box


class Person(_Document):
    """An enrolled person and when (or, in a picture, where) a face matched them."""

    _omitted_when_none = ("box",)
    name: str
    similarity: float
    start: float | None = None
    end: float | None = None
    box: Box | None = None


class ModerationLabel(_Document):
    name: str
    parentName: str = ""
    confidence: float
    start: float | None = None
    end: float | None = None


class Label(_Document):
    name: str
    confidence: float
    start: float | None = None
    end: float | None = None


class Celebrity(_Document):
    """Rekognition Video gives no box for a celebrity; Rekognition Image does."""

    _omitted_when_none = ("box",)
    name: str
    confidence: float
    start: float | None = None
    end: float | None = None
    box: Box | None = None


class VisionView(_Document):
    version: Literal[1] = 1
    mediaKind: Literal["video", "image"]
    analysedKey: str
    branches: Branches
    shots: list[Shot]
    technicalCues: list[Cue]
    text: list[TextLine]
    faces: list[Face]
    people: list[Person] = []
    moderation: list[ModerationLabel]
    labels: list[Label]
    celebrities: list[Celebrity]
    needsReview: bool
    reviewLabels: list[str]  # the moderation labels that reached the review threshold
    posterKey: str
    tracks: dict[str, str]  # kind -> key of its WebVTT metadata track


def view_document(**fields: Any) -> dict[str, Any]:
    """The view's fields checked against the schema and given back as the file holds them."""
    return VisionView.model_validate(fields).model_dump(mode="json")
