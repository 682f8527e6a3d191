"""Word error rate between a reference text and a recognizer's output.

Both sides are normalised first, so only real recognition mistakes count: case and
punctuation are dropped, hyphens split words ("well-known" = "well known"), apostrophes are
removed ("don't" = "dont"), and numerals are spelled out ("3.5" = "three point five"),
because a recognizer may write either form of the same spoken words. Letters of every script
count ("frío" stays "frío"), compared in one Unicode form.
"""

from __future__ import annotations

import re
import unicodedata

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_SYMBOLS = {"%": " percent ", "&": " and ", "+": " plus ", "@": " at "}

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Thousands separators would otherwise split "1,500" into two numbers.
_GROUPED_NUMBER = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NOT_WORD = re.compile(r"[^\w\s]|_")


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after normalising.

    An empty reference scores 0.0 against an empty hypothesis and 1.0 against anything else,
    so silence that is transcribed as words still fails.
    """
    ref = normalise(reference).split()
    hyp = normalise(hypothesis).split()
    if not ref:
        return 0.0 if not hyp else 1.0
    return _edit_distance(ref, hyp) / len(ref)


def normalise(text: str) -> str:
    text = _GROUPED_NUMBER.sub("", unicodedata.normalize("NFC", text).casefold())
    for symbol, words in _SYMBOLS.items():
        text = text.replace(symbol, words)
    text = _NUMBER.sub(lambda match: f" {_spell_number(match.group())} ", text)
    text = text.replace("'", "").replace("\u2019", "")
    text = _NOT_WORD.sub(" ", text)
    return " ".join(text.split())


def _spell_number(numeral: str) -> str:
    whole, _, fraction = numeral.partition(".")
    words = _spell_integer(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(digit)] for digit in fraction)
    return words


def _spell_integer(value: int) -> str:
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {_spell_integer(rest)}" if rest else "")
    for size, name in _SCALES:
        if value >= size:
            high, rest = divmod(value, size)
            return f"{_spell_integer(high)} {name}" + (f" {_spell_integer(rest)}" if rest else "")
    raise AssertionError("unreachable: every value >= 1000 has a scale")


def _edit_distance(ref: list[str], hyp: list[str]) -> int:
    # One rolling row of the Levenshtein table over words keeps this O(len(hyp)) in memory.
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i]
        for j, hyp_word in enumerate(hyp, start=1):
            substitution = previous[j - 1] + (ref_word != hyp_word)
            current.append(min(previous[j] + 1, current[j - 1] + 1, substitution))
        previous = current
    return previous[-1]
