"""Static HTML reports of pipeline runs: one self-contained page per video and a batch index.

    definition = load_definition()                      # the template's state machine
    build_video_report(out / "holiday", definition)     # out/holiday/report.html
    build_index(out)                                    # out/index.html
    build_reports(out, definition)                      # both, for every video folder in out
"""

from __future__ import annotations

from .aws import report_from_aws
from .build import build_reports, build_video_report, definition_for, load_definition
from .index import build_index

__all__ = [
    "build_index",
    "build_reports",
    "build_video_report",
    "definition_for",
    "load_definition",
    "report_from_aws",
]
