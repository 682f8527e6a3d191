"""Sentiment over time: Positive minus Negative for each sentence, drawn where it was said."""

from __future__ import annotations

from .formats import clock
from .templating import render
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
    span = max([duration or 0.0, *(s.end for s in scored)]) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + plot_w * t / span

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v) / 2

    step = next((s for s in _STEPS if span / s <= 10), _STEPS[-1])
    ticks = [step * n for n in range(int(span / step + 1e-9) + 1)]
    segments = []
    for sentence in scored:
        value = balance(sentence)
        left, right = x(sentence.start), max(x(sentence.end), x(sentence.start) + 3)
        top, bottom = sorted((y(value), y(0)))
        bottom = max(bottom, top + 2)
        segments.append(
            {
                "kind": "up" if value > 0.05 else "down" if value < -0.05 else "flat",
                "start": sentence.start,
                "title": f"{clock(sentence.start)}–{clock(sentence.end)} "
                f"{sentence.sentiment.title()} ({value:+.2f}): {sentence.text}",
                "x": left + 1,
                "y": top,
                "w": max(right - left - 2, 2),
                "h": bottom - top,
                "label_x": (left + right) / 2,
                "label_y": top - 5 if value >= 0 else bottom + 13,
                "label": _signed(value, 2),
            }
        )
    return render(
        "sentiment.svg.j2",
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        zero=y(0),
        plot_w=plot_w,
        plot_h=plot_h,
        span=span,
        rows=[(_signed(v), y(v)) for v in (-1.0, -0.5, 0.0, 0.5, 1.0)],
        columns=[(clock(t), x(t)) for t in ticks],
        segments=segments,
    )
