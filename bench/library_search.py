"""The library's figures: indexing, warm queries, a run's Index Media, `reelscribe search`.

    .venv/bin/python bench/library_search.py [--uploads 1000] [--moments 50] [--queries 200]
        [--no-run]

It indexes --uploads made uploads of --moments moments each (sentences drawn from a fixed
vocabulary, two users, four kinds) into a library in a temporary output folder, through the
Data API as Index Media does, then prints:
  index:   seconds to index them all, and one upload's index_upload (50 moments) p95;
  query:   p50 and p95 of --queries warm searches (words, phrases, a kind or a user filter),
           target p95 <= 50 ms;
  run:     the Index Media state's seconds in a real `reelscribe run` of a short spoken clip
           (the time indexing adds to a run), target <= 0.2 s; skipped with --no-run;
  search:  `reelscribe search` end to end in its own process, starting and stopping the
           database, median and max of five, target <= 1.5 s.
Times are only meaningful on an otherwise idle machine; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "functions" / "shared"), str(ROOT)]

from reelscribe.library.local import open_library  # noqa: E402 - found through the path above
from reelscribe.template import Template  # noqa: E402
from video_pipeline.search_index import Library, index_upload, make_query, search  # noqa: E402
from video_pipeline.search_rows import Moment, UploadRecord  # noqa: E402

WORDS = [
    "ferry",
    "harbour",
    "island",
    "midnight",
    "morning",
    "garden",
    "fence",
    "summer",
    "river",
    "bridge",
    "market",
    "train",
    "station",
    "mountain",
    "valley",
    "forest",
    "castle",
    "museum",
    "concert",
    "theatre",
    "festival",
    "weather",
    "storm",
    "rain",
    "sunshine",
    "coffee",
    "breakfast",
    "dinner",
    "recipe",
    "kitchen",
    "window",
    "door",
    "street",
    "city",
    "village",
    "school",
    "teacher",
    "student",
    "lesson",
    "history",
    "science",
    "music",
    "painting",
    "camera",
    "journey",
    "holiday",
    "airport",
    "passport",
    "ticket",
    "hotel",
    "beach",
    "ocean",
    "lighthouse",
    "boat",
    "sail",
    "wind",
    "cloud",
]
KINDS = ("transcript", "text", "label", "keyPhrase")
PATH = os.pathsep.join(str(ROOT / part) for part in ("src", "functions/shared", "."))


def _moments(rng: random.Random, count: int) -> list[Moment]:
    moments = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        length = 12 if kind == "transcript" else 2
        text = " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."
        start = number * 6.0
        moments.append(
            Moment(
                kind=kind, text=text, start=start, end=start + 5, confidence=90.0, config="english"
            )
        )
    return moments


def _record(number: int) -> UploadRecord:
    return UploadRecord(
        videoId=f"bench-{number:05d}",
        userId=("alice", "bob")[number % 2],
        fileName=f"clip {number}.mp4",
        languageCode="en-US",
        uploadedAt="2026-06-01T12:00:00Z",
        durationSeconds=300.0,
    )


def _p(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100)[percent - 1] if len(values) > 1 else values[0]


def bench_index_and_query(library: Library, uploads: int, moments: int, queries: int) -> None:
    rng = random.Random(7)  # noqa: S311 - made data, the same each run
    started = time.perf_counter()
    each: list[float] = []
    for number in range(uploads):
        record, rows = _record(number), _moments(rng, moments)
        began = time.perf_counter()
        index_upload(library, record, rows)
        each.append(time.perf_counter() - began)
    total = time.perf_counter() - started
    print(
        f"index:  {uploads} uploads x {moments} moments in {total:.1f} s; "
        f"one upload p95 {_p(each, 95) * 1000:.1f} ms"
    )
    asked: list[float] = []
    hits = 0
    for number in range(queries):
        words = rng.sample(WORDS, 2)
        fields: dict[str, object] = {"q": " ".join(words)}
        if number % 4 == 1:
            fields["q"] = f'"{words[0]} {words[1]}"'
        if number % 4 == 2:
            fields["kinds"] = ["transcript"]
        if number % 4 == 3:
            fields["user"] = "bob"
        query = make_query(**fields)
        began = time.perf_counter()
        hits += search(library, query)["total"] > 0
        asked.append(time.perf_counter() - began)
    p95 = _p(asked, 95) * 1000
    print(
        f"query:  {queries} warm searches p50 {_p(asked, 50) * 1000:.1f} ms, "
        f"p95 {p95:.1f} ms (target <= 50 ms: {'met' if p95 <= 50 else 'MISSED'}); "
        f"{hits} found something"
    )


def bench_run(scratch: Path) -> None:
    from tests.support.media import espeak_available, make_video

    if not espeak_available():
        print("run:    skipped (espeak-ng makes the clip's speech)")
        return
    clip = make_video(scratch / "talk.mp4", speech="The ferries leave the harbour at midnight.")
    out = scratch / "run-out"
    subprocess.run(
        [sys.executable, "-m", "reelscribe", "run", str(clip), "--out", str(out), "--quiet"],
        env={**os.environ, "PYTHONPATH": PATH},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    states = json.loads((out / "talk" / "execution" / "states.json").read_text())
    seconds = next(s["seconds"] for s in states if s["name"] == "Index Media")
    verdict = "met" if seconds <= 0.2 else "MISSED"
    print(f"run:    Index Media took {seconds:.3f} s of the run (target <= 0.2 s: {verdict})")


def bench_search_command(out: Path) -> None:
    walls = []
    for _ in range(5):
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "reelscribe", "search", "harbour midnight", "--out", str(out)],
            env={**os.environ, "PYTHONPATH": PATH},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        walls.append(time.perf_counter() - began)
    median = statistics.median(walls)
    print(
        f"search: `reelscribe search` end to end median {median:.2f} s, max {max(walls):.2f} s "
        f"(target <= 1.5 s: {'met' if median <= 1.5 else 'MISSED'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=1000)
    parser.add_argument("--moments", type=int, default=50)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-run", action="store_true", help="skip the real pipeline run")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="reelscribe-bench-") as scratch:
        out = Path(scratch) / "out"
        out.mkdir()
        with open_library(out, Template.load(ROOT / "template.yaml")) as library:
            bench_index_and_query(library, args.uploads, args.moments, args.queries)
        bench_search_command(out)
        if not args.no_run:
            bench_run(Path(scratch))


if __name__ == "__main__":
    main()
