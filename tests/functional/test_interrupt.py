"""Ctrl-C during `reelscribe run`: the videos in flight are stopped as StopExecution stops them,
and the run is recorded like any other before it exits 130 with one line."""

from __future__ import annotations

import email
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import types
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reelscribe import launch
from reelscribe.batch import INTERRUPT_CAUSE
from reelscribe.cli import main
from reelscribe.console import Progress
from reelscribe.emulators.mediaconvert import MediaConvertEmulator
from reelscribe.interrupts import (
    ECHO_SECONDS,
    FORCED,
    first_interrupt_is_graceful,
    presses_are_never_lost,
)
from reelscribe.runtime.events import RunEvent, StateEntered

ROOT = Path(__file__).resolve().parents[2]
# Long enough that the stop always lands while Probe Media is still running, with room for a
# loaded machine's late timer.
PROBE_SECONDS = 3.0


def _interrupt_in(
    monkeypatch: pytest.MonkeyPatch, state: str, interrupt: Callable[[], None]
) -> None:
    """`interrupt` as the run shows an execution entering `state`, whose call is slowed down."""
    probe = MediaConvertEmulator.probe

    def slow_probe(self: MediaConvertEmulator, params: dict[str, Any]) -> dict[str, Any]:
        time.sleep(PROBE_SECONDS)
        return probe(self, params)

    def show(self: Progress, event: RunEvent) -> None:
        if isinstance(event, StateEntered) and event.name == state:
            interrupt()

    monkeypatch.setattr(MediaConvertEmulator, "probe", slow_probe)
    monkeypatch.setattr(Progress, "show", show)


def _ctrl_c_in(monkeypatch: pytest.MonkeyPatch, state: str) -> None:
    """Ctrl-C as Python raises it, from within the run's own code."""

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    _interrupt_in(monkeypatch, state, ctrl_c)


def test_run_ctrl_c_stops_the_video_in_flight_and_records_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two videos run one at a time, and Ctrl-C while the first is in Probe Media
    first, second = tmp_path / "first.mp4", tmp_path / "second.mp4"
    first.write_text("not a video")
    second.write_text("not a video either")
    _ctrl_c_in(monkeypatch, "Probe Media")
    out = tmp_path / "out"
    # When the run is interrupted
    code = main(["run", str(first), str(second), "--jobs", "1", "--out", str(out)], io.StringIO())
    # Then it exits 130 with one line, and only the first video ran
    err = capsys.readouterr().err
    (run,) = json.loads((out / "runs.json").read_text())
    assert code == 130
    assert err.splitlines() == ["reelscribe: interrupted: 1 video(s) stopped, 1 not started"]
    assert Path(run["source"]).name == "first.mp4"
    # And the first was stopped in the state it was in, saying why
    assert run["status"] == "ABORTED", run["failure"]
    assert run["failure"]["state"] == "Probe Media"
    assert run["failure"]["error"] == "LocalInterrupt"
    assert run["failure"]["reason"] == INTERRUPT_CAUSE
    # And, as for any stopped run, its video is FAILED, its email sent, its folder reported
    folder = Path(run["folder"])
    (video,) = json.loads((folder / "records" / "VideosTable.json").read_text())
    (mail,) = sorted((folder / "notifications").glob("*.eml"))
    message = email.message_from_bytes(mail.read_bytes())
    assert video["status"] == "FAILED"
    assert video["failure"]["error"] == "LocalInterrupt"
    assert message["X-Attribute-status"] == "FAILED"
    assert (folder / "report.html").is_file()
    assert folder.name in (out / "index.html").read_text(encoding="utf-8")


def _sigint_in_probe(monkeypatch: pytest.MonkeyPatch, again_after: float) -> None:
    """A real SIGINT once the slowed-down Probe Media call is under way, and another one
    `again_after` seconds later, as a process group's second delivery or a second press.

    Sent from inside the call rather than as the state is entered: on a loaded machine the stop
    can otherwise land before the call starts, and then there is nothing in flight to wait for."""
    probe = MediaConvertEmulator.probe

    def slow_probe(self: MediaConvertEmulator, params: dict[str, Any]) -> dict[str, Any]:
        threading.Timer(again_after, os.kill, (os.getpid(), signal.SIGINT)).start()
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(PROBE_SECONDS)
        return probe(self, params)

    monkeypatch.setattr(MediaConvertEmulator, "probe", slow_probe)
    monkeypatch.setattr(Progress, "show", lambda _self, _event: None)


def test_run_sigint_delivered_twice_at_once_still_records_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Ctrl-C that reaches the process twice, 50 ms apart, as `timeout -s INT` sends it
    video = tmp_path / "clip.mp4"
    video.write_text("not a video")
    _sigint_in_probe(monkeypatch, again_after=0.05)
    out = tmp_path / "out"
    # When the run is interrupted
    code = main(["run", str(video), "--out", str(out)], io.StringIO())
    # Then the echo is not taken for a second press: the stopped video is written and recorded
    (run,) = json.loads((out / "runs.json").read_text())
    assert code == 130
    assert capsys.readouterr().err.splitlines() == ["reelscribe: interrupted: 1 video(s) stopped"]
    assert (run["status"], run["failure"]["error"]) == ("ABORTED", "LocalInterrupt")
    assert (out / "index.html").is_file()


def test_run_second_ctrl_c_while_stopping_quits_and_says_nothing_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a second press well after the first, while the stopped video is still in its
    # slowed-down Probe Media
    video = tmp_path / "clip.mp4"
    video.write_text("not a video")
    _sigint_in_probe(monkeypatch, again_after=ECHO_SECONDS + 0.5)
    out = tmp_path / "out"
    # When the run is interrupted twice
    code = main(["run", str(video), "--out", str(out)], io.StringIO())
    # Then it quits at once, saying in its one line what that cost
    assert code == 130
    assert capsys.readouterr().err.splitlines() == [f"reelscribe: interrupted: {FORCED}"]
    assert not (out / "runs.json").exists()


def test_launch_ctrl_c_while_importing_prints_one_line_and_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Ctrl-C that arrives while the command is still importing its libraries
    class Importing(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "reelscribe.cli", Importing("reelscribe.cli"))
    # When the command starts
    code = launch.main(["run"])
    # Then it says so in one line, with the shell's status for SIGINT, and no traceback
    assert code == 130
    assert capsys.readouterr().err == "reelscribe: interrupted\n"


def _press_inside_a_finalizer() -> None:
    """Ctrl-C whose KeyboardInterrupt Python raises inside a weakref callback, as it can inside
    the import system's module-lock callbacks: Python can only print it there, not raise it."""

    class Held:
        pass

    held = Held()
    ref = weakref.ref(held, lambda _ref: os.kill(os.getpid(), signal.SIGINT) or time.sleep(0))
    del held  # the callback runs here, and the press lands in it
    assert ref() is None


def _runs_on_after(press: Callable[[], None]) -> Callable[..., int]:
    def run_cli(_argv: Any, _stream: Any = None) -> int:
        press()
        for _ in range(100):
            time.sleep(0.01)
        return 0

    return run_cli


def test_launch_ctrl_c_inside_a_finalizer_is_not_lost(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Ctrl-C that Python raises inside a weakref callback as the command starts
    monkeypatch.setattr("reelscribe.cli.main", _runs_on_after(_press_inside_a_finalizer))
    # When the command runs on
    code = launch.main(["run"])
    # Then the press still ends it, with its one line, and nothing about a callback
    assert code == 130
    assert capsys.readouterr().err == "reelscribe: interrupted\n"


def test_run_first_ctrl_c_inside_a_finalizer_is_not_taken_for_an_echo() -> None:
    # Given a run's first Ctrl-C, raised inside a weakref callback
    # When the run goes on after it
    with (
        pytest.raises(KeyboardInterrupt) as raised,
        presses_are_never_lost(),
        first_interrupt_is_graceful(),
    ):
        _runs_on_after(_press_inside_a_finalizer)(None)
    # Then it stops the run as a first press does, not as a second one
    assert str(raised.value) == ""


def _start_run(out: Path, stdout: int) -> subprocess.Popen[str]:
    """`reelscribe run` on the sample, started as a user starts it."""
    shared = [str(ROOT / "src"), str(ROOT / "functions" / "shared")]
    sample, template = ROOT / "samples" / "reelscribe-demo.mp4", ROOT / "template.yaml"
    command = ["run", str(sample), "--template", str(template), "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "reelscribe", *command],
        cwd=out.parent,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(shared)},
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def _shell_status(returncode: int) -> int:
    """The status a shell shows: a process that ends by re-raising SIGINT, as Python may on its
    way out after an interrupt, is 128 + 2 there, the same as an exit(130)."""
    return 128 - returncode if returncode < 0 else returncode


def test_reelscribe_sigint_at_start_exits_130_without_a_traceback(tmp_path: Path) -> None:
    # Given `reelscribe run` just started
    process = _start_run(tmp_path / "out", subprocess.DEVNULL)
    # When Ctrl-C comes while it is still importing its libraries
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    # Then it ends with one line and the status a shell expects
    assert (_shell_status(process.returncode), err) == (130, "reelscribe: interrupted\n")


@pytest.mark.slow
def test_reelscribe_sigint_mid_run_stops_the_video_and_records_the_run(tmp_path: Path) -> None:
    # Given `reelscribe run` on the sample, waiting for its transcode
    out = tmp_path / "out"
    process = _start_run(out, subprocess.PIPE)
    assert process.stdout is not None
    for line in process.stdout:
        if "Wait for Transcode" in line:
            break
    # When the user presses Ctrl-C
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    # Then the video is stopped and recorded, and the run ends with one line and status 130
    (run,) = json.loads((out / "runs.json").read_text())
    assert (_shell_status(process.returncode), err) == (
        130,
        "reelscribe: interrupted: 1 video(s) stopped\n",
    )
    assert (run["status"], run["failure"]["error"]) == ("ABORTED", "LocalInterrupt")
    assert (Path(run["folder"]) / "report.html").is_file()
    assert (out / "index.html").is_file()
