"""What the library indexes: one row per upload and one per moment, built from what the
pipeline stores (the video's record, the Transcribe document, the analysis document and the
merged vision view). Pure: the caller reads the documents, from S3 or from an output folder.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .person_names import person_id
from .timed_text import sentence_segments

MomentKind = Literal[
    "transcript",
    "text",
    "label",
    "face",
    "celebrity",
    "moderation",
    "keyPhrase",
    "entity",
    "shot",
    "person",
]
MOMENT_KINDS: tuple[str, ...] = MomentKind.__args__  # type: ignore[attr-defined]

# PostgreSQL's text search configurations by language (ISO 639-1, as Transcribe's codes
# begin); any other language is indexed with 'simple', which lowercases and does not stem.
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
# Rekognition names labels, moderation labels and celebrities in English.
_VISION_NAMES_CONFIG = "english"
# Key phrases and entities: each occurrence is a moment, up to this many a phrase.
_OCCURRENCES = 20


def text_search_config(language_code: str) -> str:
    """`en-US` -> english; an unknown or empty code -> simple."""
    return TEXT_SEARCH_CONFIGS.get(language_code.split("-")[0].lower(), "simple")


class UploadRecord(BaseModel):
    """The fields of a video's record (the videos table's item) the index keeps."""

    model_config = ConfigDict(extra="ignore")
    videoId: str
    userId: str
    fileName: str = ""
    mediaKind: str = "video"
    status: str = "COMPLETED"
    durationSeconds: float | None = None
    languageCode: str = ""
    uploadedAt: str | None = None
    transcriptKey: str = ""
    analysisKey: str = ""
    visionKey: str = ""


class Moment(BaseModel):
    kind: MomentKind
    text: str
    start: float | None = None
    end: float | None = None
    confidence: float | None = None
    config: str = Field(default="simple")
    # A known person's id (the people table's personId), so removing them finds their rows.
    person: str | None = None


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)


def transcript_moments(document: dict[str, Any], language_code: str) -> list[Moment]:
    """Each sentence Comprehend was given, with its start and end."""
    items = (document.get("results") or {}).get("items") or []
    if not items:
        return []
    config = text_search_config(language_code)
    return [
        Moment(
            kind="transcript",
            text=s.text,
            start=_rounded(s.start),
            end=_rounded(s.end),
            config=config,
        )
        for s in sentence_segments(items, language_code)
        if s.text.strip()
    ]


def analysis_moments(analysis: dict[str, Any], language_code: str) -> list[Moment]:
    """Each occurrence of a key phrase or an entity."""
    config = text_search_config(language_code)
    moments: list[Moment] = []
    sources = (
        ("keyPhrase", (analysis.get("keyPhrases") or {}).get("phrases") or []),
        ("entity", (analysis.get("entities") or {}).get("entities") or []),
    )
    for kind, found in sources:
        for item in found:
            text = str(item.get("text") or "").strip()
            if not text:
                continue
            for start, end in (item.get("occurrences") or [])[:_OCCURRENCES]:
                moments.append(
                    Moment(
                        kind=kind,  # type: ignore[arg-type]  # one of the two literals above
                        text=text,
                        start=_rounded(start),
                        end=_rounded(end),
                        confidence=_rounded(item.get("score")),
                        config=config,
                    )
                )
    return moments


def vision_moments(view: dict[str, Any], language_code: str) -> list[Moment]:
    """What was on screen, from the merged vision view (a picture's items have no times)."""
    spoken = text_search_config(language_code)
    moments: list[Moment] = []

    def add(
        kind: MomentKind, text: str, item: dict[str, Any], config: str, person: str | None = None
    ) -> None:
        if text.strip():
            moments.append(
                Moment(
                    kind=kind,
                    text=text,
                    start=_rounded(item.get("start")),
                    end=_rounded(item.get("end")),
                    confidence=_rounded(item.get("confidence")),
                    config=config,
                    person=person,
                )
            )

    for shot in view.get("shots") or []:
        add("shot", f"Shot {int(shot.get('index', 0)) + 1}", shot, "simple")
    for line in view.get("text") or []:
        add("text", str(line.get("text") or ""), line, spoken)
    for face in view.get("faces") or []:
        add("face", "Face", face, _VISION_NAMES_CONFIG)
    for label in view.get("labels") or []:
        add("label", str(label.get("name") or ""), label, _VISION_NAMES_CONFIG)
    for celebrity in view.get("celebrities") or []:
        add("celebrity", str(celebrity.get("name") or ""), celebrity, _VISION_NAMES_CONFIG)
    for label in view.get("moderation") or []:
        names = [str(label.get("name") or ""), str(label.get("parentName") or "")]
        add("moderation", " ".join(n for n in names if n), label, _VISION_NAMES_CONFIG)
    for person in view.get("people") or []:
        # The view names them by display name, whose id is the ExternalImageId it replaced.
        name = str(person.get("name") or "")
        if name.strip():
            seen = {**person, "confidence": person.get("similarity")}
            add("person", name, seen, "simple", person_id(name))
    return moments


def upload_moments(
    record: UploadRecord,
    transcript: dict[str, Any] | None,
    analysis: dict[str, Any] | None,
    vision: dict[str, Any] | None,
) -> list[Moment]:
    """Every moment of an upload, from the documents it has (a missing one adds none)."""
    language = record.languageCode
    return [
        *(transcript_moments(transcript, language) if transcript else []),
        *(analysis_moments(analysis, language) if analysis else []),
        *(vision_moments(vision, language) if vision else []),
    ]
