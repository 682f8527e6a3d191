"""`reelscribe run` with --out on a disk that is full, or fills during the run: one line naming
the folder and the room needed, exit 1, and nothing left that claims to be complete.

The disk is a real one: a small tmpfs, which root may mount. Where mounting is not permitted
the tests are skipped and say why."""

from __future__ import annotations

import errno
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reelscribe import batch
from reelscribe.cli import main
from reelscribe.results import writer
from tests.support.media import make_video


def _fill(disk: Path) -> None:
    """Take every free byte of the disk, as another program writing to it would."""
    with (disk / "filler").open("ab", buffering=0) as filler:
        for chunk in (1 << 16, 1 << 9, 1):
            try:
                while True:
                    filler.write(b"\0" * chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise


def _run(clip: Path, out: Path) -> tuple[int, str]:
    stream = io.StringIO()
    return main(["run", str(clip), "--out", str(out), "--quiet"], stream), stream.getvalue()


def _written_under(out: Path) -> list[str]:
    """What the run wrote of its results: the library (`.library`: the known faces, the search
    index) is the folder's state across runs, made before any video, not a result."""
    return sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] != ".library"
    )


@pytest.mark.slow
def test_run_out_on_a_full_disk_exits_one_naming_the_folder_and_room_before_any_work(
    tmp_path: Path, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a clip, and --out on a disk that is already full
    clip = make_video(tmp_path / "clip.mp4", audio="none", duration=2.0)
    _fill(small_disk)
    out = small_disk / "out"
    # When it is run
    code, printed = _run(clip, out)
    # Then one line names the folder and the room needed, before anything is made
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 1
    assert printed == ""
    assert line.startswith(f"reelscribe: error: --out {out}: no room for the results of 1 video:")
    assert "MiB needed, 0.0 MiB free on its disk" in line
    assert not out.exists()


def _filled_before_writing(disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills as the execution ends, before its folder is written."""
    write = batch.write_video_folder

    def fill_then_write(*args: Any, **kwargs: Any) -> Any:
        _fill(disk)
        return write(*args, **kwargs)

    monkeypatch.setattr(batch, "write_video_folder", fill_then_write)


def _filled_while_writing(disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk had room when the folder's size was checked, and fills as it is written."""
    ensure_room = writer.ensure_room

    def check_then_fill(*args: Any, **kwargs: Any) -> None:
        ensure_room(*args, **kwargs)
        _fill(disk)

    monkeypatch.setattr(writer, "ensure_room", check_then_fill)


@pytest.mark.slow
@pytest.mark.parametrize("filling", [_filled_before_writing, _filled_while_writing])
def test_run_whose_out_disk_fills_during_the_run_exits_one_and_leaves_no_partial_folder(
    tmp_path: Path,
    small_disk: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    filling: Callable[[Path, pytest.MonkeyPatch], None],
) -> None:
    # Given a clip, and --out on a disk with room to start that fills during the run
    clip = make_video(tmp_path / "clip.mp4", audio="none", duration=2.0)
    out = small_disk / "out"
    filling(small_disk, monkeypatch)
    # When it is run
    code, _ = _run(clip, out)
    # Then one line names the folder, the video and the room its results need
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 1
    assert line.startswith(f"reelscribe: error: --out {out}: no room for the results of clip:")
    assert "MiB needed" in line
    assert line.endswith("0 video folders written")
    # And nothing was left that claims to be complete: only the functions' log is there
    assert _written_under(out) == ["logs/functions.jsonl"]


@pytest.mark.slow
def test_run_whose_out_disk_fills_before_the_reports_keeps_the_whole_folder_and_says_so(
    tmp_path: Path,
    small_disk: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a clip, and --out's disk filling once its folder is written, before the reports
    clip = make_video(tmp_path / "clip.mp4", audio="none", duration=2.0)
    out = small_disk / "out"
    write_runs = batch.write_runs

    def fill_then_write(*args: Any, **kwargs: Any) -> Any:
        _fill(small_disk)
        return write_runs(*args, **kwargs)

    monkeypatch.setattr(batch, "write_runs", fill_then_write)
    # When it is run
    code, _ = _run(clip, out)
    # Then one line says the reports could not be written and how to draw them later
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 1
    assert line.startswith(f"reelscribe: error: --out {out}: no room left for the run's reports")
    assert line.endswith(f"`reelscribe report {out}` draws the reports")
    # And the video's folder is whole
    assert (out / "clip" / "output" / "web" / "clip.mp4").stat().st_size > 0
    assert (out / "clip" / "execution" / "execution.json").is_file()
