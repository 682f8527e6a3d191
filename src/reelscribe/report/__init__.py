"""Static HTML reports of pipeline runs: one self-contained page per video and a batch index.

`build_video_report(folder, load_definition())` writes folder/report.html, `build_index(out)`
writes out/index.html, `build_reports(out)` does both for every video folder in out, and
`report_from_aws(arn, out, session)` fetches an execution that ran on AWS and reports it.
"""

from __future__ import annotations

from ..results.definition import load_definition
from .build import build_reports, build_video_report, definition_for, report_from_aws
from .index import build_index

__all__ = [
    "build_index",
    "build_reports",
    "build_video_report",
    "definition_for",
    "load_definition",
    "report_from_aws",
]
