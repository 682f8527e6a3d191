"""The data behind the state panel: each state's definition and every run's input, output,
error and cause, embedded once in the page as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..results import StateRun, VideoFolder
from .formats import pretty_json
from .statemachine import Machine, State
from .status import LABELS, NOT_REACHED, Outcome, plain_cause, run_status

# A state's input and output can be large (a transcode job's settings); the panel shows this
# much of each and the full documents stay in execution/states.json.
TEXT_LIMIT = 12_000


class _Texts:
    """Each distinct document stored once: a state's output is usually the next one's input."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, value: Any) -> int | None:
        if value is None:
            return None
        text = pretty_json(value, TEXT_LIMIT)
        if text not in self._index:
            self._index[text] = len(self.items)
            self.items.append(text)
        return self._index[text]


def _offset(run: StateRun, origin: datetime | None) -> float | None:
    return None if origin is None else (run.entered - origin).total_seconds()


def _rules(state: State, machine_edges: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    spec = state.definition
    retry = [
        {
            "errors": ", ".join(str(e) for e in r.get("ErrorEquals") or []),
            "attempts": r.get("MaxAttempts", 3),
        }
        for r in spec.get("Retry") or []
        if isinstance(r, dict)
    ]
    return {
        "comment": str(spec.get("Comment") or ""),
        "resource": str(spec.get("Resource") or ""),
        "next": machine_edges.get(state.name, []),
        "retry": retry,
    }


def panel_data(machine: Machine, folder: VideoFolder, outcomes: dict[str, Outcome]) -> Any:
    texts = _Texts()
    edges: dict[str, list[dict[str, str]]] = {}
    todo = [machine]
    while todo:
        current = todo.pop()
        for edge in current.edges:
            edges.setdefault(edge.source, []).append(
                {"to": edge.target, "kind": edge.kind, "label": edge.label}
            )
        for state in current.states.values():
            todo.extend(state.branches)
    states: dict[str, Any] = {}
    origin = folder.started
    for state in machine.walk():
        outcome = outcomes.get(state.name) or Outcome(NOT_REACHED)
        runs = []
        for number, run in enumerate(outcome.runs, start=1):
            runs.append(
                {
                    "number": number,
                    "start": _offset(run, origin),
                    "seconds": run.seconds,
                    "status": LABELS[run_status(run)],
                    "statusKey": run_status(run),
                    "attempts": run.attempts,
                    "error": run.error,
                    "cause": plain_cause(run.cause),
                    "failures": [
                        {
                            "error": f.error,
                            "cause": plain_cause(f.cause),
                            "full": texts.add(f.cause) if f.cause else None,
                        }
                        for f in run.failures
                    ],
                    "input": texts.add(run.input),
                    "output": texts.add(run.output),
                }
            )
        states[state.name] = {
            "type": state.type,
            "parent": state.parent,
            "status": outcome.status,
            "label": LABELS[outcome.status],
            "seconds": outcome.seconds,
            "definition": texts.add(state.definition),
            "runs": runs,
            **_rules(state, edges),
        }
    return {"states": states, "texts": texts.items}
