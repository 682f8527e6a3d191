"""The state machine drawn as inline SVG, each state coloured and labelled by what happened."""

from __future__ import annotations

from .html import esc, seconds
from .graph_layout import NAME_LINE, PAD_Y, PARALLEL_HEAD, Box, Layout, Route, layout
from .statemachine import Machine
from .status import ICONS, LABELS, NOT_REACHED, SHORT, Outcome

_MARKERS = {"idle": "rs-arrow-idle", "taken": "rs-arrow-taken", "catch": "rs-arrow-catch"}


def _defs() -> str:
    markers = "".join(
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path class="head-{kind}" '
        f'd="M0,0 L10,5 L0,10 z"/></marker>'
        for kind, marker in _MARKERS.items()
    )
    return f"<defs>{markers}</defs>"


def _status_line(outcome: Outcome) -> str:
    parts = [f"{ICONS[outcome.status]} {SHORT[outcome.status]}"]
    if len(outcome.runs) > 1:
        parts.append(f"×{len(outcome.runs)}")
    if outcome.runs:
        parts.append(seconds(outcome.seconds))
    return " · ".join(parts)


def _flag(box: Box) -> str:
    """The tag on the state the execution failed in, which may be drawn as caught: its error
    went to the failure handler, and the execution still failed because of it."""
    return (
        f'<g class="flag"><rect x="{box.w - 80:.1f}" y="-9" width="76" height="17" rx="4"/>'
        f'<text x="{box.w - 42:.1f}" y="3.5" text-anchor="middle">FAILED HERE</text></g>'
    )


def _aria(box: Box, outcome: Outcome, culprit: bool) -> str:
    runs = len(outcome.runs)
    text = f"{box.state.name}, {box.state.type} state: {LABELS[outcome.status]}"
    if runs:
        text += f", {runs} run{'s' if runs != 1 else ''}, {seconds(outcome.seconds)}"
    if culprit:
        text += ". The execution failed here"
    return text


def _shape(box: Box) -> str:
    w, h = box.w, box.h
    kind = box.state.type
    if kind == "Choice":
        d = 12.0
        points = f"{d},0 {w - d},0 {w},{h / 2} {w - d},{h} {d},{h} 0,{h / 2}"
        return f'<polygon class="shape" points="{points}"/>'
    radius = {"Succeed": h / 2, "Fail": h / 2, "Parallel": 12.0, "Map": 12.0}.get(kind, 7.0)
    return f'<rect class="shape" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}"/>'


def _node(box: Box, x: float, y: float, outcomes: dict[str, Outcome], culprit: str) -> str:
    name = box.state.name
    outcome = outcomes.get(name) or Outcome(NOT_REACHED)
    is_culprit = name == culprit
    classes = "node culprit" if is_culprit else "node"
    attrs = (
        f'class="{classes}" data-state="{esc(name)}" data-status="{outcome.status}" '
        f'data-type="{esc(box.state.type)}" tabindex="0" role="button" '
        f'aria-label="{esc(_aria(box, outcome, is_culprit))}" '
        f'transform="translate({x + box.x:.1f},{y + box.y:.1f})"'
    )
    status = esc(_status_line(outcome))
    parts = [f"<g {attrs}>", f"<title>{esc(name)} ({esc(box.state.type)})</title>", _shape(box)]
    if box.branches:
        parts.append(
            f'<text class="name" x="14" y="{PARALLEL_HEAD / 2 + 4:.1f}">{esc(name)} '
            f'<tspan class="kind">{esc(box.state.type)} · {len(box.branches)} branches</tspan>'
            f'</text><text class="status-line" x="{box.w - 14:.1f}" '
            f'y="{PARALLEL_HEAD / 2 + 4:.1f}" text-anchor="end">{status}</text>'
        )
    else:
        middle = box.w / 2
        for number, line in enumerate(box.lines):
            baseline = PAD_Y + NAME_LINE * (number + 1) - 3
            parts.append(
                f'<text class="name" x="{middle:.1f}" y="{baseline:.1f}" '
                f'text-anchor="middle">{esc(line)}</text>'
            )
        baseline = PAD_Y + NAME_LINE * len(box.lines) + 12
        parts.append(
            f'<text class="status-line" x="{middle:.1f}" y="{baseline:.1f}" '
            f'text-anchor="middle">{status}</text>'
        )
    if is_culprit:
        parts.append(_flag(box))
    parts.append("</g>")
    return "".join(parts)


def _edge(route: Route, x: float, y: float, taken: set[tuple[str, str]]) -> str:
    went = (route.edge.source, route.edge.target) in taken
    marker = _MARKERS["idle"]
    if went:
        marker = _MARKERS["catch"] if route.style == "catch" else _MARKERS["taken"]
    state = "taken" if went else "idle"
    return (
        f'<path class="edge {route.style} {state}" data-from="{esc(route.edge.source)}" '
        f'data-to="{esc(route.edge.target)}" transform="translate({x:.1f},{y:.1f})" '
        f'd="{route.path}" marker-end="url(#{marker})"/>'
    )


def _draw(
    drawing: Layout,
    x: float,
    y: float,
    outcomes: dict[str, Outcome],
    taken: set[tuple[str, str]],
    culprit: str,
) -> tuple[list[str], list[str]]:
    """The edges and the nodes of one (sub)layout, kept apart so every edge sits under every
    node. A Parallel's branches are drawn as siblings of its frame, never inside it, so no
    focusable node contains another."""
    edges = [_edge(r, x, y, taken) for r in drawing.routes]
    nodes: list[str] = []
    for box in drawing.boxes.values():
        nodes.append(_node(box, x, y, outcomes, culprit))
        for bx, by, branch in box.branches:
            inner_edges, inner_nodes = _draw(
                branch, x + box.x + bx, y + box.y + by, outcomes, taken, culprit
            )
            edges += inner_edges
            nodes += inner_nodes
    return edges, nodes


def state_machine_svg(
    machine: Machine,
    outcomes: dict[str, Outcome],
    taken: set[tuple[str, str]],
    culprit: str = "",
) -> str:
    drawing = layout(machine)
    edges, nodes = _draw(drawing, 0.0, 0.0, outcomes, taken, culprit)
    # Edges not taken first, so the path the execution took is drawn over them.
    edges.sort(key=lambda e: " taken" in e)
    width, height = drawing.width + 8, drawing.height + 8
    return (
        f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'aria-label="The state machine, each state coloured by what happened" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">'
        f"{_defs()}{''.join(edges)}{''.join(nodes)}</svg>"
    )


def legend(counts: dict[str, int]) -> str:
    items = []
    for status, label in LABELS.items():
        if status == "running" and not counts.get(status):
            continue
        count = counts.get(status, 0)
        items.append(
            f'<li><svg width="30" height="18" aria-hidden="true"><g class="node swatch" '
            f'data-status="{status}"><rect class="shape" x="1" y="1" width="28" height="16" '
            f'rx="4"/></g></svg><span>{ICONS[status]} {esc(label)}</span>'
            f'<span class="count">{count}</span></li>'
        )
    items.append(
        '<li><svg width="30" height="18" aria-hidden="true"><path class="edge next taken" '
        'd="M2,9 H28"/></svg><span>Transition taken</span></li>'
        '<li><svg width="30" height="18" aria-hidden="true"><path class="edge catch idle" '
        'd="M2,9 H28"/></svg><span>Catch (on error)</span></li>'
        '<li><svg width="30" height="18" aria-hidden="true"><path class="edge next idle" '
        'd="M2,9 H28"/></svg><span>Not taken</span></li>'
    )
    return f'<ul class="legend" aria-label="Legend">{"".join(items)}</ul>'
