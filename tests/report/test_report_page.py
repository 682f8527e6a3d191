"""The report's pieces on small, made-up inputs: no pipeline run and no browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

import reelscribe.report
from reelscribe.report import build_index, build_video_report, load_definition
from reelscribe.report.graph_layout import layout
from reelscribe.report.statemachine import parse
from reelscribe.report.status import plain_cause
from reelscribe.report.transcript_view import from_transcript

POLL_LOOP: dict[str, Any] = {
    "StartAt": "Start",
    "States": {
        "Start": {"Type": "Task", "Resource": "arn:start", "Next": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "Both"}],
            "Default": "Wait",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": True}}},
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Broken"}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
        "Broken": {"Type": "Fail", "Error": "Broken"},
    },
}


def _overlap(a: Any, b: Any) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def test_statemachine_parse_every_transition_kind_becomes_an_edge() -> None:
    machine = parse(POLL_LOOP)
    kinds = {(e.source, e.target): e.kind for e in machine.edges}
    assert kinds[("Start", "Wait")] == "next"
    assert kinds[("Check", "Both")] == "choice"
    assert kinds[("Check", "Wait")] == "default"
    assert kinds[("Both", "Broken")] == "catch"
    assert [s.name for s in machine.walk()] == [
        "Start",
        "Wait",
        "Check",
        "Both",
        "Left",
        "Right",
        "Done",
        "Broken",
    ]
    assert machine.states["Both"].branches[1].states["Right"].parent == "Both"


def test_layout_poll_loop_layers_by_longest_path_and_loops_on_the_left() -> None:
    drawn = layout(parse(POLL_LOOP))
    boxes = drawn.boxes
    assert [boxes[n].layer for n in ("Start", "Wait", "Check", "Both")] == [0, 1, 2, 3]
    assert boxes["Done"].layer == boxes["Broken"].layer == 4
    loop = next(r for r in drawn.routes if (r.edge.source, r.edge.target) == ("Check", "Wait"))
    assert loop.style == "loop"
    lane_x = min(float(x) for x in re.findall(r"[ML](-?[\d.]+),", loop.path))
    assert lane_x < boxes["Check"].x
    assert lane_x < boxes["Wait"].x
    names = list(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not _overlap(boxes[first], boxes[second]), (first, second)


def test_layout_parallel_branches_side_by_side_inside_its_box() -> None:
    both = layout(parse(POLL_LOOP)).boxes["Both"]
    (lx, ly, left), (rx, ry, right) = both.branches
    assert lx + left.width <= rx, "branches must not overlap"
    assert ly == ry
    assert rx + right.width <= both.w
    assert ly + max(left.height, right.height) <= both.h


def test_plain_cause_lambda_error_json_gives_its_message() -> None:
    cause = json.dumps(
        {
            "errorMessage": "An error occurred (InternalServerException) when calling the "
            "BatchDetectEntities operation: No model is installed.",
            "errorType": "InternalServerException",
            "stackTrace": ['  File "app.py", line 1'],
        }
    )
    assert plain_cause(cause) == "No model is installed."
    assert plain_cause("Plain words stay as they are.") == "Plain words stay as they are."


def test_transcript_items_without_analysis_split_at_sentence_ends() -> None:
    def word(text: str, start: float) -> dict[str, Any]:
        return {
            "type": "pronunciation",
            "alternatives": [{"content": text}],
            "start_time": str(start),
            "end_time": str(start + 0.4),
        }

    stop = {"type": "punctuation", "alternatives": [{"content": "."}]}
    document = {
        "results": {"items": [word("Hello", 0.0), word("there", 0.5), stop, word("Bye", 2.0), stop]}
    }
    found = from_transcript(document)
    assert [(s.text, s.start, s.end) for s in found] == [
        ("Hello there.", 0.0, 0.9),
        ("Bye.", 2.0, 2.4),
    ]


def _hostile_folder(root: Path) -> tuple[Path, dict[str, Any]]:
    """A failed execution whose state name and cause try to break out of the page."""
    name = 'Parse </script><script>alert("name")</script> <b>Upload</b>'
    cause = "</script><img src=x onerror=alert('cause')> & more"
    definition = {
        "StartAt": name,
        "States": {name: {"Type": "Task", "Resource": "arn:x", "End": True}},
    }
    folder = root / "hostile"
    (folder / "execution").mkdir(parents=True)
    entered, exited = "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00"
    run = {
        "name": name,
        "kind": "Task",
        "entered": entered,
        "exited": exited,
        "status": "FAILED",
        "attempts": 1,
        "retries": 0,
        "seconds": 1.0,
        "error": "Boom<",
        "cause": cause,
        "input": {"note": "</script>"},
        "output": None,
        "failures": [{"error": "Boom<", "cause": cause}],
    }
    execution = {
        "executionArn": "arn:aws:states:us-east-1:1:execution:m:hostile",
        "status": "FAILED",
        "startDate": entered,
        "stopDate": exited,
        "error": "Boom<",
        "cause": cause,
    }
    (folder / "execution" / "states.json").write_text(json.dumps([run]))
    (folder / "execution" / "execution.json").write_text(json.dumps(execution))
    (folder / "execution" / "history.json").write_text("[]")
    return folder, definition


def test_page_hostile_names_and_causes_are_escaped(tmp_path: Path) -> None:
    folder, definition = _hostile_folder(tmp_path)
    page = build_video_report(folder, definition).read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="rs-states">(.*?)</script>', page, re.S)
    assert block is not None
    # Inside the JSON block, only an end tag could do harm, and none is left unescaped.
    assert "</" not in block.group(1)
    data = json.loads(block.group(1))
    assert list(data["states"]) == list(definition["States"])
    markup = page.replace(block.group(1), "")
    assert '<script>alert("name")' not in markup
    assert "<img src=x" not in markup
    assert "<b>Upload</b>" not in markup
    assert "&lt;b&gt;Upload&lt;/b&gt;" in markup
    # The failure comes first, in words, even with nothing but the history to go on.
    failure = page.index('id="failure"')
    assert failure < page.index('id="graph"')
    assert "Boom&lt;" in page[failure : page.index('id="graph"')]


def test_index_without_runs_json_lists_folders_found(tmp_path: Path) -> None:
    folder, definition = _hostile_folder(tmp_path)
    build_video_report(folder, definition)
    (tmp_path / "not-a-video").mkdir()
    page = build_index(tmp_path).read_text(encoding="utf-8")
    assert 'href="hostile/report.html"' in page
    assert "not-a-video" not in page
    assert "Failed" in page


def test_index_folder_named_with_url_syntax_links_to_its_report(tmp_path: Path) -> None:
    # Given a video folder whose name holds a space, '#', '?' and a non-ASCII letter
    folder, definition = _hostile_folder(tmp_path)
    build_video_report(folder, definition)
    named = folder.rename(tmp_path / "clip #1? ü")
    # When the index is built
    page = build_index(tmp_path).read_text(encoding="utf-8")
    # Then its link is quoted, so a browser opens that folder's report, not "clip " with a fragment
    href = re.search(r'href="([^"]*report\.html)"', page)
    assert href is not None
    assert href.group(1) == "clip%20%231%3F%20%C3%BC/report.html"
    assert (tmp_path / unquote(href.group(1))).parent == named


def test_index_search_box_asks_the_served_search_page_and_names_the_command(
    tmp_path: Path,
) -> None:
    page = build_index(tmp_path).read_text(encoding="utf-8")
    form = re.search(r'<form class="search-form" action="([^"]+)" method="get"', page)
    assert form is not None
    assert form.group(1) == "search.html"
    assert 'name="q"' in page
    # Opened from disk it cannot search: it says what serves it
    assert f"reelscribe serve --out {tmp_path.name}" in page


def test_load_definition_project_template_finds_the_pipeline() -> None:
    definition = load_definition()
    assert definition["StartAt"] == "Parse Upload"
    machine = parse(definition)
    assert "Analyze Transcript" in machine.states
    assert len(machine.states["Analyze Transcript"].branches) == 4


def test_page_inlines_the_asset_files_and_leaves_no_template_syntax(tmp_path: Path) -> None:
    # Given a report rendered from the templates
    folder, definition = _hostile_folder(tmp_path)
    page = build_video_report(folder, definition).read_text(encoding="utf-8")
    assets = Path(reelscribe.report.__file__).parent / "assets"
    # Then the stylesheet and the script are the asset files, inline, so the page is one file
    assert assets.joinpath("report.css").read_text(encoding="utf-8") in page
    assert assets.joinpath("report.js").read_text(encoding="utf-8") in page
    assert "<link" not in page
    assert "<script src" not in page
    # And nothing of the template language is left in the markup
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    for mark in ("{{", "}}", "{%", "%}", "{#", "#}"):
        assert mark not in markup


@pytest.mark.parametrize(
    ("status", "tag"), [("ABORTED", "STOPPED HERE"), ("TIMED_OUT", "TIMED OUT HERE")]
)
def test_graph_stopped_or_timed_out_run_tags_its_state_as_such(
    tmp_path: Path, status: str, tag: str
) -> None:
    # Given an execution stopped (or timed out) while it waited
    definition = {
        "StartAt": "Start",
        "States": {
            "Start": {"Type": "Task", "Resource": "arn:x", "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 60, "End": True},
        },
    }
    folder = tmp_path / "stopped"
    (folder / "execution").mkdir(parents=True)
    runs = [
        {
            "name": "Start",
            "kind": "Task",
            "entered": "2026-01-01T00:00:00+00:00",
            "exited": "2026-01-01T00:00:01+00:00",
            "status": "SUCCEEDED",
            "seconds": 1.0,
        },
        {"name": "Wait", "kind": "Wait", "entered": "2026-01-01T00:00:01+00:00"},
    ]
    execution = {
        "executionArn": "arn:aws:states:us-east-1:1:execution:m:stopped",
        "status": status,
        "startDate": "2026-01-01T00:00:00+00:00",
        "stopDate": "2026-01-01T00:00:05+00:00",
    }
    (folder / "execution" / "states.json").write_text(json.dumps(runs))
    (folder / "execution" / "execution.json").write_text(json.dumps(execution))
    (folder / "execution" / "history.json").write_text("[]")
    # When its report is written
    page = build_video_report(folder, definition).read_text(encoding="utf-8")
    # Then the state it was in is tagged as stopped (or timed out) there, not as failed
    node = re.search(r'<g class="node culprit"\s+data-state="Wait".*?</g>\s*</g>', page, re.S)
    assert node is not None
    assert tag in node.group(0)
    assert "FAILED HERE" not in page
    assert "The execution failed here" not in page
