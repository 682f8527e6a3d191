"""reelscribe's command line: `run` videos through the local pipeline, `invoke` one function."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from . import __version__
from .errors import ReelscribeError, UsageError
from .report import build_index, build_reports, build_video_report, load_definition, report_from_aws
from .results import (
    VideoResult,
    is_video_folder,
    write_runs,
    write_video_folder,
)
from .results.local import LocalSource
from .runtime import TERMINAL, LocalRuntime
from .speech import whisper
from .summary import print_summary
from .template import find_template

VIDEO_EXTENSIONS = {
    ".mp4",
    ".mov",
    ".m4v",
    ".mkv",
    ".webm",
    ".avi",
    ".mpg",
    ".mpeg",
    ".ts",
    ".mts",
    ".wmv",
    ".flv",
    ".3gp",
}
SAMPLE = Path("samples") / "reelscribe-demo.mp4"
_LOG = logging.getLogger("reelscribe")


def _parameter(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        # It takes every word after it, so a video named after it lands here.
        raise argparse.ArgumentTypeError(
            f"expected Name=Value, got {text!r} (name the videos before this option)"
        )
    return name, value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reelscribe",
        description="Run the reelscribe video pipeline locally, offline: the same template, "
        "state machine and functions as on AWS.",
    )
    parser.add_argument("--version", action="version", version=f"reelscribe {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--template", type=Path, help="template.yaml (default: the project's)")
    common.add_argument(
        "--parameter-overrides",
        nargs="+",
        type=_parameter,
        default=[],
        metavar="NAME=VALUE",
        help="template parameters, as sam deploy takes them (after the videos)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run",
        parents=[common],
        help="process videos end to end",
        epilog="Exit status: 0 when every video succeeded, 1 when any failed (or the local "
        "runtime could not go on), 2 for a usage mistake.",
    )
    run.add_argument(
        "videos",
        nargs="*",
        type=Path,
        metavar="VIDEO|DIR",
        help=f"video files or folders of videos (default: {SAMPLE})",
    )
    run.add_argument(
        "--user", default="anonymous", help="the user id the uploads belong to (default: anonymous)"
    )
    run.add_argument(
        "--out",
        type=Path,
        default=Path("reelscribe-out"),
        help="output folder (default: %(default)s)",
    )
    run.add_argument("--jobs", type=int, default=2, help="videos in flight at once (default: 2)")
    run.add_argument("--model", help="a faster-whisper model folder (default: the bundled tiny.en)")
    run.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        help="seconds a video may take before its execution is stopped (default: 3600)",
    )
    run.add_argument("--quiet", action="store_true", help="print only the summary")

    report = commands.add_parser(
        "report", parents=[common], help="rebuild the HTML reports of a run, or report an AWS run"
    )
    report.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=Path("reelscribe-out"),
        metavar="OUT_DIR",
        help="a run's output folder (default: reelscribe-out)",
    )
    report.add_argument("--execution-arn", help="report an execution that ran on AWS instead")
    report.add_argument(
        "--out",
        type=Path,
        default=Path("reelscribe-aws"),
        help="where to put an AWS execution's report (default: reelscribe-aws)",
    )
    report.add_argument(
        "--table",
        nargs="+",
        type=_parameter,
        default=[],
        metavar="ID=TABLE",
        help="DynamoDB tables to read records from, by the template's logical ID "
        "(VideosTable=my-videos; default: those the run used)",
    )
    report.add_argument("--output-bucket", help="the bucket the outputs are in (default: found)")
    report.add_argument("--profile", help="the AWS profile to use")

    invoke = commands.add_parser(
        "invoke", parents=[common], help="run one function on an event, like sam local invoke"
    )
    invoke.add_argument("function", help="the function's logical id, e.g. ParseUploadFunction")
    invoke.add_argument("--event", "-e", type=Path, required=True, help="a JSON event file")
    return parser


def _template(args: argparse.Namespace) -> Path:
    if args.template is not None:
        if not args.template.is_file():
            raise UsageError(f"{args.template}: no such template")
        return Path(args.template)
    return find_template()


def _collect_videos(paths: list[Path], template: Path) -> tuple[list[Path], list[Path]]:
    """The videos to run, each file once however often it is named, and the files in the named
    folders that were passed over because their names are not those of videos."""
    if not paths:
        sample = template.parent / SAMPLE
        if not sample.is_file():
            raise UsageError("Name a video to process (the sample video was not found).")
        return [sample], []
    videos: dict[Path, Path] = {}
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())
            found = [p for p in files if p.suffix.lower() in VIDEO_EXTENSIONS]
            if not found:
                raise UsageError(f"{path}: no video files in this folder")
            skipped.extend(p for p in files if p not in found and not p.name.startswith("."))
        elif path.is_file():
            found = [path]
        else:
            raise UsageError(f"{path}: no such file or folder")
        for video in found:
            videos.setdefault(video.resolve(), video)
    return list(videos.values()), skipped


# How long a stopped execution may take to leave the state it is in.
_STOP_SECONDS = 30.0
_TRANSCODE_STATES = {"Wait for Transcode", "Get Transcode Job", "Count Transcode Poll"}


class Progress:
    """A line for each state the first time an execution enters it (a poll loop's states repeat
    quietly), with the time since the run began, then the transcode's percentage as it rises.
    Looked at four times a second: the CPU is the transcode's."""

    INTERVAL = 0.25

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self._stream, self._quiet = stream, quiet
        self._looked: dict[str, float] = {}
        self._cursor: dict[str, int] = {}
        self._entered: dict[str, set[str]] = {}
        self._current: dict[str, str] = {}
        self._transcode: dict[str, str] = {}
        self._video_ids: dict[str, str] = {}
        self._started = datetime.now(UTC)

    def update(
        self, runtime: LocalRuntime, label: str, execution_arn: str, *, last: bool = False
    ) -> None:
        """Print what happened since the last look; `last` looks now, once the execution ended."""
        now = time.monotonic()
        if self._quiet:
            return
        if not last and now - self._looked.get(execution_arn, -self.INTERVAL) < self.INTERVAL:
            return
        self._looked[execution_arn] = now
        states, self._cursor[execution_arn] = runtime.states_entered(
            execution_arn, self._cursor.get(execution_arn, 0)
        )
        entered = self._entered.setdefault(execution_arn, set())
        for name, at in states:
            self._current[execution_arn] = name
            if name not in entered:
                entered.add(name)
                self._print(at, label, name)
        if self._current.get(execution_arn) in _TRANSCODE_STATES:
            transcode = self._transcode_progress(runtime, execution_arn)
            if transcode and self._transcode.get(execution_arn) != transcode:
                self._transcode[execution_arn] = transcode
                self._print(datetime.now(UTC), label, f"  {transcode}")

    def _print(self, at: datetime, label: str, text: str) -> None:
        elapsed = max(0.0, (at - self._started).total_seconds())
        print(f"  [{elapsed:6.1f}s] {label:<28.28} {text}", file=self._stream, flush=True)

    def _transcode_progress(self, runtime: LocalRuntime, arn: str) -> str:
        if arn not in self._video_ids:
            # Parse Upload ended a score of events before the transcode's first poll: read the
            # whole history, once.
            for event in runtime.history(arn):
                details = event.get("stateExitedEventDetails") or {}
                if details.get("name") == "Parse Upload":
                    self._video_ids[arn] = json.loads(details["output"])["video"]["videoId"]
        video_id = self._video_ids.get(arn)
        if video_id is None:
            return ""
        for job in runtime.mediaconvert.jobs():
            if job.get("UserMetadata", {}).get("videoId") == video_id:
                percent = int(job.get("JobPercentComplete") or 0) // 10 * 10
                return f"transcode {job['Status'].lower()}, {percent}%"
        return ""


@contextmanager
def _heap_policy() -> Iterator[Callable[[], None]]:
    """Yields `settle`, to call once the runtime is up. By then most of the heap lives to the
    end of the run: service models, the parsed state machine, the engines. Python's full
    collections would walk it again and again, a second of a one-minute run; `settle` freezes
    it out of them, and objects are collected in larger batches throughout. Undone on exit,
    for callers in the same process."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 20, 100)
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def command_run(args: argparse.Namespace, stream: TextIO) -> int:
    template = _template(args)
    videos, skipped = _collect_videos(list(args.videos), template)
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    _check_user(args.user)
    try:
        # A model folder that is not one is the user's mistake; say so before any work.
        whisper.resolve_model(args.model)
    except whisper.SpeechError as error:
        raise UsageError(str(error)) from None
    out: Path = args.out
    runtime = LocalRuntime(
        template,
        dict(args.parameter_overrides),
        model=args.model,
        function_log=out / "logs" / "functions.jsonl",
    )
    out.mkdir(parents=True, exist_ok=True)
    print(f"reelscribe: {len(videos)} video(s), template {template}", file=stream, flush=True)
    for path in skipped:
        print(f"  skipped {path}: not a video file name", file=stream)
    with _heap_policy() as settle_heap:
        with runtime:
            settle_heap()
            results = _run_videos(runtime, videos, args, out, Progress(stream, args.quiet))
        return _finish_run(results, out, template, stream)


def _check_user(user: str) -> None:
    """The user id is the first segment of the upload's key, as the uploader's folder."""
    if not user or "/" in user or user in (".", "..") or not user.isprintable():
        raise UsageError(
            f"--user {user!r}: a user id is one folder name, without '/' and not '.' or '..'"
        )


def _run_videos(
    runtime: LocalRuntime,
    videos: list[Path],
    args: argparse.Namespace,
    out: Path,
    progress: Progress,
) -> list[VideoResult]:
    """Upload and run the videos, at most --jobs at a time, writing each one's folder as soon
    as its execution ends."""
    results: list[VideoResult] = []
    taken: set[str] = {p.name for p in out.iterdir() if p.is_dir()}
    pending = list(videos)
    running: dict[str, tuple[Path, float]] = {}
    while pending or running:
        while pending and len(running) < args.jobs:
            video = pending.pop(0)
            key = f"{args.user}/{video.name}"
            event = runtime.upload(video, key)
            for arn in runtime.dispatch(event, video.stem):
                running[arn] = (video, time.monotonic())
        for arn, (video, started) in list(running.items()):
            status = runtime.status(arn)
            progress.update(runtime, video.name, arn, last=status in TERMINAL)
            overdue = status not in TERMINAL and time.monotonic() - started > args.timeout
            # Finished: ended, and what its end set off (a stop's report) has run too.
            if runtime.finished(arn) or overdue:
                if overdue:
                    runtime.sfn.stop_execution(
                        executionArn=arn,
                        error="LocalTimeout",
                        cause=f"Still running after {args.timeout:g} s (--timeout)",
                    )
                    runtime.wait(arn, timeout=_STOP_SECONDS)
                del running[arn]
                source = LocalSource(runtime, arn)
                results.append(write_video_folder(source, out, taken, label=str(video)))
        time.sleep(0.05)
    return results


def _finish_run(results: list[VideoResult], out: Path, template: Path, stream: TextIO) -> int:
    for result in results:
        print_summary(result, stream)
    write_runs(out, results)
    definition = load_definition(template)
    for result in results:
        if result.folder is not None:
            build_video_report(result.folder, definition)
    index = build_index(out)
    failed = [r for r in results if not r.succeeded]
    print(f"\nReport: {index}", file=stream)
    print(
        f"\n{len(results) - len(failed)} succeeded, {len(failed)} failed. "
        f"Function logs: {out / 'logs' / 'functions.jsonl'}",
        file=stream,
    )
    return 1 if failed else 0


def command_report(args: argparse.Namespace, stream: TextIO) -> int:
    if args.execution_arn:
        parts = str(args.execution_arn).split(":")
        if len(parts) < 8 or parts[2] != "states":
            raise UsageError(f"{args.execution_arn} is not a Step Functions execution ARN")
        try:
            session = boto3.Session(profile_name=args.profile, region_name=parts[3])
            path = report_from_aws(
                args.execution_arn,
                args.out,
                session,
                tables=dict(args.table) or None,
                output_bucket=args.output_bucket,
                template=args.template,
            )
        except (BotoCoreError, ClientError) as error:
            print(f"reelscribe: cannot read {args.execution_arn}: {error}", file=sys.stderr)
            return 1
        print(f"Report: {path}", file=stream)
        return 0
    out_dir: Path = args.out_dir
    if not out_dir.is_dir():
        raise UsageError(f"{out_dir}: no such folder")
    if not any(is_video_folder(path) for path in out_dir.iterdir()):
        raise UsageError(f"{out_dir}: not the output folder of a run (it holds no video's results)")
    paths = build_reports(out_dir, load_definition(_template(args)))
    for path in paths:
        print(f"Report: {path}", file=stream)
    return 0


def command_invoke(args: argparse.Namespace, stream: TextIO) -> int:
    template = _template(args)
    try:
        event = json.loads(args.event.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{args.event}: no such event file") from None
    except ValueError as error:
        raise UsageError(f"{args.event} is not JSON: {error}") from None
    with LocalRuntime(template, dict(args.parameter_overrides)) as runtime:
        if args.function not in runtime.deployment.functions:
            known = ", ".join(sorted(runtime.deployment.functions))
            raise UsageError(f"{args.function} is not a function in the template ({known})")
        spec = runtime.deployment.functions[args.function]
        result = runtime.functions.invoke(spec, json.dumps(event).encode())
    print(json.dumps(json.loads(result.payload), indent=2, ensure_ascii=False), file=stream)
    return 1 if result.function_error else 0


def main(argv: Sequence[str] | None = None, stream: TextIO | None = None) -> int:
    stream = stream or sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage and the problem
        return int(exit_.code or 0)
    # The engines log their own internals; a user wants the pipeline's story instead.
    logging.getLogger("moto").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    try:
        if args.command == "run":
            return command_run(args, stream)
        if args.command == "report":
            return command_report(args, stream)
        return command_invoke(args, stream)
    except ReelscribeError as error:
        print(f"reelscribe: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("reelscribe: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a fault of reelscribe's own is still one line
        _LOG.debug("reelscribe failed", exc_info=error)
        print(f"reelscribe: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return ReelscribeError.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
