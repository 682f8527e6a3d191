"""The most history events one execution of the state machine can write, counted from the ASL.

Step Functions records, for each kind of state (Standard workflows):
- Task: TaskStateEntered and TaskStateExited, and per attempt three events: a Lambda function
  ARN gives LambdaFunctionScheduled, LambdaFunctionStarted and LambdaFunctionSucceeded (or
  Failed, TimedOut); a service integration gives TaskScheduled, TaskStarted and TaskSucceeded
  (or Failed, TimedOut), with TaskSubmitted as well for .sync and .waitForTaskToken. Each
  retrier adds up to its MaxAttempts (3 when not given) attempts.
- Pass, Wait, Choice, Succeed, Fail: entered and exited (Fail: entered and ExecutionFailed).
- Parallel: entered, started, succeeded (or failed) and exited, plus its branches' states.
- Map: entered, started, succeeded (or failed) and exited, plus MapIterationStarted and
  MapIterationSucceeded (or Failed) for each item, plus each iteration's states.
- The execution itself: ExecutionStarted and its ending event.

The bound: every state outside a loop runs at most once (per Map item), so all of them are
counted, even those on paths that exclude each other; every loop (a cycle of transitions)
goes round as often as the poll plan its Wait reads allows, each pass counted in full. A loop
that steps to the next of a chain of plans (a Pass whose InputPath is the next one, as "Try the
Next Audio Track" does) goes round once per plan in the chain, and each round holds the poll
loop inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

HISTORY_LIMIT = 25_000  # a Standard execution's history events
_ENTERED_EXITED = 2
_CONTAINER = 4  # entered, started, succeeded or failed, exited
_PER_ITEM = 2  # MapIterationStarted, MapIterationSucceeded or Failed
_EXECUTION = 2


def attempts(state: dict[str, Any]) -> int:
    """The most times a Task runs: once, plus every retrier exhausted in turn."""
    return 1 + sum(int(r.get("MaxAttempts", 3)) for r in state.get("Retry") or [])


def task_events(state: dict[str, Any]) -> int:
    resource = str(state.get("Resource", ""))
    per_attempt = 4 if resource.endswith((".sync", ".waitForTaskToken")) else 3
    return _ENTERED_EXITED + per_attempt * attempts(state)


def _targets(state: dict[str, Any]) -> Iterator[str]:
    if "Next" in state:
        yield state["Next"]
    if "Default" in state:
        yield state["Default"]
    for choice in state.get("Choices") or []:
        yield choice["Next"]
    for catcher in state.get("Catch") or []:
        yield catcher["Next"]


def loops(states: dict[str, Any]) -> list[set[str]]:
    """The cycles of transitions: strongly connected sets of more than one state (Tarjan).
    Transitions to states outside `states` are left out, so a loop's inner loops can be found
    among its own states."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in _targets(states[name]):
            if target not in states:
                continue
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            members = set()
            while True:
                member = stack.pop()
                members.add(member)
                if member == name:
                    break
            if len(members) > 1:
                found.append(members)

    for name in states:
        if name not in index:
            visit(name)
    return found


def resolve(path: str, data: Any) -> Any:
    """A plain reference path ($.a.b.c) in `data`."""
    value = data
    for part in path.removeprefix("$").strip(".").split("."):
        value = value[part]
    return value


def replaced(path: str, data: dict[str, Any], value: Any) -> dict[str, Any]:
    """A copy of `data` with `value` at the plain reference path."""
    *parents, last = path.removeprefix("$").strip(".").split(".")
    top = dict(data)
    node = top
    for part in parents:
        node[part] = dict(node[part])
        node = node[part]
    node[last] = value
    return top


class HistoryBound:
    """`top` is the machine's States; `data` what the execution's top-level paths read."""

    def __init__(self, top: dict[str, Any], data: dict[str, Any]) -> None:
        self.top = top
        self.data = data

    def of_machine(self) -> int:
        return _EXECUTION + self.of_states(self.top, self.data)

    def of_states(self, states: dict[str, Any], data: dict[str, Any]) -> int:
        cycles = loops(states)
        in_loops = set().union(*cycles) if cycles else set()
        total = sum(self.of_state(states[n], data) for n in states if n not in in_loops)
        for cycle in cycles:
            total += self.of_loop(states, cycle, data)
        return total

    def of_loop(self, states: dict[str, Any], cycle: set[str], data: dict[str, Any]) -> int:
        steps = [n for n in cycle if states[n]["Type"] == "Pass" and "InputPath" in states[n]]
        if not steps:
            one_pass = sum(self.of_state(states[n], data) for n in cycle)
            return self.passes(states, cycle, data) * one_pass
        (step,) = steps
        inner = {n: states[n] for n in cycle if n != step}
        # Each round reads its own plan where the first was read: its polls are its own
        parent, key = str(states[step]["InputPath"]).rsplit(".", 1)
        total, plan = 0, resolve(parent, data)
        while plan is not None:
            round_data = replaced(parent, data, plan)
            total += self.of_state(states[step], data) + self.of_states(inner, round_data)
            plan = plan.get(key)
        return total

    def passes(self, states: dict[str, Any], cycle: set[str], data: dict[str, Any]) -> int:
        """A poll loop goes round at most maxPolls times: its Choice leaves once the counted
        polls reach the plan's maxPolls, read beside the waitSeconds its Wait reads."""
        (wait,) = [states[n] for n in cycle if states[n]["Type"] == "Wait"]
        seconds_path = str(wait["SecondsPath"])
        return int(resolve(seconds_path.rsplit(".", 1)[0] + ".maxPolls", data))

    def of_state(self, state: dict[str, Any], data: dict[str, Any]) -> int:
        kind = state["Type"]
        if kind == "Task":
            return task_events(state)
        if kind == "Parallel":
            return _CONTAINER + sum(self.of_states(b["States"], data) for b in state["Branches"])
        if kind == "Map":
            processor = state.get("ItemProcessor") or state["Iterator"]
            items = self.items(state)
            return _CONTAINER + sum(
                _PER_ITEM + self.of_states(processor["States"], item) for item in items
            )
        return _ENTERED_EXITED

    def items(self, state: dict[str, Any]) -> list[dict[str, Any]]:
        """A Map's items from the data; a Map over another Map's results iterates that Map's
        items, each carried through with its poll plan."""
        path = str(state["ItemsPath"])
        try:
            return list(resolve(path, self.data))
        except KeyError:
            (source,) = [
                s for s in self.top.values() if s["Type"] == "Map" and s.get("ResultPath") == path
            ]
            return self.items(source)
