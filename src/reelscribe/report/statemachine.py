"""The states and transitions of an ASL definition, read from the definition itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Keys whose value is a nested state machine: Parallel's branches, Map's item processor.
_NESTED = ("Branches", "ItemProcessor", "Iterator")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "next", "choice", "default" or "catch"
    label: str = ""


@dataclass
class State:
    name: str
    type: str
    definition: dict[str, Any]
    branches: list[Machine] = field(default_factory=list)
    parent: str | None = None  # the Parallel or Map state this one runs inside

    @property
    def end(self) -> bool:
        return bool(self.definition.get("End")) or self.type in ("Succeed", "Fail")


@dataclass
class Machine:
    start: str
    states: dict[str, State]
    edges: list[Edge]

    def walk(self) -> list[State]:
        """Every state, nested ones after the state that holds them, in definition order."""
        found: list[State] = []
        for state in self.states.values():
            found.append(state)
            for branch in state.branches:
                found.extend(branch.walk())
        return found


def _catch_label(errors: list[str]) -> str:
    return "any error" if "States.ALL" in errors else ", ".join(errors)


def _edges(name: str, spec: dict[str, Any]) -> list[Edge]:
    edges: list[Edge] = []
    if isinstance(spec.get("Next"), str):
        edges.append(Edge(name, spec["Next"], "next"))
    for number, choice in enumerate(spec.get("Choices") or [], start=1):
        if isinstance(choice, dict) and isinstance(choice.get("Next"), str):
            edges.append(Edge(name, choice["Next"], "choice", f"rule {number}"))
    if isinstance(spec.get("Default"), str):
        edges.append(Edge(name, spec["Default"], "default", "default"))
    for catcher in spec.get("Catch") or []:
        if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
            errors = [str(e) for e in catcher.get("ErrorEquals") or []]
            edges.append(Edge(name, catcher["Next"], "catch", _catch_label(errors)))
    return edges


def parse(definition: dict[str, Any], parent: str | None = None) -> Machine:
    """Read States, StartAt and every transition; nested machines become branches."""
    raw_states = definition.get("States")
    if not isinstance(raw_states, dict) or not raw_states:
        raise ValueError("the definition has no States")
    states: dict[str, State] = {}
    edges: list[Edge] = []
    for name, spec in raw_states.items():
        if not isinstance(spec, dict):
            continue
        shown = {k: v for k, v in spec.items() if k not in _NESTED}
        state = State(name=name, type=str(spec.get("Type", "Task")), definition=shown)
        state.parent = parent
        nested: list[Any] = list(spec.get("Branches") or [])
        nested += [spec[key] for key in ("ItemProcessor", "Iterator") if key in spec]
        state.branches = [parse(b, name) for b in nested if isinstance(b, dict)]
        states[name] = state
        edges.extend(e for e in _edges(name, spec) if e.target in raw_states)
    start = str(definition.get("StartAt") or next(iter(states)))
    return Machine(start=start, states=states, edges=edges)
