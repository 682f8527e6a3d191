"""Key phrases as Amazon Comprehend reports them, from YAKE.

YAKE ranks candidate n-grams (here up to three words, never starting or ending with a stop word
of the document's language) by statistics of the document alone, with a score where lower is
better and 0 is the best possible. Comprehend's Score is a confidence, higher is better, so the
score reported is 1 / (1 + yake_score): 1.0 for a perfect YAKE score, 0.5 at YAKE 1.0, falling
towards 0.

Each phrase is placed in the document by a case-insensitive search of the original text on
whole words (any run of whitespace may separate them, as YAKE joins its tokens with single
spaces), and is reported once, at its first occurrence that does not overlap a better phrase
already taken: Comprehend's key phrases never overlap, and YAKE also proposes the fragments of
its best phrases ("Web Services" beside "Amazon Web Services"), which this drops. A phrase
YAKE proposes but the search cannot place is dropped too, rather than given wrong offsets.
Text is the document's own text at those offsets, so text[BeginOffset:EndOffset] == Text.

The best `limit` phrases are returned in document order, as Comprehend returns them.
"""

from __future__ import annotations

import re
import threading
from typing import Any

MAX_WORDS = 3
DEFAULT_LIMIT = 10
# Languages Comprehend analyses that YAKE ships stop words for and that separate words with
# spaces, which YAKE's tokenizer needs (so not Japanese or Chinese).
LANGUAGES = frozenset({"en", "es", "fr", "de", "it", "pt"})
# YAKE is asked for more candidates than are returned, as overlapping ones are dropped here.
_CANDIDATES_PER_PHRASE = 4

# One extractor per language and number of candidates; yake ships no type information.
_extractors: dict[tuple[str, int], Any] = {}
# A KeywordExtractor keeps a similarity cache between calls, so calls take turns.
_extractors_lock = threading.Lock()


def _yake_keywords(text: str, top: int, language: str = "en") -> list[tuple[str, float]]:
    if language not in LANGUAGES:
        raise ValueError(f"no key phrase stop words for {language!r}")
    with _extractors_lock:
        extractor = _extractors.get((language, top))
        if extractor is None:
            # Imported here: with numpy, yake takes a third of a second to import.
            import yake

            extractor = _extractors[(language, top)] = yake.KeywordExtractor(
                lan=language, n=MAX_WORDS, top=top
            )
        # YAKE answers numpy floats; the response is serialised as plain JSON numbers.
        return [(str(phrase), float(score)) for phrase, score in extractor.extract_keywords(text)]


def warm() -> None:
    """Import YAKE and build the extractor calls use by default, ahead of the first call."""
    _yake_keywords("warm", DEFAULT_LIMIT * _CANDIDATES_PER_PHRASE)


def _occurrences(phrase: str, text: str) -> list[tuple[int, int]]:
    words = phrase.split()
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"
    return [match.span() for match in re.finditer(pattern, text, flags=re.IGNORECASE)]


def yake_to_score(yake_score: float) -> float:
    return 1.0 / (1.0 + max(0.0, yake_score))


def detect_key_phrases(
    text: str, limit: int = DEFAULT_LIMIT, language: str = "en"
) -> list[dict[str, Any]]:
    """Comprehend's KeyPhrases for `text` in `language` (one of LANGUAGES): Score, Text,
    BeginOffset, EndOffset per phrase."""
    if limit < 1 or not text.strip():
        return []
    taken: list[tuple[int, int, float]] = []
    for phrase, yake_score in _yake_keywords(text, limit * _CANDIDATES_PER_PHRASE, language):
        for begin, end in _occurrences(phrase, text):
            if all(end <= other_begin or begin >= other_end for other_begin, other_end, _ in taken):
                taken.append((begin, end, yake_to_score(yake_score)))
                break
        if len(taken) == limit:
            break
    return [
        {"Score": score, "Text": text[begin:end], "BeginOffset": begin, "EndOffset": end}
        for begin, end, score in sorted(taken)
    ]
