"""A batch of short talking clips through the local pipeline, against the engines' least time.

    .venv/bin/python bench/batch_vs_engines.py [--clips 20] [--jobs 2] [--duration 10]
        [--size 1280x720] [--language en-US|auto] [--rounds 3]
    .venv/bin/python bench/batch_vs_engines.py --clips 50 --jobs 50 --memory-only

It makes --clips clips of --duration seconds with real speech, each cut from a different point
of the looped sample video (so no two clips share their audio, and nothing done for one can be
reused for another), then measures, each side in its own process:
  engines:  every clip, one after another, through exactly the work of
            `bench/pipeline_vs_engines.py`'s engines side (one ffmpeg pass with the pipeline's
            job settings; recognition, the language check a given language gets and the
            on-screen detectors; sentiment, key phrases and entities), with the models loaded
            once for the process: its CPU seconds (its own and ffmpeg's);
  pipeline: `reelscribe run FOLDER --jobs N` on the folder of clips: its wall time, CPU
            seconds, peak memory (its process tree's, sampled) and how many
            videos succeeded.
The engines do the same work per clip as the pipeline, so their CPU seconds divided by the
cores are the least wall time any run of the batch could take on this machine. The targets: the
batch's wall time <= 1.10x that, and every clip succeeds. With --memory-only, only the
pipeline runs (for --clips 50 --jobs 50: every clip succeeds, peak under 2 GB).
Wall time is only meaningful on an otherwise idle machine; the load average is printed with it.
The machine's speed drifts over minutes: one side's CPU seconds for the same work moved by 8%
between two runs five minutes apart. So --rounds (default 3) measures both sides that many
times, alternating which goes first, as bench/pipeline_vs_engines.py does, prints every round,
and gives the verdict on the median of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "functions" / "shared"), str(BENCH)]

import pipeline_vs_engines as single  # noqa: E402 - found through the path set above


def make_clips(folder: Path, count: int, seconds: float, size: str) -> list[Path]:
    """`count` clips of the sample, each from its own point of it, so no audio repeats."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        single.make_clip(folder / f"talk-{number:02d}.mp4", seconds, size, start=number * 1.7)
        for number in range(count)
    ]


def usage(tree: single.TreePeak) -> dict[str, float]:
    peak_mb = tree.stop()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
        "peak_mb": peak_mb,
    }


def engines_child(folder: Path, language: str) -> dict[str, Any]:
    tree = single.TreePeak()
    started = time.perf_counter()
    for clip in sorted(folder.glob("*.mp4")):
        with tempfile.TemporaryDirectory() as scratch:
            single.engines(clip, Path(scratch), language)
    return {"seconds": time.perf_counter() - started, **usage(tree)}


def pipeline_child(folder: Path, language: str, jobs: int) -> dict[str, Any]:
    from reelscribe.cli import main

    with tempfile.TemporaryDirectory() as out:
        tree = single.TreePeak()
        started = time.perf_counter()
        main(
            [
                "run",
                str(folder),
                "--out",
                str(out),
                "--quiet",
                "--jobs",
                str(jobs),
                "--parameter-overrides",
                f"TranscribeLanguage={language}",
            ],
            stream=sys.stderr,
        )
        seconds = time.perf_counter() - started
        measured = usage(tree)
        runs = json.loads((Path(out) / "runs.json").read_text())
    succeeded = sum(run["status"] == "SUCCEEDED" for run in runs)
    return {"seconds": seconds, "videos": len(runs), "succeeded": succeeded, **measured}


def measure(*args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def succeeded(pipeline: dict[str, Any], clips: int) -> bool:
    return bool(pipeline["succeeded"] == pipeline["videos"] == clips)


def describe_pipeline(pipeline: dict[str, Any]) -> str:
    return (
        f"pipeline: {pipeline['seconds']:.1f} s wall, {pipeline['cpu_seconds']:.1f} CPU s, "
        f"peak {pipeline['peak_mb']:.0f} MB, {pipeline['succeeded']}/{pipeline['videos']} "
        f"succeeded"
    )


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--language", default="en-US")
    parser.add_argument("--memory-only", action="store_true", help="run the pipeline side only")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs, alternating order")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, folder, language, *rest = args.child
        if side == "engines":
            print(json.dumps(engines_child(Path(folder), language)))
        else:
            print(json.dumps(pipeline_child(Path(folder), language, int(rest[0]))))
        return 0
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "clips"
        make_clips(folder, args.clips, args.duration, args.size)
        print(f"{args.clips} clips of {args.duration:.0f} s at {args.size}, --jobs {args.jobs}")
        if args.memory_only:
            print(f"load average before: {load()}")
            pipeline = measure("pipeline", str(folder), args.language, str(args.jobs))
            print(describe_pipeline(pipeline))
            met = succeeded(pipeline, args.clips) and pipeline["peak_mb"] < 2048
            print(f"target (every clip succeeds, peak < 2048 MB): {'met' if met else 'NOT met'}")
            return 0
        ratios, all_ok = [], True
        for number in range(max(1, args.rounds)):
            # Alternate the order, so neither side always runs on a warmer machine.
            order = ["pipeline", "engines"] if number % 2 == 0 else ["engines", "pipeline"]
            print(f"round {number + 1} ({' first, then '.join(order)}), load average {load()}")
            measured = {}
            for side in order:
                extra = [str(args.jobs)] if side == "pipeline" else []
                measured[side] = measure(side, str(folder), args.language, *extra)
            pipeline, engines = measured["pipeline"], measured["engines"]
            least = engines["cpu_seconds"] / cores
            ratio = pipeline["seconds"] / least
            ratios.append(ratio)
            all_ok = all_ok and succeeded(pipeline, args.clips)
            print(f"  {describe_pipeline(pipeline)}")
            print(
                f"  engines: {engines['cpu_seconds']:.1f} CPU s ({engines['seconds']:.1f} s wall, "
                f"one clip after another), so at least {least:.1f} s on {cores} cores"
            )
            print(
                f"  batch wall / engines' least: {ratio:.2f}x; CPU: pipeline / engines "
                f"{pipeline['cpu_seconds'] / engines['cpu_seconds']:.2f}x"
            )
        median = statistics.median(ratios)
        print(
            f"batch wall / engines' least: median {median:.2f}x over {len(ratios)} rounds "
            f"(range {min(ratios):.2f}-{max(ratios):.2f}x)"
        )
        met = median <= 1.10 and all_ok
        print(f"target (<= 1.10x, every clip succeeds): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
