"""reelscribe's command line: `run` videos through the local pipeline, `search` and `reindex` the
library they make, `serve` their reports and search page, `report` a run, `invoke` one
function."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from video_pipeline.search_rows import MOMENT_KINDS

from . import __version__
from .console import say, tolerant
from .errors import AwsReadError, EngineError, ReelscribeError, UsageError
from .faces_cli import add_faces_parser, command_faces
from .launch import INTERRUPTED
from .template import SAMPLE, Template, find_template

# The pipeline's engines are imported by the commands that run it, so `search` starts quickly.

_LOG = logging.getLogger("reelscribe")


def _parameter(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        # It takes every word after it, so a video named after it lands here.
        raise argparse.ArgumentTypeError(
            f"expected Name=Value, got {text!r} (name the videos before this option)"
        )
    return name, value


def _add_parameter_overrides(parser: argparse.ArgumentParser, after: str) -> None:
    # It takes every word after it, so the command's own words must come first.
    parser.add_argument(
        "--parameter-overrides",
        nargs="+",
        type=_parameter,
        default=[],
        metavar="NAME=VALUE",
        help=f"template parameters, as sam deploy takes them (after {after})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reelscribe",
        description="Run the reelscribe video pipeline locally, offline: the same template, "
        "state machine and functions as on AWS.",
    )
    parser.add_argument("--version", action="version", version=f"reelscribe {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--template", type=Path, help="template.yaml (default: the project's)")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run",
        parents=[common],
        help="process videos end to end",
        epilog="Exit status: 0 when every video succeeded, 1 when any failed (or the local "
        "runtime could not go on, or --out's disk has no room), 2 for a usage mistake, 130 when "
        "interrupted (Ctrl-C).",
    )
    run.add_argument(
        "videos",
        nargs="*",
        type=Path,
        metavar="VIDEO|DIR",
        help=f"video files or folders of videos (default: {SAMPLE})",
    )
    _add_parameter_overrides(run, "the videos")
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
    run.add_argument(
        "--audio-track",
        metavar="N",
        help="the audio track to transcribe, numbered from 1 over the audio tracks, set on each "
        "upload as its audio-track metadata (default: the template's AudioTrack)",
    )
    run.add_argument(
        "--model",
        help="a faster-whisper model folder used for every language (default: the bundled "
        "Whisper base identifies the language and transcribes it, tiny.en transcribes English)",
    )
    run.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        help="seconds a video may take before its execution is stopped (default: 3600)",
    )
    run.add_argument("--quiet", action="store_true", help="print only the summary")

    report = commands.add_parser(
        "report",
        parents=[common],
        help="rebuild the HTML reports of a run or of one upload's folder, or report an AWS run",
    )
    report.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=Path("reelscribe-out"),
        metavar="OUT_DIR",
        help="a run's output folder, or one upload's folder in it (default: reelscribe-out)",
    )
    _add_parameter_overrides(report, "OUT_DIR")
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

    search = commands.add_parser(
        "search",
        parents=[common],
        help="find where words are said or shown across every upload in an output folder",
        epilog='QUERY is web search syntax: words, "a phrase", or, -word.',
    )
    search.add_argument("query", metavar="QUERY", help="the words to look for")
    _add_out(search, "the library (default: %(default)s)")
    search.add_argument(
        "--kind",
        action="append",
        default=[],
        choices=MOMENT_KINDS,
        help="only moments of this kind (repeat for more)",
    )
    search.add_argument("--user", help="only this user's uploads")
    search.add_argument("--limit", type=int, default=10, help="uploads shown (default: 10)")
    search.add_argument("--json", action="store_true", help="print the answer as JSON")

    reindex = commands.add_parser(
        "reindex",
        parents=[common],
        help="rebuild an output folder's search index from the uploads stored in it",
    )
    _add_out(reindex, "the library (default: %(default)s)")

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve an output folder's reports and a search page on this machine (127.0.0.1)",
        epilog="/search is the Search function, run locally on the HTTP API event API Gateway "
        "would send it. Ctrl-C stops the server.",
    )
    _add_out(serve, "the output folder to serve (default: %(default)s)")
    serve.add_argument(
        "--port", type=int, default=8000, help="the port, 0 for any free one (default: 8000)"
    )

    invoke = commands.add_parser(
        "invoke", parents=[common], help="run one function on an event, like sam local invoke"
    )
    _add_parameter_overrides(invoke, "the function")
    invoke.add_argument("function", help="the function's logical id, e.g. ParseUploadFunction")
    invoke.add_argument(
        "--event",
        "-e",
        type=Path,
        required=True,
        help="a JSON event file, or - to read the event from standard input",
    )
    add_faces_parser(commands, common)
    return parser


def _add_out(command: argparse.ArgumentParser, help_text: str) -> None:
    command.add_argument("--out", type=Path, default=Path("reelscribe-out"), help=help_text)


def _template(args: argparse.Namespace) -> Path:
    if args.template is not None:
        if not args.template.is_file():
            raise UsageError(f"{args.template}: no such template")
        return Path(args.template)
    return find_template()


def command_run(args: argparse.Namespace, stream: TextIO) -> int:
    from .heap import heap_policy

    # From the first import on: the engines' libraries and the runtime live to the run's end.
    with heap_policy() as settle_heap:
        return _run(args, stream, settle_heap)


def _run(args: argparse.Namespace, stream: TextIO, settle_heap: Callable[[], None]) -> int:
    from .media import check_ffmpeg_meanwhile

    ffmpeg_checked = check_ffmpeg_meanwhile()  # while the rest imports
    from .batch import (
        RunInterrupted,
        check_out,
        check_room,
        check_speech,
        check_timeout,
        check_user,
        collect_videos,
        count_media,
        engine_threads,
        record_run,
        run_videos,
        upload_metadata,
    )
    from .console import Progress, print_summary, print_totals
    from .interrupts import first_interrupt_is_graceful
    from .library import library_dir, wait_for_stops
    from .runtime.local import LocalRuntime
    from .speech import whisper
    from .switching import quick_handoffs

    template = _template(args)
    videos, skipped = collect_videos(list(args.videos), template)
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    check_timeout(args.timeout)
    check_user(args.user)
    metadata = upload_metadata(args.audio_track)
    out: Path = args.out
    check_out(out)
    check_room(out, videos)
    try:
        # A model or an ffmpeg that is not one is the user's setting; say so before any work.
        models = whisper.check_model(args.model)
        ffmpeg_checked()
    except EngineError as error:
        raise UsageError(str(error)) from None
    runtime = LocalRuntime(
        template,
        dict(args.parameter_overrides),
        model=args.model,
        function_log=out / "logs" / "functions.jsonl",
        library=library_dir(out),
        engine_threads=engine_threads(args.jobs, len(videos)),
    )
    check_speech(runtime.template.parameters, models, videos)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a place no permission check foresees, such as /proc
        raise UsageError(f"--out {out}: it cannot be made ({error.strerror})") from None
    print(f"reelscribe: {count_media(videos)}, template {template}", file=stream, flush=True)
    for path, reason in skipped:
        print(f"  skipped {path}: {reason}", file=stream)
    interrupted: RunInterrupted | None = None
    with first_interrupt_is_graceful():
        with quick_handoffs(), runtime:
            settle_heap()
            try:
                results = run_videos(
                    runtime,
                    videos,
                    user=args.user,
                    metadata=metadata,
                    jobs=args.jobs,
                    timeout=args.timeout,
                    out=out,
                    progress=Progress(stream, args.quiet),
                )
            except RunInterrupted as stop:  # the videos in flight are stopped and written
                results, interrupted = stop.results, stop
        for result in results:
            print_summary(result, stream)
        index = record_run(results, out, template)
        print_totals(results, index, out, stream)
        wait_for_stops()  # the library's server, going down while the reports were drawn
    if interrupted is not None:
        raise interrupted
    return 1 if any(not result.succeeded for result in results) else 0


def command_report(args: argparse.Namespace, stream: TextIO) -> int:
    from .report import (
        build_reports,
        build_video_report,
        definition_for,
        load_definition,
        report_from_aws,
    )
    from .results import is_video_folder

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
            raise AwsReadError(f"cannot read {args.execution_arn}: {error}") from error
        print(f"Report: {path}", file=stream)
        return 0
    out_dir: Path = args.out_dir
    if not out_dir.is_dir():
        raise UsageError(f"{out_dir}: no such folder")
    if is_video_folder(out_dir):  # one upload's folder within a run's
        definition = definition_for(out_dir, load_definition(_template(args)))
        path = build_video_report(out_dir, definition)
        print(f"Report: {path}", file=stream)
        return 0
    if not any(is_video_folder(path) for path in out_dir.iterdir()):
        raise UsageError(
            f"{out_dir}: not the output folder of a run, nor one upload's folder in it (it "
            "holds no execution/execution.json)"
        )
    paths = build_reports(out_dir, load_definition(_template(args)))
    for path in paths:
        print(f"Report: {path}", file=stream)
    return 0


def _read_event(path: Path) -> object:
    """The event from a file, or from standard input for `-`, as `sam local invoke` reads it."""
    name = "standard input" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such event file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: a folder, not an event file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the event from {name}: {error}") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise UsageError(f"{name} is not JSON: {error}") from None


def command_invoke(args: argparse.Namespace, stream: TextIO) -> int:
    from .runtime.local import LocalRuntime

    template = _template(args)
    event = _read_event(args.event)
    with LocalRuntime(template, dict(args.parameter_overrides)) as runtime:
        if args.function not in runtime.deployment.functions:
            known = ", ".join(sorted(runtime.deployment.functions))
            raise UsageError(f"{args.function} is not a function in the template ({known})")
        spec = runtime.deployment.functions[args.function]
        result = runtime.functions.invoke(spec, json.dumps(event).encode())
    print(json.dumps(json.loads(result.payload), indent=2, ensure_ascii=False), file=stream)
    return 1 if result.function_error else 0


def _library(out: Path) -> Path:
    if not out.is_dir():
        raise UsageError(f"--out {out}: no such folder (run `reelscribe run --out {out}` first)")
    return out


def command_search(args: argparse.Namespace, stream: TextIO) -> int:
    from video_pipeline.errors import SearchQueryError
    from video_pipeline.search_index import make_query, search

    from .library.local import open_library, report_links
    from .library.printing import print_results

    try:
        query = make_query(q=args.query, kinds=args.kind, user=args.user, limit=args.limit)
    except SearchQueryError as error:
        raise UsageError(str(error).replace("q: ", "QUERY: ", 1)) from None
    out = _library(args.out)
    template = Template.load(_template(args))
    with open_library(out, template) as library:
        found = search(library, query, report_links(out).get)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False), file=stream)
    else:
        print_results(found, stream)
    return 0


def command_serve(args: argparse.Namespace, stream: TextIO) -> int:
    from .library import library_dir
    from .library.serve import listen, serve
    from .runtime.local import LocalRuntime

    out = _library(args.out)
    template = _template(args)
    listener = listen(args.port)
    log = out / "logs" / "functions.jsonl"
    with listener, LocalRuntime(template, library=library_dir(out), function_log=log) as runtime:
        serve(out, listener, runtime, stream)
    return 0


def command_reindex(args: argparse.Namespace, stream: TextIO) -> int:
    from .library.local import open_library, reindex

    out = _library(args.out)
    with open_library(out, Template.load(_template(args))) as library:
        done = reindex(out, library)
    print(
        f"reelscribe: indexed {done.moments} moments of {done.uploads} uploads in {out}"
        + (f"; removed {done.removed} no longer there" if done.removed else ""),
        file=stream,
    )
    return 0


def main(argv: Sequence[str] | None = None, stream: TextIO | None = None) -> int:
    stream = tolerant(stream or sys.stdout)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage and the problem
        return int(exit_.code or 0)
    # The engines log their own internals; a user wants the pipeline's story instead.
    logging.getLogger("moto").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    # A log line that cannot be written (the functions' log on a full disk) is lost, as the
    # logging module's own advice for applications says, rather than printed as a traceback.
    raise_exceptions, logging.raiseExceptions = logging.raiseExceptions, False
    try:
        if args.command == "run":
            return command_run(args, stream)
        if args.command == "report":
            return command_report(args, stream)
        if args.command == "search":
            return command_search(args, stream)
        if args.command == "reindex":
            return command_reindex(args, stream)
        if args.command == "serve":
            return command_serve(args, stream)
        if args.command == "faces":
            return command_faces(args, _template(args), stream)
        return command_invoke(args, stream)
    except ReelscribeError as error:
        say(f"reelscribe: error: {error}")
        return error.exit_code
    except KeyboardInterrupt as interrupt:
        detail = f": {interrupt}" if str(interrupt) else ""
        say(f"reelscribe: interrupted{detail}")
        return INTERRUPTED
    except Exception as error:  # noqa: BLE001 - a fault of reelscribe's own is still one line
        _LOG.debug("reelscribe failed", exc_info=error)
        say(f"reelscribe: internal error: {type(error).__name__}: {error}")
        return ReelscribeError.exit_code
    finally:
        logging.raiseExceptions = raise_exceptions


if __name__ == "__main__":
    raise SystemExit(main())
