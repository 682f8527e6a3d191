"""Writing the reports: one page per video folder, then the index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..results import VideoFolder, is_video_folder, read_json
from ..template import TemplateError, find_template, load_yaml
from .index import build_index
from .page import render_video_page
from .statemachine import parse

DEFINITION_FILE = Path("execution") / "definition.json"
_STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")


def load_definition(template: Path | None = None, logical_id: str | None = None) -> dict[str, Any]:
    """The ASL definition of the template's state machine (the first, unless one is named).

    Placeholders such as ${VideosTableName} are left as they are: the report draws states and
    transitions, which never depend on them."""
    path = template or find_template()
    body = load_yaml(path)
    machines = {
        name: resource
        for name, resource in (body.get("Resources") or {}).items()
        if isinstance(resource, dict) and resource.get("Type") in _STATE_MACHINE_TYPES
    }
    if not machines:
        raise TemplateError(f"{path} defines no state machine")
    if logical_id is not None and logical_id not in machines:
        raise TemplateError(f"{path} has no state machine {logical_id}")
    props = machines[logical_id or next(iter(machines))].get("Properties") or {}
    if isinstance(props.get("Definition"), dict):
        return dict(props["Definition"])
    if isinstance(props.get("DefinitionString"), str):
        return dict(json.loads(props["DefinitionString"]))
    uri = props.get("DefinitionUri")
    if isinstance(uri, str):
        return dict(json.loads((path.parent / uri).read_text(encoding="utf-8")))
    raise TemplateError(f"{path}: the state machine's definition is not a file or inline JSON")


def definition_for(folder: Path, fallback: dict[str, Any]) -> dict[str, Any]:
    """The definition the execution ran, when it was saved with it (reports fetched from AWS
    save it), else the one given."""
    saved = read_json(folder / DEFINITION_FILE)
    return saved if isinstance(saved, dict) and saved.get("States") else fallback


def build_video_report(folder: Path, definition: dict[str, Any]) -> Path:
    """Write folder/report.html for one video's result folder."""
    page = render_video_page(VideoFolder.load(folder), parse(definition))
    target = folder / "report.html"
    target.write_text(page, encoding="utf-8")
    return target


def build_reports(out_dir: Path, definition: dict[str, Any] | None = None) -> list[Path]:
    """Every video folder's report, then the index; the index comes last in the list."""
    fallback = definition if definition is not None else load_definition()
    written = [
        build_video_report(folder, definition_for(folder, fallback))
        for folder in sorted(p for p in out_dir.iterdir() if is_video_folder(p))
    ]
    written.append(build_index(out_dir))
    return written
