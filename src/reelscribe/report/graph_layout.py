"""Where each state goes: layers by longest path from StartAt, then edges routed around boxes.

Loops (a poll going back to its Wait) would make "longest path" endless, so the edges that close
a cycle are found first by a depth-first walk and drawn on the left, up the side of the graph.
Edges that skip layers go down a lane on the right when a straight line would cross a box; edges
into the same state share a lane, so the many Catch edges into one failure handler read as a bus.
A Parallel state is a box holding its branches, each laid out the same way, side by side.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from .statemachine import Edge, Machine, State

NODE_WIDTH = 188.0
PAD_Y = 8.0
NAME_LINE = 15.0
STATUS_LINE = 15.0
GAP_X = 22.0
GAP_Y = 36.0
LANE_GAP = 10.0
LANE_MARGIN = 18.0
BRANCH_GAP = 14.0
PARALLEL_PAD = 12.0
PARALLEL_HEAD = 46.0  # two lines: the name, then the status
WRAP = 25
MAX_LINES = 3
CORNER = 7.0


@dataclass
class Box:
    state: State
    layer: int
    w: float
    h: float
    lines: list[str]
    branches: list[tuple[float, float, Layout]] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Route:
    edge: Edge
    path: str
    style: str  # "next", "catch" or "loop"


@dataclass
class Layout:
    boxes: dict[str, Box]
    routes: list[Route]
    width: float
    height: float


@dataclass
class _Lane:
    side: str  # "left" or "right"
    target: str
    edges: list[Edge]
    top: float
    bottom: float
    x: float = 0.0


def name_lines(name: str) -> list[str]:
    lines = textwrap.wrap(name, WRAP, break_long_words=True) or [name]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LINES - 1 :]), WRAP)]
    return lines


def _measure(state: State, layer: int) -> Box:
    lines = name_lines(state.name)
    if not state.branches:
        height = PAD_Y * 2 + NAME_LINE * len(lines) + STATUS_LINE
        return Box(state, layer, NODE_WIDTH, height, lines)
    inner = [layout(branch) for branch in state.branches]
    x = PARALLEL_PAD
    placed: list[tuple[float, float, Layout]] = []
    for branch in inner:
        placed.append((x, PARALLEL_HEAD + PARALLEL_PAD / 2, branch))
        x += branch.width + BRANCH_GAP
    width = max(x - BRANCH_GAP + PARALLEL_PAD, NODE_WIDTH)
    height = PARALLEL_HEAD + PARALLEL_PAD + max((b.height for b in inner), default=0.0)
    return Box(state, layer, width, height, [state.name], placed)


def _unique_edges(machine: Machine) -> list[Edge]:
    """One drawn edge per pair of states: a Next and a Catch to the same state look the same."""
    seen: set[tuple[str, str]] = set()
    edges = []
    for edge in machine.edges:
        if (edge.source, edge.target) not in seen:
            seen.add((edge.source, edge.target))
            edges.append(edge)
    return edges


def _back_edges(machine: Machine, edges: list[Edge]) -> set[tuple[str, str]]:
    outgoing: dict[str, list[str]] = {name: [] for name in machine.states}
    for edge in edges:
        outgoing[edge.source].append(edge.target)
    on_stack: set[str] = set()
    done: set[str] = set()
    back: set[tuple[str, str]] = set()
    roots = [machine.start, *(n for n in machine.states if n != machine.start)]
    for root in roots:
        if root in done:
            continue
        stack = [(root, iter(outgoing[root]))]
        on_stack.add(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_stack.discard(node)
                done.add(node)
            elif child in on_stack:
                back.add((node, child))
            elif child not in done:
                on_stack.add(child)
                stack.append((child, iter(outgoing[child])))
    return back


def _layers(machine: Machine, forward: list[Edge]) -> dict[str, int]:
    """Longest path from the roots over the edges that close no cycle (Kahn's order)."""
    incoming = {name: 0 for name in machine.states}
    for edge in forward:
        incoming[edge.target] += 1
    layer = {name: 0 for name in machine.states}
    ready = [n for n in machine.states if incoming[n] == 0]
    while ready:
        node = ready.pop(0)
        for edge in forward:
            if edge.source != node:
                continue
            layer[edge.target] = max(layer[edge.target], layer[node] + 1)
            incoming[edge.target] -= 1
            if incoming[edge.target] == 0:
                ready.append(edge.target)
    return layer


def _weights(machine: Machine, forward: list[Edge]) -> dict[str, int]:
    """How many states each state leads to, Catch edges aside: the heaviest child of a fork is
    the main path, and stays straight under its parent."""
    outgoing: dict[str, list[str]] = {name: [] for name in machine.states}
    for edge in forward:
        if edge.kind != "catch":
            outgoing[edge.source].append(edge.target)
    weights: dict[str, int] = {}
    for name in machine.states:
        seen, todo = {name}, [name]
        while todo:
            for child in outgoing[todo.pop()]:
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        weights[name] = len(seen)
    return weights


def _place(
    machine: Machine, boxes: dict[str, Box], forward: list[Edge]
) -> tuple[list[list[str]], list[float]]:
    """Rows top to bottom; in a row, states ordered by where the states leading to them are,
    and the row shifted so its main-path state sits right under its parents."""
    count = max(box.layer for box in boxes.values()) + 1
    rows: list[list[str]] = [[] for _ in range(count)]
    for name, box in boxes.items():
        rows[box.layer].append(name)
    # Room above the first row for a lane coming into it from above.
    tops, heights, y = [], [], GAP_Y / 2
    for row in rows:
        height = max(boxes[n].h for n in row) if row else 0.0
        tops.append(y)
        heights.append(height)
        y += height + GAP_Y
    order = list(machine.states)
    weight = _weights(machine, forward)
    centre: dict[str, float] = {}

    def anchors(name: str) -> list[Edge]:
        """The parents a state lines up under: those in the row just above (they set its
        layer), by a plain transition rather than a Catch when there are both."""
        placed = [e for e in forward if e.target == name and e.source in centre]
        near = [e for e in placed if boxes[e.source].layer == boxes[name].layer - 1] or placed
        return [e for e in near if e.kind != "catch"] or near

    def desire(name: str) -> float:
        parents = anchors(name)
        return sum(centre[e.source] for e in parents) / len(parents) if parents else 0.0

    def main(name: str) -> bool:
        return any(e.kind != "catch" for e in anchors(name)) or not anchors(name)

    for index, row in enumerate(rows):
        row.sort(key=lambda n: (round(desire(n), 1), not main(n), -weight[n], order.index(n)))
        left, packed = 0.0, []
        for name in row:
            packed.append(left + boxes[name].w / 2)
            left += boxes[name].w + GAP_X
        # The main-path states of the row (several when a fork joins again just below) are
        # centred under their parents; the rest of the row sits beside them.
        best = max(((main(n), weight[n]) for n in row), default=(True, 0))
        group = [i for i, n in enumerate(row) if (main(n), weight[n]) == best]
        shift = sum(desire(row[i]) - packed[i] for i in group) / max(len(group), 1)
        for name, middle in zip(row, packed, strict=True):
            box = boxes[name]
            box.x = middle + shift - box.w / 2
            box.y = tops[index] + (heights[index] - box.h) / 2
            centre[name] = box.cx
    return rows, tops


def _rounded(points: list[tuple[float, float]]) -> str:
    """An orthogonal polyline with its corners rounded."""
    clean = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if len(clean) < 2:
        return ""
    parts = [f"M{clean[0][0]:.1f},{clean[0][1]:.1f}"]
    for i in range(1, len(clean) - 1):
        (ax, ay), (bx, by), (cx, cy) = clean[i - 1], clean[i], clean[i + 1]
        into = max(abs(bx - ax), abs(by - ay))
        out = max(abs(cx - bx), abs(cy - by))
        r = min(CORNER, into / 2, out / 2)
        sx = bx - r * _sign(bx - ax)
        sy = by - r * _sign(by - ay)
        ex = bx + r * _sign(cx - bx)
        ey = by + r * _sign(cy - by)
        parts.append(f"L{sx:.1f},{sy:.1f} Q{bx:.1f},{by:.1f} {ex:.1f},{ey:.1f}")
    parts.append(f"L{clean[-1][0]:.1f},{clean[-1][1]:.1f}")
    return " ".join(parts)


def _sign(value: float) -> float:
    return (value > 0) - (value < 0)


def _curve(sx: float, sy: float, tx: float, ty: float) -> str:
    bend = max((ty - sy) * 0.5, 12.0)
    return (
        f"M{sx:.1f},{sy:.1f} C{sx:.1f},{sy + bend:.1f} {tx:.1f},{ty - bend:.1f} {tx:.1f},{ty:.1f}"
    )


def _spread(box: Box, count: int, index: int) -> float:
    """Where the index-th of count edges leaves or enters a box's bottom or top side."""
    if count <= 1:
        return box.cx
    usable = min(box.w - 24.0, 24.0 * (count - 1))
    return box.cx - usable / 2 + usable * index / (count - 1)


def _clear(boxes: dict[str, Box], rows: list[list[str]], edge: Edge) -> bool:
    """Whether a straight run from source to target passes beside every box in between."""
    source, target = boxes[edge.source], boxes[edge.target]
    low, high = sorted((source.cx, target.cx))
    for row in rows[source.layer + 1 : target.layer]:
        for name in row:
            box = boxes[name]
            if box.x - 8 < high and box.right + 8 > low:
                return False
    return True


def _lanes(
    boxes: dict[str, Box], rows: list[list[str]], laned: list[tuple[str, Edge]]
) -> list[_Lane]:
    groups: dict[tuple[str, str], _Lane] = {}
    for side, edge in laned:
        source, target = boxes[edge.source], boxes[edge.target]
        lane = groups.get((side, edge.target))
        top, bottom = sorted((source.cy, target.cy))
        if lane is None:
            groups[(side, edge.target)] = _Lane(side, edge.target, [edge], top, bottom)
        else:
            lane.edges.append(edge)
            lane.top, lane.bottom = min(lane.top, top), max(lane.bottom, bottom)
    placed: list[_Lane] = []
    for lane in sorted(groups.values(), key=lambda g: g.bottom - g.top):
        layers = [boxes[e.source].layer for e in lane.edges] + [boxes[lane.target].layer]
        spanned = [boxes[n] for row in rows[min(layers) : max(layers) + 1] for n in row]
        if lane.side == "right":
            x, step = max(b.right for b in spanned) + LANE_MARGIN, LANE_GAP
        else:
            x, step = min(b.x for b in spanned) - LANE_MARGIN, -LANE_GAP
        while any(
            o.side == lane.side
            and o.top <= lane.bottom
            and lane.top <= o.bottom
            and abs(o.x - x) < LANE_GAP
            for o in placed
        ):
            x += step
        lane.x = x
        placed.append(lane)
    return placed


def _edge_end(box: Box, row: list[str], boxes: dict[str, Box], side: str) -> str:
    """Whether a lane can meet the box at its side (nothing beside it in its row)."""
    if side == "right":
        return "side" if all(boxes[n].x <= box.x for n in row) else "top"
    return "side" if all(boxes[n].x >= box.x for n in row) else "top"


def _lane_path(
    lane: _Lane, edge: Edge, boxes: dict[str, Box], rows: list[list[str]], tops: list[float]
) -> str:
    source, target = boxes[edge.source], boxes[edge.target]
    inset = -14.0 if lane.side == "right" else 14.0
    points: list[tuple[float, float]] = []
    if _edge_end(source, rows[source.layer], boxes, lane.side) == "side":
        start_x = source.right if lane.side == "right" else source.x
        points += [(start_x, source.cy), (lane.x, source.cy)]
    else:
        below = source.layer + 1
        gap_y = tops[below] - GAP_Y * 0.4 if below < len(tops) else source.bottom + GAP_Y * 0.4
        edge_x = (source.right if lane.side == "right" else source.x) + inset
        points += [(edge_x, source.bottom), (edge_x, gap_y), (lane.x, gap_y)]
    if _edge_end(target, rows[target.layer], boxes, lane.side) == "side":
        end_x = target.right if lane.side == "right" else target.x
        points += [(lane.x, target.cy), (end_x, target.cy)]
    else:
        gap_y = tops[target.layer] - GAP_Y * 0.4
        edge_x = (target.right if lane.side == "right" else target.x) + inset
        points += [(lane.x, gap_y), (edge_x, gap_y), (edge_x, target.y)]
    return _rounded(points)


def _self_loop(box: Box) -> str:
    x, top, bottom = box.right, box.cy - 8, box.cy + 8
    return f"M{x:.1f},{top:.1f} C{x + 28:.1f},{top - 10:.1f} {x + 28:.1f},{bottom + 10:.1f} " + (
        f"{x:.1f},{bottom:.1f}"
    )


def _routes(
    boxes: dict[str, Box],
    rows: list[list[str]],
    tops: list[float],
    edges: list[Edge],
    back: set[tuple[str, str]],
) -> tuple[list[Route], list[_Lane]]:
    direct: list[Edge] = []
    laned: list[tuple[str, Edge]] = []
    loops: list[Edge] = []
    for edge in edges:
        if edge.source == edge.target:
            loops.append(edge)
        elif (edge.source, edge.target) in back:
            laned.append(("left", edge))
        elif boxes[edge.target].layer == boxes[edge.source].layer + 1 or _clear(boxes, rows, edge):
            direct.append(edge)
        else:
            laned.append(("right", edge))
    lanes = _lanes(boxes, rows, laned)
    routes: list[Route] = []
    for edge in direct:
        source, target = boxes[edge.source], boxes[edge.target]
        outs = sorted(
            (e for e in direct if e.source == edge.source), key=lambda e: boxes[e.target].cx
        )
        ins = sorted(
            (e for e in direct if e.target == edge.target), key=lambda e: boxes[e.source].cx
        )
        sx = _spread(source, len(outs), outs.index(edge))
        tx = _spread(target, len(ins), ins.index(edge))
        path = _curve(sx, source.bottom, tx, target.y)
        routes.append(Route(edge, path, "catch" if edge.kind == "catch" else "next"))
    for lane in lanes:
        for edge in lane.edges:
            path = _lane_path(lane, edge, boxes, rows, tops)
            style = "loop" if lane.side == "left" else ("catch" if edge.kind == "catch" else "next")
            routes.append(Route(edge, path, style))
    routes += [Route(e, _self_loop(boxes[e.source]), "loop") for e in loops]
    return routes, lanes


def layout(machine: Machine) -> Layout:
    edges = _unique_edges(machine)
    back = _back_edges(machine, edges)
    forward = [e for e in edges if (e.source, e.target) not in back and e.source != e.target]
    layer = _layers(machine, forward)
    boxes = {name: _measure(state, layer[name]) for name, state in machine.states.items()}
    rows, tops = _place(machine, boxes, forward)
    # Lanes are placed from the boxes, so a first routing finds how far left the loops reach;
    # the boxes then move right of them and the edges are routed at their final positions.
    _, lanes = _routes(boxes, rows, tops, edges, back)
    left = min([b.x for b in boxes.values()] + [lane.x for lane in lanes]) - 4.0
    for box in boxes.values():
        box.x -= left
    routes, lanes = _routes(boxes, rows, tops, edges, back)
    loops = [e for e in edges if e.source == e.target]
    width = max(
        [b.right for b in boxes.values()]
        + [lane.x + 4.0 for lane in lanes]
        + [boxes[e.source].right + 30.0 for e in loops]
    )
    height = max(b.bottom for b in boxes.values()) + GAP_Y / 2
    return Layout(boxes, routes, width, height)
