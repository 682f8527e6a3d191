"""Document sentiment as Amazon Comprehend labels it, from VADER.

VADER scores a piece of text with four numbers: `pos`, `neg` and `neu`, the shares of the text's
sentiment intensity that are positive, negative and neutral (they sum to 1), and `compound`, the
summed valence squashed into -1..1. Its compound saturates as text grows (the normalisation is
x / sqrt(x² + 15)), so a long transcript with a slight lean reads as strongly polar. A document is
therefore scored sentence by sentence, as VADER's authors advise for paragraphs, and the
sentence scores are averaged, each weighted by its number of words.

The label, from the averaged numbers:

- MIXED when pos >= 0.15 and neg >= 0.15 and the smaller of the two is at least half the larger:
  both sides carry real weight and neither dominates. The compound is not consulted here: VADER
  halves the valence before a "but" and boosts it after, and its squashing takes a sentence with
  two strong words each way past ±0.5 ("The camera is excellent and beautiful, but the battery
  is awful and useless." scores -0.60), so a compound cut-off would call most mixed sentences
  one-sided.
- otherwise POSITIVE when compound >= 0.05, NEGATIVE when compound <= -0.05, else NEUTRAL
  (VADER's own published thresholds).

The scores. VADER gives no probabilities, so the four Comprehend scores are built to agree with
the label, which always has the largest score, as Comprehend's does:

- the label's score is 0.5 + 0.5 x its margin, the margin being how far the document is past the
  label's threshold, from 0 (on it) to 1: (|compound| - 0.05) / 0.95 for POSITIVE and NEGATIVE,
  1 - |compound| / 0.05 for NEUTRAL, and (balance - 0.5) / 0.5 for MIXED, balance being
  min(pos, neg) / max(pos, neg);
- the rest, 1 minus that, is shared among the other three in proportion to VADER's evidence for
  each: pos for Positive, neg for Negative, neu for Neutral, 2 x min(pos, neg) for Mixed; when
  there is no evidence for any of them it all goes to Neutral.

The four always sum to 1.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
MIXED_MIN_SHARE = 0.15
MIXED_MIN_BALANCE = 0.5

LABELS = ("POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED")
_SCORE_KEYS = {label: label.capitalize() for label in LABELS}

# A sentence ends at . ! ? or … (perhaps closed by a quote or bracket) before whitespace, or at a
# line break: transcripts and captions put one utterance a line.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"'”’)\]])\s+|\s*\n\s*")

_analyzer: Any = None  # vaderSentiment ships no type information
_analyzer_lock = threading.Lock()


def _vader() -> Any:
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                # Reads the lexicon files once; polarity_scores only reads them afterwards, so
                # one analyser serves every thread.
                _analyzer = SentimentIntensityAnalyzer()
    return _analyzer


def warm() -> None:
    """Read VADER's lexicon ahead of the first call."""
    _vader()


def split_sentences(text: str) -> list[str]:
    return [part for part in (p.strip() for p in _SENTENCE_BREAK.split(text)) if part]


def vader_scores(text: str) -> dict[str, float]:
    """VADER's pos, neg, neu and compound for the document, averaged over its sentences."""
    analyzer = _vader()
    totals = {"pos": 0.0, "neg": 0.0, "neu": 0.0, "compound": 0.0}
    weight_sum = 0
    for sentence in split_sentences(text):
        scores = analyzer.polarity_scores(sentence)
        weight = len(sentence.split())
        for key in totals:
            totals[key] += float(scores[key]) * weight
        weight_sum += weight
    if weight_sum == 0:
        return {"pos": 0.0, "neg": 0.0, "neu": 1.0, "compound": 0.0}
    averaged = {key: value / weight_sum for key, value in totals.items()}
    # VADER rounds each share to 3 places, and a sentence of bare punctuation scores all three 0:
    # renormalise so the shares are proportions again.
    shares = averaged["pos"] + averaged["neg"] + averaged["neu"]
    if shares <= 0:
        return {"pos": 0.0, "neg": 0.0, "neu": 1.0, "compound": averaged["compound"]}
    return {
        "pos": averaged["pos"] / shares,
        "neg": averaged["neg"] / shares,
        "neu": averaged["neu"] / shares,
        "compound": averaged["compound"],
    }


def _balance(pos: float, neg: float) -> float:
    larger = max(pos, neg)
    return min(pos, neg) / larger if larger > 0 else 0.0


def label_for(pos: float, neg: float, compound: float) -> str:
    if (
        pos >= MIXED_MIN_SHARE
        and neg >= MIXED_MIN_SHARE
        and _balance(pos, neg) >= MIXED_MIN_BALANCE
    ):
        return "MIXED"
    if compound >= POSITIVE_THRESHOLD:
        return "POSITIVE"
    if compound <= NEGATIVE_THRESHOLD:
        return "NEGATIVE"
    return "NEUTRAL"


def _margin(label: str, pos: float, neg: float, compound: float) -> float:
    if label == "MIXED":
        margin = (_balance(pos, neg) - MIXED_MIN_BALANCE) / (1 - MIXED_MIN_BALANCE)
    elif label == "NEUTRAL":
        margin = 1 - abs(compound) / POSITIVE_THRESHOLD
    else:
        margin = (abs(compound) - POSITIVE_THRESHOLD) / (1 - POSITIVE_THRESHOLD)
    return min(1.0, max(0.0, margin))


def scores_for(label: str, pos: float, neg: float, neu: float, compound: float) -> dict[str, float]:
    own = 0.5 + 0.5 * _margin(label, pos, neg, compound)
    evidence = {"POSITIVE": pos, "NEGATIVE": neg, "NEUTRAL": neu, "MIXED": 2 * min(pos, neg)}
    others = [other for other in LABELS if other != label]
    total = sum(evidence[other] for other in others)
    scores = {_SCORE_KEYS[label]: own}
    for other in others:
        if total > 0:
            scores[_SCORE_KEYS[other]] = (1 - own) * evidence[other] / total
        else:
            scores[_SCORE_KEYS[other]] = (1 - own) if other == "NEUTRAL" else 0.0
    return {key: scores[key] for key in ("Positive", "Negative", "Neutral", "Mixed")}


def detect_sentiment(text: str) -> tuple[str, dict[str, float]]:
    """Comprehend's Sentiment and SentimentScore for `text`; see the module docstring."""
    numbers = vader_scores(text)
    pos, neg, neu, compound = (numbers[key] for key in ("pos", "neg", "neu", "compound"))
    label = label_for(pos, neg, compound)
    return label, scores_for(label, pos, neg, neu, compound)
