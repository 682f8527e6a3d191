"""Every state run as a bar in time: one row per state, so a poll loop shows as repeats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..results import VideoFolder
from .formats import seconds
from .statemachine import Machine
from .status import run_status
from .templating import render

AXIS = 28.0


@dataclass(frozen=True)
class Geometry:
    """One drawing of the timeline. Wide: a label column beside the bars. Narrow (a phone):
    each row's label and time on a line of their own over its bars, the whole chart as wide as
    the screen, so nothing is cut and nothing needs scrolling sideways."""

    name: str
    width: float
    label: float  # where the runs and time end (right-aligned)
    chart_left: float
    chart_right: float
    row: float
    bar_top: float  # a bar's offset in its row
    bar_height: float
    text_y: float  # the label's baseline in its row
    label_chars: int


WIDE = Geometry("wide", 1240.0, 300.0, 312.0, 1216.0, 21.0, 4.0, 13.0, 14.0, 40)
NARROW = Geometry("narrow", 360.0, 356.0, 4.0, 352.0, 34.0, 18.0, 11.0, 13.0, 34)
# Kept for readers of the wide drawing's measures.
WIDTH, LABEL, ROW = WIDE.width, WIDE.label, WIDE.row
_STEPS = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)


@dataclass
class Bar:
    name: str
    kind: str
    start: float
    end: float
    status: str
    number: int


def bars(folder: VideoFolder) -> list[Bar]:
    origin = folder.started
    if origin is None:
        return []
    found: list[Bar] = []
    counts: dict[str, int] = {}
    for run in folder.states:
        entered = run.entered
        exited = run.exited or folder.stopped or entered
        name = run.name
        counts[name] = counts.get(name, 0) + 1
        found.append(
            Bar(
                name=name,
                kind=run.kind,
                start=(entered - origin).total_seconds(),
                end=(exited - origin).total_seconds(),
                status=run_status(run),
                number=counts[name],
            )
        )
    return found


def waiting_seconds(found: list[Bar]) -> float:
    """Time inside Wait states, overlaps counted once (Parallel branches can wait together)."""
    spans = sorted((b.start, b.end) for b in found if b.kind == "Wait")
    total, reach = 0.0, float("-inf")
    for start, end in spans:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _step(total: float) -> float:
    return next((s for s in _STEPS if total / s <= 10), _STEPS[-1])


def _label(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _rows(
    found: list[Bar], scale: float, machine: Machine, geometry: Geometry
) -> list[dict[str, Any]]:
    names: list[str] = []
    for bar in found:
        if bar.name not in names:
            names.append(bar.name)
    nested = {s.name for s in machine.walk() if s.parent}
    rows = []
    for index, name in enumerate(names):
        mine = [b for b in found if b.name == name]
        spent = sum(b.end - b.start for b in mine)
        indent = 14 if name in nested else 0
        bars = []
        for bar in mine:
            kind = "wait" if bar.kind == "Wait" else bar.status
            bars.append(
                {
                    "kind": "work" if kind in ("succeeded", "running") else kind,
                    "x": geometry.chart_left + bar.start * scale,
                    "w": max((bar.end - bar.start) * scale, 2.0),
                    "number": bar.number,
                    "start": bar.start,
                    "seconds": bar.end - bar.start,
                    "status": bar.status,
                }
            )
        rows.append(
            {
                "name": name,
                "y": AXIS + index * geometry.row,
                "spent": spent,
                "runs": f"×{len(mine)} · {seconds(spent)}" if len(mine) > 1 else seconds(spent),
                "label_class": "row-label nested" if name in nested else "row-label",
                "indent": indent,
                "label": _label(name, geometry.label_chars - indent // 7),
                "bars": bars,
            }
        )
    return rows


def _drawing(
    found: list[Bar], total: float, machine: Machine, geometry: Geometry
) -> dict[str, Any]:
    scale = (geometry.chart_right - geometry.chart_left) / total
    rows = _rows(found, scale, machine, geometry)
    ticks: list[tuple[str, float]] = []
    step, tick = _step(total), 0.0
    while tick <= total + 1e-9:
        ticks.append((f"{tick:g}", geometry.chart_left + tick * scale))
        tick += step
    return {
        "geometry": geometry,
        "rows": rows,
        "ticks": ticks,
        "height": AXIS + geometry.row * len(rows) + 8,
    }


def timeline_section(folder: VideoFolder, machine: Machine) -> str:
    found = bars(folder)
    if not found:
        return render("timeline.html.j2", rows=[])
    total = max(folder.seconds or 0.0, max(b.end for b in found), 0.001)
    waiting = waiting_seconds(found)
    drawings = [_drawing(found, total, machine, geometry) for geometry in (WIDE, NARROW)]
    return render(
        "timeline.html.j2",
        total=total,
        waiting=waiting,
        working=max(total - waiting, 0.0),
        wait_share=100 * waiting / total,
        waits=sum(1 for b in found if b.kind == "Wait"),
        runs=len(found),
        rows=drawings[0]["rows"],
        drawings=drawings,
        axis=AXIS,
    )
