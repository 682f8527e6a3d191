"""Writing the reports: one page per video folder, then the index; and the report of an
execution that ran on AWS, fetched into the same layout first."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3

from ..results import VideoFolder, is_video_folder, read_json, write_video_folder
from ..results.aws import AwsSource
from ..results.definition import load_definition
from ..results.folder import DEFINITION_FILE
from .index import build_index
from .page import render_video_page
from .statemachine import parse


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


def report_from_aws(
    execution_arn: str,
    out_dir: Path,
    session: boto3.Session,
    *,
    tables: Mapping[str, str] | None = None,
    output_bucket: str | None = None,
    template: Path | None = None,
) -> Path:
    """Fetch one execution into out_dir/<video>/ and write its report.html and the index.

    `tables` maps the template's table logical IDs (records/<logical id>.json) to table
    names; without it, they are read from the definition the execution ran, matched against
    `template` (default: the project's). `output_bucket` defaults to the bucket the
    execution's Transcribe task wrote to. Returns the report's path."""
    source = AwsSource(
        session, execution_arn, tables=tables, output_bucket=output_bucket, template=template
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    result = write_video_folder(source, out_dir, set())
    report = build_video_report(result.folder, source.definition())
    build_index(out_dir)
    return report
