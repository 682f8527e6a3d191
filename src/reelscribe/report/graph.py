"""The state machine drawn as inline SVG, each state coloured and labelled by what happened.

graph_layout places the boxes and routes the edges; this works out each node's shape, text
and status, and templates/graph.svg.j2 writes them out."""

from __future__ import annotations

from typing import Any

from .formats import seconds
from .graph_layout import NAME_LINE, PAD_Y, Box, Layout, Route, layout
from .statemachine import Machine
from .status import ICONS, LABELS, NOT_REACHED, SHORT, Outcome, run_status
from .templating import render

_MARKERS = {"idle": "rs-arrow-idle", "taken": "rs-arrow-taken", "catch": "rs-arrow-catch"}
# How the execution ended in the state it ended in: the tag on its node, the tag's width for
# its bold, letter-spaced capitals at 10 px, and what a screen reader says of it.
_ENDINGS = {
    "ABORTED": ("STOPPED HERE", 88, "The execution was stopped here"),
    "TIMED_OUT": ("TIMED OUT HERE", 102, "The execution timed out here"),
}
_FAILED = ("FAILED HERE", 76, "The execution failed here")


def _status_line(outcome: Outcome) -> str:
    parts = [f"{ICONS[outcome.status]} {SHORT[outcome.status]}"]
    runs = len(outcome.runs)
    if runs > 1:
        # A Map's iterations can end differently: say how many runs the status is true of.
        alike = sum(1 for run in outcome.runs if run_status(run) == outcome.status)
        if alike == runs:
            parts.append(f"×{runs}")
        else:
            parts[0] += f" {alike} of {runs}"
    if outcome.runs:
        parts.append(seconds(outcome.seconds))
    return " · ".join(parts)


# Widths of a character in the frame's head, bold name and plain kind, with room to spare.
_NAME_CHAR, _KIND_CHAR = 8.6, 7.0


def _kind_line(box: Box) -> str:
    """A Parallel's kind and branches beside its name when the frame is wide enough for both
    (the node's title says what kind of state it is either way)."""
    if box.state.type == "Map":  # one state wide: no room beside the name
        return ""
    kind = f"Parallel · {len(box.branches)} branches"
    needed = 28 + _NAME_CHAR * len(box.state.name) + _KIND_CHAR * (len(kind) + 1)
    return kind if needed <= box.w else ""


def _aria(box: Box, outcome: Outcome, ending: str) -> str:
    runs = len(outcome.runs)
    text = f"{box.state.name}, {box.state.type} state: {LABELS[outcome.status]}"
    if runs:
        text += f", {runs} run{'s' if runs != 1 else ''}, {seconds(outcome.seconds)}"
    if ending:
        text += f". {ending}"
    return text


def _shape(box: Box) -> dict[str, Any]:
    w, h = box.w, box.h
    kind = box.state.type
    if kind == "Choice":
        d = 12.0
        return {"points": f"{d},0 {w - d},0 {w},{h / 2} {w - d},{h} {d},{h} 0,{h / 2}"}
    radius = {"Succeed": h / 2, "Fail": h / 2, "Parallel": 12.0, "Map": 12.0}.get(kind, 7.0)
    return {"points": "", "radius": radius}


def _node(
    box: Box, x: float, y: float, outcomes: dict[str, Outcome], culprit: str, ended: str
) -> dict[str, Any]:
    name = box.state.name
    outcome = outcomes.get(name) or Outcome(NOT_REACHED)
    flag, flag_w, ending = _ENDINGS.get(ended, _FAILED) if name == culprit else ("", 0, "")
    lines = [(line, PAD_Y + NAME_LINE * (n + 1) - 3) for n, line in enumerate(box.lines)]
    return {
        "name": name,
        "type": box.state.type,
        "status": outcome.status,
        "culprit": name == culprit,
        "flag": flag,
        "flag_w": flag_w,
        "aria": _aria(box, outcome, ending),
        "x": x + box.x,
        "y": y + box.y,
        "w": box.w,
        "h": box.h,
        **_shape(box),
        "branches": len(box.branches),
        "head_y": PAD_Y + NAME_LINE - 3,
        "head_status_y": PAD_Y + 2 * NAME_LINE,
        "kind_line": _kind_line(box),
        "lines": lines,
        "status_y": PAD_Y + NAME_LINE * len(box.lines) + 12,
        "status_line": _status_line(outcome),
    }


def _edge(route: Route, x: float, y: float, taken: set[tuple[str, str]]) -> dict[str, Any]:
    went = (route.edge.source, route.edge.target) in taken
    marker = _MARKERS["idle"]
    if went:
        marker = _MARKERS["catch"] if route.style == "catch" else _MARKERS["taken"]
    return {
        "style": route.style,
        "state": "taken" if went else "idle",
        "source": route.edge.source,
        "target": route.edge.target,
        "x": x,
        "y": y,
        "path": route.path,
        "marker": marker,
    }


def _draw(
    drawing: Layout,
    x: float,
    y: float,
    outcomes: dict[str, Outcome],
    taken: set[tuple[str, str]],
    culprit: str,
    ended: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The edges and the nodes of one (sub)layout, a Parallel's branches after its frame."""
    edges = [_edge(r, x, y, taken) for r in drawing.routes]
    nodes: list[dict[str, Any]] = []
    for box in drawing.boxes.values():
        nodes.append(_node(box, x, y, outcomes, culprit, ended))
        for bx, by, branch in box.branches:
            inner_edges, inner_nodes = _draw(
                branch, x + box.x + bx, y + box.y + by, outcomes, taken, culprit, ended
            )
            edges += inner_edges
            nodes += inner_nodes
    return edges, nodes


def state_machine_svg(
    machine: Machine,
    outcomes: dict[str, Outcome],
    taken: set[tuple[str, str]],
    culprit: str = "",
    ended: str = "FAILED",
) -> str:
    """The drawing; `culprit` is the state the execution ended in and `ended` how it ended
    (its status: FAILED, TIMED_OUT or ABORTED), which its tag says."""
    drawing = layout(machine)
    edges, nodes = _draw(drawing, 0.0, 0.0, outcomes, taken, culprit, ended)
    # Edges not taken first, so the path the execution took is drawn over them.
    edges.sort(key=lambda e: e["state"] == "taken")
    return render(
        "graph.svg.j2",
        width=drawing.width + 8,
        height=drawing.height + 8,
        markers=list(_MARKERS.items()),
        edges=edges,
        nodes=nodes,
    )


def legend(counts: dict[str, int]) -> str:
    statuses = [
        (status, ICONS[status], label, counts.get(status, 0))
        for status, label in LABELS.items()
        if status != "running" or counts.get(status)
    ]
    return render("legend.html.j2", statuses=statuses)
