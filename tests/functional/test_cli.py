"""The CLI, in-process: what a user sees for right and wrong commands."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reelscribe import batch, cli
from reelscribe.cli import main
from reelscribe.errors import ExecutionTimeoutError
from reelscribe.speech import model_cache

ROOT = Path(__file__).resolve().parents[2]


def _main(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stream=out), out.getvalue()


def test_run_missing_file_exits_two_with_a_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _main("run", str(tmp_path / "nope.mp4"), "--out", str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert code == 2
    assert "nope.mp4: no such file or folder" in err
    assert "Traceback" not in err


def test_run_folder_without_videos_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    code, _ = _main("run", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "no video files" in capsys.readouterr().err


def test_run_unknown_template_parameter_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    code, _ = _main(
        "run", str(video), "--out", str(tmp_path / "out"), "--parameter-overrides", "Bogus=1"
    )
    assert code == 2
    assert "Unknown template parameters: Bogus" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_run_model_folder_without_a_model_exits_two_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a --model folder that holds no model
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    # When the run starts
    code, out = _main(
        "run", str(video), "--out", str(tmp_path / "out"), "--model", str(tmp_path / "empty")
    )
    # Then it is refused as a usage mistake, before anything is uploaded or written
    err = capsys.readouterr().err
    assert code == 2
    assert "is not a whisper model folder: it has no model.bin" in err
    assert "Traceback" not in err
    assert out == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("user", ["../etc", "a/b", "..", "", " "])
def test_run_user_that_is_not_one_folder_name_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], user: str
) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    code, _ = _main("run", str(video), "--out", str(tmp_path / "out"), "--user", user)
    assert code == 2
    assert "a user id is one folder name" in capsys.readouterr().err


def test_run_folder_of_hidden_files_forks_and_subfolders_names_each_and_runs_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a folder that holds only a hidden video, a Mac's resource fork and a subfolder
    folder = tmp_path / "batch"
    (folder / "more").mkdir(parents=True)
    (folder / "more" / "deep.mp4").write_bytes(b"x")
    (folder / ".hidden.mp4").write_bytes(b"x")
    (folder / "._clip.mp4").write_bytes(b"x")
    # When the folder is run
    code, out = _main("run", str(folder), "--out", str(tmp_path / "out"))
    # Then nothing is taken as a video, and the one line says what was passed over and why
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2
    assert out == ""
    assert "no video files in this folder" in line
    assert "._clip.mp4 is a macOS resource fork" in line
    assert ".hidden.mp4 is a hidden file" in line
    assert "more is a folder (name it to run its videos)" in line
    assert not (tmp_path / "out").exists()


def _refused(capsys: pytest.CaptureFixture[str], code: int, out: str) -> str:
    """The one line of a usage mistake, after checking it is one and nothing was run."""
    err = capsys.readouterr().err
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    (line,) = err.splitlines()
    return line


def test_run_out_that_is_a_file_exits_two_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    taken = tmp_path / "results"
    taken.write_text("mine")
    code, out = _main("run", str(video), "--out", str(taken))
    assert "a file, not a folder" in _refused(capsys, code, out)
    assert taken.read_text() == "mine"


def test_run_out_under_a_file_exits_two_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A folder cannot be made under a file, for root too, so this needs no permissions.
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    (tmp_path / "file").write_text("")
    code, out = _main("run", str(video), "--out", str(tmp_path / "file" / "out"))
    assert f"{tmp_path / 'file'} is a file, not a folder" in _refused(capsys, code, out)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_run_out_in_a_place_where_no_folder_can_be_made_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an --out in /proc, which passes every permission check, even root's, yet takes no
    # new folder
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    # When the run starts
    code, out = _main("run", str(video), "--out", "/proc/reelscribe-out/results")
    # Then it is one line and a usage mistake, not an internal error
    line = _refused(capsys, code, out)
    assert "--out /proc/reelscribe-out/results: it cannot be made" in line


@pytest.mark.parametrize("existing", [True, False])
def test_run_out_that_cannot_be_written_exits_two_before_any_work(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    existing: bool,
) -> None:
    # Given a read-only folder, as --out itself or as where --out would be made. The tests run
    # as root, who may write in a read-only folder, so the check's os.access says it is read-only.
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    real_access = os.access

    def access(path: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
        if Path(path) == read_only and mode & os.W_OK:
            return False
        return real_access(path, mode)

    monkeypatch.setattr(batch.os, "access", access)
    out_dir = read_only if existing else read_only / "out"
    # When the run starts
    code, out = _main("run", str(video), "--out", str(out_dir))
    # Then it is refused before anything is uploaded or written
    assert "cannot be written to" in _refused(capsys, code, out)
    assert list(read_only.iterdir()) == []


@pytest.mark.parametrize("timeout", ["0", "-5", "nan"])
def test_run_timeout_that_is_not_above_zero_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], timeout: str
) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    code, out = _main("run", str(video), "--out", str(tmp_path / "out"), f"--timeout={timeout}")
    assert "a number of seconds above 0" in _refused(capsys, code, out)
    assert not (tmp_path / "out").exists()


def test_run_ffmpeg_setting_that_names_nothing_exits_two_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    monkeypatch.setenv("REELSCRIBE_FFMPEG", str(tmp_path / "no-ffmpeg"))
    code, out = _main("run", str(video), "--out", str(tmp_path / "out"))
    assert "REELSCRIBE_FFMPEG" in _refused(capsys, code, out)
    assert not (tmp_path / "out").exists()


def test_run_model_folder_with_a_corrupt_model_exits_two_naming_the_model_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a --model folder whose model.bin is not a model
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.bin").write_bytes(b"not a model")
    # When the run starts
    code, out = _main("run", str(video), "--out", str(tmp_path / "out"), "--model", str(model))
    # Then the hint names the option the model came from
    line = _refused(capsys, code, out)
    assert "cannot load the speech model" in line
    assert "--model" in line
    assert "REELSCRIBE_WHISPER_MODEL" not in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("command", "after"), [("invoke", "the function"), ("report", "OUT_DIR")])
def test_help_of_invoke_and_report_says_what_parameter_overrides_come_after(
    capsys: pytest.CaptureFixture[str], command: str, after: str
) -> None:
    # Only run has videos; the others' words before the option are their own.
    code, _ = _main(command, "--help")
    shown = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "(after the videos)" not in shown
    assert f"as sam deploy takes them (after {after})" in shown


def test_run_help_lists_every_exit_status_including_interrupted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # When a user asks run for its help
    code, _ = _main("run", "--help")
    shown = " ".join(capsys.readouterr().out.split())
    # Then each status the command can end with is named, Ctrl-C's 130 among them
    assert code == 0
    for status in ("0 when every video succeeded", "1 when any failed", "2 for a usage", "130"):
        assert status in shown


@pytest.mark.parametrize(
    "override", ["TranscribeLanguage=xx-XX", "TranscribeLanguageOptions=en-US,xx-XX"]
)
def test_run_language_code_transcribe_does_not_know_exits_two_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], override: str
) -> None:
    # Given a language code that fits the template's pattern but is no language Transcribe has
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    # When the run starts
    code, out = _main(
        "run", str(video), "--out", str(tmp_path / "out"), "--parameter-overrides", override
    )
    # Then it is told in one line before any work, not after the transcode
    line = _refused(capsys, code, out)
    assert f"{override.split('=')[0]}=xx-XX: not a language code Amazon Transcribe knows" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(
    not model_cache.parts_installed(), reason="the multilingual speech model is not installed"
)
def test_run_speech_cache_that_cannot_be_made_exits_two_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a speech model cache under a file, where no folder can be made
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    (tmp_path / "file").write_text("")
    monkeypatch.setenv(model_cache.CACHE_ENV_VAR, str(tmp_path / "file" / "cache"))
    # When a run that identifies the language (the default) starts
    code, out = _main("run", str(video), "--out", str(tmp_path / "out"))
    # Then the cache is named in one line, before any work
    line = _refused(capsys, code, out)
    assert f"REELSCRIBE_CACHE {tmp_path / 'file' / 'cache'}: the multilingual speech model" in line
    assert not (tmp_path / "out").exists()


def test_run_parameter_override_before_a_video_says_to_name_videos_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _main("run", "--parameter-overrides", "TranscribeLanguage=en-US", "clip.mp4")
    assert code == 2
    assert "name the videos before this option" in capsys.readouterr().err


def test_run_file_named_twice_runs_once_and_other_files_are_reported_skipped(
    tmp_path: Path,
) -> None:
    # Given a folder with one (unreadable) video and a note, named along with the video itself
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "clip.mp4").write_text("not a video")
    (folder / "notes.txt").write_text("hello")
    # When both the folder and the video in it are given
    code, out = _main("run", str(folder), str(folder / "clip.mp4"), "--out", str(tmp_path / "out"))
    # Then the video runs once, and the note and the second naming are said to be skipped
    runs = json.loads((tmp_path / "out" / "runs.json").read_text())
    assert code == 1
    assert [Path(r["source"]).name for r in runs] == ["clip.mp4"]
    assert f"skipped {folder / 'notes.txt'}: not a video, audio or image file name" in out
    assert f"skipped {folder / 'clip.mp4'}: named more than once" in out


def test_run_symlink_named_with_its_target_runs_once_and_says_so(tmp_path: Path) -> None:
    # Given a (broken) video and a link to it, both named
    clip = tmp_path / "clip.mp4"
    clip.write_text("not a video")
    link = tmp_path / "link.mp4"
    link.symlink_to(clip)
    # When both are run
    code, out = _main("run", str(clip), str(link), "--out", str(tmp_path / "out"))
    # Then the target runs once, and the header and the skipped line say what happened
    runs = json.loads((tmp_path / "out" / "runs.json").read_text())
    assert code == 1
    assert [Path(r["source"]).name for r in runs] == ["clip.mp4"]
    assert out.startswith("reelscribe: 1 video, template ")
    assert f"skipped {link}: the same file as {clip}" in out


def test_run_header_names_what_the_files_are(tmp_path: Path) -> None:
    # Given two videos, an audio file and a picture (none of them real media, so it is quick)
    for name in ("a.mp4", "b.mov", "c.mp3", "d.jpg"):
        (tmp_path / name).write_text("not media")
    files = [str(tmp_path / n) for n in ("d.jpg", "a.mp4", "c.mp3", "b.mov")]
    # When they are run
    _, out = _main("run", *files, "--out", str(tmp_path / "out"), "--quiet")
    # Then the first line says what they are, not "4 video(s)"
    assert out.splitlines()[0].startswith("reelscribe: 2 videos, 1 audio file, 1 picture, ")


def test_run_named_pipe_with_a_video_name_exits_two_saying_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a named pipe called x.mp4, which exists but is no file to upload
    fifo = tmp_path / "x.mp4"
    os.mkfifo(fifo)
    # When it is run
    code, out = _main("run", str(fifo), "--out", str(tmp_path / "out"))
    # Then it is a usage mistake, in one line, before any work
    assert f"{fifo}: a named pipe, not a file" in _refused(capsys, code, out)
    assert not (tmp_path / "out").exists()


def _without_root_reads() -> list[str]:
    """A command prefix under which the file modes hold: the tests run as root, whose
    CAP_DAC_OVERRIDE reads any file; util-linux's setpriv drops it (and DAC_READ_SEARCH) for
    the command, which then reads as any other user does."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no file is unreadable to this process")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"]


def test_run_unreadable_file_exits_two_with_one_line_before_any_work(tmp_path: Path) -> None:
    # Given a video whose mode lets no one read it, run by a process that obeys modes
    video = tmp_path / "private.mp4"
    video.write_bytes(b"x")
    video.chmod(0)
    out_dir = tmp_path / "out"
    shared = os.pathsep.join([str(ROOT / "src"), str(ROOT / "functions" / "shared")])
    # When it is run
    command = ["run", str(video), "--out", str(out_dir)]
    done = subprocess.run(
        [*_without_root_reads(), sys.executable, "-m", "reelscribe", *command],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": shared},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then it is a usage mistake said in one line, and nothing was made
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        f"reelscribe: error: {video}: cannot be read (permission denied)"
    ]
    assert not out_dir.exists()


def test_invoke_parse_upload_with_sample_event_prints_decoded_video() -> None:
    code, out = _main(
        "invoke", "ParseUploadFunction", "--event", str(ROOT / "events" / "parse_upload.json")
    )
    video = json.loads(out)
    assert code == 0
    assert video["userId"] == "alice"
    assert video["fileName"] == "My Trip to München.audio.mp4"
    assert video["baseName"] == "My Trip to München.audio"


def test_invoke_event_from_standard_input_like_sam_local_invoke(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = (ROOT / "events" / "parse_upload.json").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(event))
    code, out = _main("invoke", "ParseUploadFunction", "--event", "-")
    assert code == 0
    assert json.loads(out)["userId"] == "alice"


def test_invoke_event_that_is_a_folder_exits_two_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _main("invoke", "ParseUploadFunction", "--event", str(tmp_path))
    assert f"{tmp_path}: a folder, not an event file" in _refused(capsys, code, out)


def test_invoke_with_wrong_event_exits_one_with_typed_error(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"detail": {"no": "bucket"}}))
    code, out = _main("invoke", "ParseUploadFunction", "--event", str(event))
    assert code == 1
    assert json.loads(out)["errorType"] == "InvalidUploadEventError"


def test_invoke_with_an_empty_event_says_what_is_missing_once(tmp_path: Path) -> None:
    # Given an event that is an empty object
    event = tmp_path / "event.json"
    event.write_text("{}")
    # When a function is invoked with it
    code, out = _main("invoke", "ParseUploadFunction", "--event", str(event))
    # Then its error names the missing fields in one line, without pydantic's links
    message = json.loads(out)["errorMessage"]
    assert code == 1
    assert message == (
        "Not an S3 Object Created event: 9 validation errors: missing version, id, source, "
        "account, time, region, resources, detail-type, detail"
    )


def test_invoke_unknown_function_exits_two_and_lists_functions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _ = _main(
        "invoke", "NoSuchFunction", "--event", str(ROOT / "events" / "parse_upload.json")
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "ParseUploadFunction" in err


def test_report_missing_folder_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _main("report", str(tmp_path / "nope"))
    assert code == 2
    assert "no such folder" in capsys.readouterr().err


def test_report_folder_that_holds_no_run_exits_two_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _main("report", str(tmp_path))
    assert code == 2
    assert "not the output folder of a run" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_on_one_uploads_folder_rebuilds_its_report(tmp_path: Path) -> None:
    # Given a run's output, with one upload's folder in it
    (tmp_path / "clip.mp4").write_text("not a video")
    _main("run", str(tmp_path / "clip.mp4"), "--out", str(tmp_path / "out"), "--quiet")
    folder = tmp_path / "out" / "clip"
    (folder / "report.html").unlink()
    # When the report of that one folder is asked for
    code, out = _main("report", str(folder))
    # Then its report is drawn again, and only its own
    assert code == 0
    assert out == f"Report: {folder / 'report.html'}\n"
    assert "clip.mp4" in (folder / "report.html").read_text()


def test_report_bad_execution_arn_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _main("report", "--execution-arn", "not-an-arn")
    assert code == 2
    assert "not a Step Functions execution ARN" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            ExecutionTimeoutError("arn:x still RUNNING after 5 s"),
            "error: arn:x still RUNNING after 5 s",
        ),
        (RuntimeError("moto broke"), "internal error: RuntimeError: moto broke"),
    ],
)
def test_invoke_when_the_runtime_fails_prints_one_line_and_exits_one(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    shown: str,
) -> None:
    # Given a runtime that fails under the command, with its own error or with a bare one
    def fail(*_: object) -> int:
        raise error

    monkeypatch.setattr(cli, "command_invoke", fail)
    # When the command runs
    code, _ = _main("invoke", "ParseUploadFunction", "--event", "event.json")
    # Then the user sees one line saying what went wrong, not a traceback
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [f"reelscribe: {shown}"]


def test_report_execution_that_cannot_be_read_exits_one_with_one_line(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an execution ARN that the account does not have
    arn = "arn:aws:states:us-east-1:123456789012:execution:reelscribe-pipeline:gone"
    # When its report is asked for
    code, _ = _main("report", "--execution-arn", arn, "--out", str(tmp_path / "aws"))
    # Then the user is told it cannot be read, in one line
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 1
    assert line.startswith(f"reelscribe: error: cannot read {arn}: ")
