"""The template's state machine: its definition, and which of the template's tables each of
its `TableName`s stands for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..template import TemplateError, find_template, load_yaml

_STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
_TABLE_TYPES = ("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable")


def _machine(path: Path, logical_id: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The state machine's properties and the template's resources."""
    resources = load_yaml(path).get("Resources") or {}
    machines = {
        name: resource
        for name, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") in _STATE_MACHINE_TYPES
    }
    if not machines:
        raise TemplateError(f"{path} defines no state machine")
    if logical_id is not None and logical_id not in machines:
        raise TemplateError(f"{path} has no state machine {logical_id}")
    return machines[logical_id or next(iter(machines))].get("Properties") or {}, resources


def _definition(path: Path, props: dict[str, Any]) -> dict[str, Any]:
    if isinstance(props.get("Definition"), dict):
        return dict(props["Definition"])
    if isinstance(props.get("DefinitionString"), str):
        return dict(json.loads(props["DefinitionString"]))
    uri = props.get("DefinitionUri")
    if isinstance(uri, str):
        return dict(json.loads((path.parent / uri).read_text(encoding="utf-8")))
    raise TemplateError(f"{path}: the state machine's definition is not a file or inline JSON")


def load_definition(template: Path | None = None, logical_id: str | None = None) -> dict[str, Any]:
    """The ASL definition of the template's state machine (the first, unless one is named).

    Placeholders such as ${VideosTableName} are left as they are: the report draws states and
    transitions, which never depend on them."""
    path = template or find_template()
    props, _ = _machine(path, logical_id)
    return _definition(path, props)


def walk_states(definition: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every state by name, those inside Parallel branches and Map iterators included."""
    for name, state in (definition.get("States") or {}).items():
        if not isinstance(state, dict):
            continue
        yield str(name), state
        for branch in state.get("Branches") or []:
            if isinstance(branch, dict):
                yield from walk_states(branch)
        for key in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(key), dict):
                yield from walk_states(state[key])


def _table_name(state: dict[str, Any]) -> str | None:
    name = (state.get("Parameters") or {}).get("TableName")
    return name if isinstance(name, str) and name else None


def tables_in(ran: dict[str, Any], template: Path | None = None) -> dict[str, str]:
    """The table names a deployed definition uses, by the template's logical IDs.

    The template's definition names a table by a placeholder (${VideosTableName}) that its
    DefinitionSubstitutions map to a table resource (!Ref VideosTable); the definition an
    execution ran holds the table's real name in the same state. Without the template, none."""
    try:
        path = template or find_template()
        props, resources = _machine(path, None)
        source = _definition(path, props)
    except (TemplateError, OSError, ValueError):
        return {}
    placeholders: dict[str, str] = {}
    for key, value in (props.get("DefinitionSubstitutions") or {}).items():
        target = value.get("Ref") if isinstance(value, dict) else None
        if isinstance(target, str) and (resources.get(target) or {}).get("Type") in _TABLE_TYPES:
            placeholders[f"${{{key}}}"] = str(target)
    deployed = {name: _table_name(state) for name, state in walk_states(ran)}
    found: dict[str, str] = {}
    for name, state in walk_states(source):
        logical_id = placeholders.get(_table_name(state) or "")
        table = deployed.get(name)
        if logical_id and table:
            found.setdefault(logical_id, table)
    return found
