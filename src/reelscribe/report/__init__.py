"""Static HTML reports of pipeline runs: one self-contained page per video and a batch index.

`build_video_report(folder, load_definition())` writes folder/report.html, `build_index(out)`
writes out/index.html, `build_reports(out)` does both for every video folder in out, and
`report_from_aws(arn, out, session)` fetches an execution that ran on AWS and reports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..results.definition import load_definition
    from .build import build_reports, build_video_report, definition_for, report_from_aws
    from .index import build_index

# Where each name lives. They load on first use: a run prints its first progress long before
# it draws a page, and the page's modules (jinja2, the graph layout) take a third of a second.
_HOMES = {
    "build_index": ".index",
    "build_reports": ".build",
    "build_video_report": ".build",
    "definition_for": ".build",
    "load_definition": "..results.definition",
    "report_from_aws": ".build",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name], __name__), name)


__all__ = [
    "build_index",
    "build_reports",
    "build_video_report",
    "definition_for",
    "load_definition",
    "report_from_aws",
]
