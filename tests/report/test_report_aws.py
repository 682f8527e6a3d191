"""report_from_aws against the local emulator: the same API calls it makes on AWS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from reelscribe.report import report_from_aws
from reelscribe.runtime.local import LocalRuntime
from reelscribe.template import find_template
from tests.support.media import make_video

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def emulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalRuntime, str]]:
    """One execution of a short clip without audio (no speech model needed), still running
    in the emulator so the report can fetch it."""
    clip = make_video(tmp_path_factory.mktemp("aws-media") / "quiet.mp4", audio="none", duration=2)
    with LocalRuntime(find_template()) as runtime:
        event = runtime.upload(clip, "alice/quiet.mp4")
        (arn,) = runtime.dispatch(event, "quiet")
        assert runtime.wait(arn, timeout=300)["status"] == "SUCCEEDED"
        yield runtime, arn


def _records(folder: Path, name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((folder / "records" / f"{name}.json").read_text())
    return items


def test_report_from_aws_discovered_tables_and_bucket_fetches_everything(
    emulated: tuple[LocalRuntime, str], tmp_path: Path
) -> None:
    runtime, arn = emulated
    report = report_from_aws(arn, tmp_path, runtime.session)
    folder = report.parent
    assert report == tmp_path / "quiet" / "report.html"
    assert (tmp_path / "index.html").is_file()
    for kind, suffix in (("web", "mp4"), ("phone", "mp4"), ("gif", "gif")):
        assert (folder / "output" / kind / f"quiet.{suffix}").stat().st_size > 0
    # Records are filed under the template's logical IDs, as a local run files them.
    videos = _records(folder, "VideosTable")
    assert videos[0]["status"] == "COMPLETED"
    assert videos[0]["execution"] == arn
    (email,) = sorted((folder / "notifications").glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(email.read_bytes())
    assert "quiet.mp4" in str(message["Subject"])
    assert email.name == "01-completed.eml"
    saved = json.loads((folder / "execution" / "definition.json").read_text())
    assert saved["StartAt"] == "Parse Upload"
    assert json.loads((folder / "execution" / "execution.json").read_text())["status"] == (
        "SUCCEEDED"
    )
    page = report.read_text(encoding="utf-8")
    assert 'data-state="Skip Transcription" data-status="succeeded"' in page
    assert 'data-state="Read Transcript" data-status="not-reached"' in page
    assert '<video id="rs-web"' in page


def test_report_from_aws_named_tables_same_execution_reuses_its_folder(
    emulated: tuple[LocalRuntime, str], tmp_path: Path
) -> None:
    runtime, arn = emulated
    tables = runtime.deployment.tables
    first = report_from_aws(
        arn, tmp_path, runtime.session, tables=tables, output_bucket=runtime.output_bucket
    )
    again = report_from_aws(arn, tmp_path, runtime.session, tables=tables)
    assert first == again
    assert _records(first.parent, "VideosTable")[0]["videoId"]
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["quiet"]
