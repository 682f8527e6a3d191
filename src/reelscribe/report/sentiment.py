"""Sentiment over time: Positive minus Negative for each sentence, drawn where it was said."""

from __future__ import annotations

from .html import clock, esc
from .transcript_view import Sentence

WIDTH, HEIGHT = 1000.0, 280.0
LEFT, RIGHT, TOP, BOTTOM = 70.0, 20.0, 20.0, 48.0
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)


def _signed(value: float, places: int | None = None) -> str:
    """+0.5, 0, and negatives with a real minus sign (U+2212); no sign on zero."""
    text = f"{abs(value):.{places}f}" if places is not None else f"{abs(value):g}"
    if float(text) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def balance(sentence: Sentence) -> float:
    return sentence.scores.get("Positive", 0.0) - sentence.scores.get("Negative", 0.0)


def sentiment_chart(found: list[Sentence], duration: float | None) -> str:
    scored = [s for s in found if s.scores]
    if not scored:
        return '<p class="empty">No sentiment analysis for this video.</p>'
    span = max([duration or 0.0, *(s.end for s in scored)]) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + plot_w * t / span

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v) / 2

    parts = [
        f'<svg class="sentiment" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} '
        f'{HEIGHT:.0f}" role="img" aria-labelledby="rs-sentiment-title rs-sentiment-desc">'
        '<title id="rs-sentiment-title">Sentiment over time</title>'
        f'<desc id="rs-sentiment-desc">Positive minus negative score for each of {len(scored)} '
        "sentences, from -1 (negative) to +1 (positive), against seconds into the video.</desc>"
        '<g class="axis">'
    ]
    for value in (-1.0, -0.5, 0.0, 0.5, 1.0):
        parts.append(
            f'<line class="grid" x1="{LEFT:.0f}" x2="{WIDTH - RIGHT:.0f}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}"/><text x="{LEFT - 8:.0f}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{_signed(value)}</text>'
        )
    step = next((s for s in _STEPS if span / s <= 10), _STEPS[-1])
    tick = 0.0
    while tick <= span + 1e-9:
        parts.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP:.0f}" '
            f'y2="{HEIGHT - BOTTOM:.0f}"/><text x="{x(tick):.1f}" y="{HEIGHT - BOTTOM + 16:.0f}" '
            f'text-anchor="middle">{clock(tick)}</text>'
        )
        tick += step
    parts.append(
        f'<line class="axis-line" x1="{LEFT:.0f}" x2="{WIDTH - RIGHT:.0f}" y1="{y(0):.1f}" '
        f'y2="{y(0):.1f}"/><line class="axis-line" x1="{LEFT:.0f}" x2="{LEFT:.0f}" '
        f'y1="{TOP:.0f}" y2="{HEIGHT - BOTTOM:.0f}"/></g>'
        f'<text class="axis-title" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8:.0f}" '
        'text-anchor="middle">Time into the video (m:ss)</text>'
        f'<text class="axis-title" transform="translate(16,{TOP + plot_h / 2:.0f}) rotate(-90)" '
        'text-anchor="middle">Positive − Negative</text>'
    )
    for sentence in scored:
        value = balance(sentence)
        left, right = x(sentence.start), max(x(sentence.end), x(sentence.start) + 3)
        top, bottom = sorted((y(value), y(0)))
        bottom = max(bottom, top + 2)
        kind = "up" if value > 0.05 else "down" if value < -0.05 else "flat"
        label_y = top - 5 if value >= 0 else bottom + 13
        parts.append(
            f'<g class="seg {kind}" data-seek="{sentence.start:.3f}"><title>'
            f"{clock(sentence.start)}–{clock(sentence.end)} {esc(sentence.sentiment.title())} "
            f"({value:+.2f}): {esc(sentence.text)}</title>"
            f'<rect x="{left + 1:.1f}" y="{top:.1f}" width="{max(right - left - 2, 2):.1f}" '
            f'height="{bottom - top:.1f}" rx="2"/>'
            f'<text class="value" x="{(left + right) / 2:.1f}" y="{label_y:.1f}" '
            f'text-anchor="middle">{_signed(value, 2)}</text></g>'
        )
    parts.append(
        f'<line class="playhead" x1="{LEFT:.0f}" x2="{LEFT:.0f}" y1="{TOP:.0f}" '
        f'y2="{HEIGHT - BOTTOM:.0f}" data-left="{LEFT}" data-width="{plot_w}" '
        f'data-span="{span}" visibility="hidden"/></svg>'
    )
    return "".join(parts)
