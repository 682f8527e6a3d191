"""Every state run as a bar in time: one row per state, so a poll loop shows as repeats."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import VideoFolder
from .html import esc, seconds
from .statemachine import Machine
from .status import run_status

WIDTH = 1240.0
LABEL = 300.0
CHART_LEFT = LABEL + 12.0
CHART_RIGHT = WIDTH - 24.0
ROW = 21.0
AXIS = 28.0
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


def _svg(found: list[Bar], total: float, machine: Machine) -> str:
    rows: list[str] = []
    for bar in found:
        if bar.name not in rows:
            rows.append(bar.name)
    nested = {s.name for s in machine.walk() if s.parent}
    scale = (CHART_RIGHT - CHART_LEFT) / total
    height = AXIS + ROW * len(rows) + 8
    step = _step(total)
    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" '
        f'aria-label="Each state run as a bar from its start to its end, seconds since the '
        f'execution started">'
        '<defs><pattern id="rs-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d5deef"/>'
        '<rect width="3" height="6" fill="#a9b8d6"/></pattern></defs><g class="axis">'
    ]
    tick = 0.0
    while tick <= total + 1e-9:
        x = CHART_LEFT + tick * scale
        parts.append(
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{AXIS - 6:.0f}" '
            f'y2="{height - 6:.0f}"/><text x="{x:.1f}" y="{AXIS - 10:.0f}" '
            f'text-anchor="middle">{tick:g} s</text>'
        )
        tick += step
    parts.append("</g>")
    for index, name in enumerate(rows):
        y = AXIS + index * ROW
        mine = [b for b in found if b.name == name]
        spent = sum(b.end - b.start for b in mine)
        runs = f"×{len(mine)} · {seconds(spent)}" if len(mine) > 1 else seconds(spent)
        label_class = "row-label nested" if name in nested else "row-label"
        indent = 14 if name in nested else 0
        parts.append(
            f'<g class="row" data-state="{esc(name)}"><title>{esc(name)}: {len(mine)} '
            f"run{'s' if len(mine) != 1 else ''}, {seconds(spent)} in all</title>"
            f'<rect class="row-bg" x="0" y="{y:.1f}" width="{WIDTH:.0f}" height="{ROW:.0f}"/>'
            f'<text class="{label_class}" x="{4 + indent}" y="{y + 14:.1f}">'
            f"{esc(_label(name, 40 - indent // 7))}</text>"
            f'<text class="runs" x="{LABEL:.0f}" y="{y + 14:.1f}" text-anchor="end">'
            f"{esc(runs)}</text>"
        )
        for bar in mine:
            x = CHART_LEFT + bar.start * scale
            width = max((bar.end - bar.start) * scale, 2.0)
            kind = "wait" if bar.kind == "Wait" else bar.status
            kind = "work" if kind in ("succeeded", "running") else kind
            parts.append(
                f'<rect class="bar {kind}" x="{x:.1f}" y="{y + 4:.1f}" width="{width:.1f}" '
                f'height="{ROW - 8:.0f}" rx="2"><title>{esc(name)}, run {bar.number} of '
                f"{len(mine)}: from +{bar.start:.2f} s for {seconds(bar.end - bar.start)} "
                f"({esc(bar.status)})</title></rect>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def timeline_section(folder: VideoFolder, machine: Machine) -> str:
    found = bars(folder)
    if not found:
        return '<p class="empty">The execution history has no state runs to show.</p>'
    total = max(folder.seconds or 0.0, max(b.end for b in found), 0.001)
    waiting = waiting_seconds(found)
    working = max(total - waiting, 0.0)
    wait_share = 100 * waiting / total
    waits = sum(1 for b in found if b.kind == "Wait")
    states = len({b.name for b in found})
    summary = (
        '<dl class="facts timeline-summary">'
        f"<div><dt>Total</dt><dd>{seconds(total)}</dd></div>"
        f'<div><dt><span class="swatch-wait"></span>Waiting</dt><dd>{seconds(waiting)} '
        f"({wait_share:.0f}%) in {waits} Wait run{'s' if waits != 1 else ''}</dd></div>"
        f'<div><dt><span class="swatch-work"></span>Working</dt><dd>{seconds(working)} '
        f"({100 - wait_share:.0f}%)</dd></div>"
        f"<div><dt>State runs</dt><dd>{len(found)} runs of {states} states</dd></div></dl>"
        f'<div class="split" role="img" aria-label="Waiting {wait_share:.0f} percent, working '
        f'{100 - wait_share:.0f} percent"><div class="wait" style="width:{wait_share:.2f}%">'
        f'</div><div class="work" style="width:{100 - wait_share:.2f}%"></div></div>'
    )
    legend = (
        '<ul class="legend"><li><span class="swatch-work"></span>Working</li>'
        '<li><span class="swatch-wait"></span>Waiting (Wait state)</li>'
        '<li><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" '
        'rx="2" fill="var(--retry-line)"/></svg>Retried</li>'
        '<li><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" '
        'rx="2" fill="var(--caught-line)"/></svg>Caught</li>'
        '<li><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" '
        'rx="2" fill="var(--fail-line)"/></svg>Failed</li></ul>'
    )
    return f'{summary}{legend}<div class="timeline-scroll">{_svg(found, total, machine)}</div>'
