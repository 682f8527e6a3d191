"""The whole local pipeline against the bare engines it drives, measured side by side.

    .venv/bin/python bench/pipeline_vs_engines.py [--duration 60] [--size 1920x1080] [--repeat 5]
        [--language en-US|auto]

It makes a clip with real speech (the sample video looped and scaled), then times, in one run:
  engines:  the same MediaConvert job settings as one ffmpeg pass, then speech recognition
            on the MP3 it wrote beside the on-screen detectors on the web rendition (in
            parallel, as the pipeline runs them), then sentiment, key phrases and entities on
            each recognised segment: the least work the pipeline could do;
  pipeline: `reelscribe run` on the same clip: template resources, state machine, functions,
            emulated services, polling and outputs included.
Both sides transcribe in --language: en-US (the default) names English, so tiny.en does the
work on both sides; auto identifies the language first with Whisper base, on both sides. A run
given its language also checks it: the pipeline starts a second, identifying Transcribe job on
the same audio, so it loads Whisper base and identifies the language too. That is part of what
the pipeline delivers (the mismatch warning), so the engines side does it as well, on its MP3
beside the recognition; entities (spaCy) likewise, as the pipeline reports them. What the
engines side does not do is what only the emulation needs (the identifying job's own copy of
the transcript: the pipeline answers it from the same recognition).
Each side runs in its own process, which reports its wall time, its CPU time (its own and its
children's: ffmpeg) and its peak memory: the most its process tree (itself and ffmpeg) held
at once, sampled every 20 ms. (Adding the children's ru_maxrss to the process's own would count
the parent twice: Linux charges a child, at its exec, with the memory of the process it was
spawned from; for the same reason a child caught between its fork and its exec is left out.) The
pipeline's side also reports how long after its process started it printed the transcode's
first progress line. Rounds alternate which side goes first. On a shared machine a single
round can swing by a tenth either way, so the verdict is on the median of the rounds; the
pooled ratio (all pipeline seconds over all engine seconds) is printed beside it. The targets:
median <= 1.15x the engines and no round above 1.3x; peak <= the engines' peak + 150 MB; the
transcode's first progress within 1 s.
"""

from __future__ import annotations

import argparse
import io
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

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "functions" / "shared")]


def make_clip(path: Path, seconds: float, size: str, start: float = 0.0) -> Path:
    """The sample video looped to `seconds`, scaled to `size`, from `start` seconds into it."""
    from reelscribe.media import find_ffmpeg

    width, height = size.split("x")
    subprocess.run(
        [
            find_ffmpeg(),
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-stream_loop",
            "-1",
            "-ss",
            f"{start:.1f}",
            "-i",
            str(ROOT / "samples" / "reelscribe-demo.mp4"),
            "-t",
            str(seconds),
            "-vf",
            f"scale={width}:{height}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            str(path),
        ],
        check=True,
    )
    return path


def since_process_start() -> float:
    """Seconds since this process started, as the kernel counts them."""
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return float(Path("/proc/uptime").read_text().split()[0]) - started


class TreePeak:
    """The most resident memory this process and its descendants held at once, sampled."""

    def __init__(self, interval: float = 0.02) -> None:
        import threading

        self.peak_kb = 0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        own = os.getpid()
        while not self._stop.wait(self._interval):
            children = [pid for pid in _tree(own)[1:] if not _forked_from(own, pid)]
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in [own, *children]))

    def stop(self) -> float:
        """The peak in MB, never below the process's own."""
        self._stop.set()
        self._thread.join()
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return max(self.peak_kb, own) / 1024


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except OSError:
            continue
        for child in children:
            pids.extend(_tree(int(child)))
    return pids


def _forked_from(parent: int, pid: int) -> bool:
    """The child is a fork of the parent that has not yet run its program (a subprocess between
    its fork and its exec). It shares the parent's pages, so its resident size is the parent's
    counted again: a 900 MB process starting pg_ctl showed as 1.8 GB."""
    try:
        return os.readlink(f"/proc/{pid}/exe") == os.readlink(f"/proc/{parent}/exe")
    except OSError:
        return True  # gone already


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class FirstProgress(io.StringIO):
    """A run's output stream that notes when the transcode's first progress line arrives."""

    seconds: float | None = None

    def write(self, text: str) -> int:
        if self.seconds is None and "  transcode " in text:
            self.seconds = since_process_start()
        return super().write(text)


def engines(clip: Path, workdir: Path, language: str) -> Path | None:
    """One ffmpeg pass with the pipeline's own job settings, then recognition on its MP3 (and
    the language check a given language gets) beside the video analysis of its web rendition,
    then the transcript's text analysis."""
    from concurrent.futures import ThreadPoolExecutor

    from reelscribe import media
    from reelscribe.speech import whisper
    from reelscribe.text import entities, phrases, sentiment
    from reelscribe.vision import video as vision
    from video_pipeline.config import PipelineConfig
    from video_pipeline.plan import plan_pipeline
    from video_pipeline.upload import Video

    video = Video(
        userId="bench",
        videoId="0000000000000000",
        bucket="up",
        key=f"bench/{clip.name}",
        size=clip.stat().st_size,
        fileName=clip.name,
        baseName=clip.stem,
        sourceUri=f"s3://up/bench/{clip.name}",
        uploadedAt="2026-01-01T00:00:00Z",
    )
    probed = media.probe(clip)
    probe = {"ProbeResults": [probed.as_response()]}
    plan = plan_pipeline(video, probe, PipelineConfig.model_validate({"OUTPUT_BUCKET": "out"}))
    job = media.plan_transcode(plan.transcode["settings"], probed, clip, workdir)
    media.run_transcode(job, plan.media.durationSeconds)
    mp3 = next(o.local_path for o in job.outputs if o.local_path.suffix == ".mp3")
    web = next(o.local_path for o in job.outputs if "/web/" in o.destination)
    with ThreadPoolExecutor(max_workers=2) as both:
        analysed = both.submit(vision.analyse, web)
        if language != "auto":
            whisper.identify_language(mp3)  # the language check
        recognition = whisper.recognize(
            mp3, language=None if language == "auto" else language.split("-")[0]
        )
        analysed.result()
    for segment in recognition.segments:
        sentiment.detect_sentiment(segment.text)
        phrases.detect_key_phrases(segment.text)
        entities.detect_entities(segment.text)
    return mp3  # kept until the child has timed identification on it


def identification_seconds(mp3: Path) -> tuple[float, float]:
    """Seconds to load Whisper base (once a process; assembling it into the cache the first
    time), then seconds to identify the language with it loaded."""
    from reelscribe.speech import models, whisper

    started = time.perf_counter()
    chosen = models.resolve_models()
    if chosen.multilingual is not None:
        models.load(chosen.multilingual, models.DEFAULT_CPU_THREADS)
    loading = time.perf_counter() - started
    _, seconds = whisper.identify_language(mp3)
    return loading, seconds


PROGRESS = FirstProgress()


def pipeline(clip: Path, workdir: Path, language: str) -> Path | None:
    from reelscribe.launch import main  # the `reelscribe` command's own entry point

    code = main(
        [
            "run",
            str(clip),
            "--out",
            str(workdir),
            "--parameter-overrides",
            f"TranscribeLanguage={language}",
        ],
        stream=PROGRESS,
    )
    if code != 0:
        raise SystemExit(f"the pipeline failed on {clip}:\n{PROGRESS.getvalue()}")
    return None


def child(side: str, clip: Path, language: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tree = TreePeak()
        started = time.perf_counter()
        mp3 = {"engines": engines, "pipeline": pipeline}[side](clip, Path(scratch), language)
        seconds = time.perf_counter() - started
        # CPU and memory are read before identification, which is timed on its own.
        peak_mb = tree.stop()
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        loading, identify = identification_seconds(mp3) if mp3 is not None else (0.0, 0.0)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mb": peak_mb,
                "identify_seconds": identify,
                "identify_load_seconds": loading,
                "first_progress_seconds": PROGRESS.seconds,
            }
        )
    )


def measure(side: str, clip: Path, language: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", side, str(clip), language],
        check=True,
        capture_output=True,
        text=True,
    )
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--language",
        default="en-US",
        help="TranscribeLanguage for both sides: a code such as en-US, or auto to identify it",
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("SIDE", "CLIP", "LANGUAGE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.child[2])
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        clip = make_clip(Path(scratch) / "bench-clip.mp4", args.duration, args.size)
        print(f"clip: {args.duration:.0f} s at {args.size}, {clip.stat().st_size / 1e6:.1f} MB")
        rounds = []
        for round_number in range(args.repeat):
            # Alternate the order, so neither side always runs on a warmer machine.
            order = ["engines", "pipeline"] if round_number % 2 == 0 else ["pipeline", "engines"]
            result = {side: measure(side, clip, args.language) for side in order}
            rounds.append(result)
            engines, pipeline = result["engines"], result["pipeline"]
            print(
                f"round {round_number + 1}: "
                f"engines {engines['seconds']:5.1f} s (cpu {engines['cpu_seconds']:5.1f} s, "
                f"peak {engines['peak_mb']:4.0f} MB)  "
                f"pipeline {pipeline['seconds']:5.1f} s (cpu {pipeline['cpu_seconds']:5.1f} s, "
                f"peak {pipeline['peak_mb']:4.0f} MB)  "
                f"ratio {pipeline['seconds'] / engines['seconds']:.2f}x  "
                f"first progress {pipeline['first_progress_seconds']:.2f} s  "
                f"language identification {engines['identify_seconds']:.2f} s "
                f"(model load {engines['identify_load_seconds']:.2f} s)"
            )
        print(summary(rounds))
    return 0


def summary(rounds: list[dict[str, dict[str, Any]]]) -> str:
    ratios = sorted(r["pipeline"]["seconds"] / r["engines"]["seconds"] for r in rounds)
    median = statistics.median(ratios)
    pooled = sum(r["pipeline"]["seconds"] for r in rounds) / sum(
        r["engines"]["seconds"] for r in rounds
    )
    cpu = sum(r["pipeline"]["cpu_seconds"] for r in rounds) / sum(
        r["engines"]["cpu_seconds"] for r in rounds
    )
    peak = max(r["pipeline"]["peak_mb"] for r in rounds)
    engines_peak = max(r["engines"]["peak_mb"] for r in rounds)
    first = max(r["pipeline"]["first_progress_seconds"] for r in rounds)
    identify = statistics.median(r["engines"]["identify_seconds"] for r in rounds)
    loading = statistics.median(r["engines"]["identify_load_seconds"] for r in rounds)
    verdicts = {
        "median <= 1.15x": median <= 1.15,
        "no round above 1.3x": ratios[-1] <= 1.3,
        "peak <= engines' peak + 150 MB": peak <= engines_peak + 150,
        "first progress within 1 s": first <= 1.0,
    }
    return (
        f"pipeline / engines, wall time: median {median:.2f}x (range {ratios[0]:.2f}-"
        f"{ratios[-1]:.2f}x), pooled {pooled:.2f}x; cpu time: pooled {cpu:.2f}x; "
        f"pipeline peak {peak:.0f} MB (engines {engines_peak:.0f} MB); first transcode "
        f"progress at most {first:.2f} s after start; language identification (Whisper "
        f"base, first 30 s of speech): median {identify:.2f} s, after a {loading:.2f} s "
        "model load\n"
        + "\n".join(
            f"target: {name}: {'met' if met else 'NOT met'}" for name, met in verdicts.items()
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
