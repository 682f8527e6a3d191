"""`reelscribe run ... | head -3`: a reader that stops reading must not stop the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.media import make_video

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_run_whose_stdout_reader_closes_early_finishes_and_writes_everything(
    tmp_path: Path,
) -> None:
    # Given a short clip, and `reelscribe run` writing to a pipe
    clip = make_video(tmp_path / "clip.mp4", audio="none", duration=2.0)
    out = tmp_path / "out"
    shared = os.pathsep.join([str(ROOT / "src"), str(ROOT / "functions" / "shared")])
    process = subprocess.Popen(
        [sys.executable, "-m", "reelscribe", "run", str(clip), "--out", str(out)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": shared},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    # When the reader takes the first line and goes away, as `head -1` does
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    code = process.wait(timeout=300)
    # Then the run went on to the end: it succeeded, said nothing of the pipe, and wrote it all
    assert first.startswith("reelscribe: ")
    assert (code, err) == (0, "")
    (run,) = json.loads((out / "runs.json").read_text())
    assert run["status"] == "SUCCEEDED"
    folder = out / "clip"
    assert (folder / "output" / "web" / "clip.mp4").stat().st_size > 0
    assert (folder / "report.html").is_file()
    assert (out / "index.html").is_file()
