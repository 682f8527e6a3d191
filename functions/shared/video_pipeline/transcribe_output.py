"""Amazon Transcribe's output document, read in one place: its items as words and punctuation,
how words are joined in the transcript's language, and the rule that says where a sentence ends.

The timed text sent to Comprehend, the subtitles, the transcript record and the local report
all read items through `read_items`, join words with `word_gap` and find sentences with
`sentence_ends`, so they agree on what a word, a time, a space and a sentence are.
Each caller keeps only its own policy for items Transcribe would not write: the analysis
refuses them, the subtitles and the report skip them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sentencex

from .errors import TranscriptReadError

# Punctuation that ends a sentence, including the full-width marks Transcribe writes for ja/zh.
SENTENCE_ENDS = frozenset(".?!\u3002\uff1f\uff01")
# Languages written without spaces between words (Japanese, Chinese and Cantonese, Thai, Lao,
# Khmer, Burmese, Tibetan): Transcribe's transcript runs their words together ("今日は天気が"),
# so every reader that rebuilds text from the items must too.
UNSPACED_LANGUAGES = frozenset({"ja", "zh", "yue", "th", "lo", "km", "my", "bo"})


def base_language(language_code: str) -> str:
    """The language of a Transcribe code: "en-US" -> "en", "zh-HK" -> "zh"."""
    return language_code.split("-", 1)[0].strip().lower()


def is_unspaced(language_code: str) -> bool:
    """Whether the language writes its words without spaces between them."""
    return base_language(language_code) in UNSPACED_LANGUAGES


def word_gap(before: str, after: str, language_code: str) -> str:
    """What goes between two spoken words in the transcript's text: one space, or nothing in an
    unspaced language. There, a Latin word or a number next to another keeps its space
    ("Amazon Web Services" inside Japanese), since nothing else would tell them apart."""
    if not is_unspaced(language_code):
        return " "
    latin = before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii()
    return " " if latin and after[:1].isalnum() else ""


def sentence_ends(words: Sequence[str], language_code: str) -> list[bool]:
    """For each spoken word (with the punctuation written after it), whether a sentence ends
    after it. The text is segmented by sentencex with the abbreviations and number rules of
    the transcript's language, so "Mr." or "z. B." ends no sentence; a language it has no
    rules for gets its fallback (English in the end)."""
    offsets: list[int] = []
    text = ""
    for index, word in enumerate(words):
        text += (word_gap(words[index - 1], word, language_code) if index else "") + word
        offsets.append(len(text))
    ends = [False] * len(words)
    at = 0
    for boundary in sentencex.get_sentence_boundaries(base_language(language_code), text):
        if not boundary["boundary_symbol"]:
            continue  # the text's end, not a sentence's: the caller's last word ends anyway
        sentence = str(boundary["text"])
        stop = int(boundary["start_index"]) + len(sentence.rstrip())
        # The word the sentence's last character belongs to (a boundary may fall inside an
        # item, as where Transcribe leaves a full stop in a Chinese word).
        while at < len(words) and offsets[at] < stop:
            at += 1
        if at < len(words) and stop > 0:
            ends[at] = True
    return ends


ItemKind = Literal["pronunciation", "punctuation"]
_KINDS: frozenset[str] = frozenset(("pronunciation", "punctuation"))


def ends_sentence(punctuation: str) -> bool:
    """Whether a punctuation item (or a word's trailing punctuation) closes a sentence."""
    return any(mark in SENTENCE_ENDS for mark in punctuation)


@dataclass(frozen=True)
class TranscribeItem:
    """One entry of results.items: a spoken word, or punctuation, which carries no time."""

    kind: ItemKind
    content: str
    # Seconds, or None where the item has no time that is a finite, non-negative number.
    start: float | None = None
    end: float | None = None
    confidence: float | None = None

    @property
    def spoken(self) -> bool:
        return self.kind == "pronunciation"


def read_item(raw: Any) -> TranscribeItem:
    """One item; anything that is not a word or punctuation with content raises
    TranscriptReadError, the error the state machine catches for unreadable transcripts."""
    if not isinstance(raw, Mapping):
        raise TranscriptReadError(f"A transcript item is not an object: {raw!r}")
    kind = raw.get("type")
    if kind not in _KINDS:
        raise TranscriptReadError(f"Transcribe item {raw.get('id')!r} has an unknown type {kind!r}")
    alternatives = raw.get("alternatives")
    best = alternatives[0] if isinstance(alternatives, list) and alternatives else None
    if not isinstance(best, Mapping) or best.get("content") is None:
        raise TranscriptReadError(f"Transcribe item {raw.get('id')!r} has no content")
    return TranscribeItem(
        kind="pronunciation" if kind == "pronunciation" else "punctuation",
        content=str(best["content"]),
        start=_number(raw.get("start_time")),
        end=_number(raw.get("end_time")),
        confidence=_number(best.get("confidence")),
    )


def read_items(raw_items: Any, *, skip_unreadable: bool = False) -> list[TranscribeItem]:
    """The items in order. An unreadable one raises TranscriptReadError, or with
    `skip_unreadable` is left out, so one odd item costs a word rather than the whole text."""
    if not isinstance(raw_items, list):
        raise TranscriptReadError("The transcript's results.items is not a list")
    items: list[TranscribeItem] = []
    for raw in raw_items:
        try:
            items.append(read_item(raw))
        except TranscriptReadError:
            if not skip_unreadable:
                raise
    return items


def document_items(document: Any) -> list[Any]:
    """results.items of a whole document, [] for a video with no speech. A document without
    results is not a Transcribe document: TranscriptReadError."""
    results = document.get("results") if isinstance(document, Mapping) else None
    if not isinstance(results, Mapping):
        raise TranscriptReadError("The transcript is not a Transcribe document: no results")
    items = results.get("items") or []
    if not isinstance(items, list):
        raise TranscriptReadError("The transcript's results.items is not a list")
    return items


def _number(value: Any) -> float | None:
    # A time or a confidence: Transcribe writes them as strings ("1.25"); a bool is neither.
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None
