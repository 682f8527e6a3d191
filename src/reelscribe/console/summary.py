"""The summary a run prints for each video: its states, how it ended, and what it wrote."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..report.formats import size
from ..results import StateRun, Status, VideoItem, VideoResult, most_telling


def _grouped(runs: list[StateRun]) -> list[tuple[StateRun, int, float, int, Status]]:
    """Poll loops repeat states; show each state once with its count and total time."""
    groups: dict[str, list[StateRun]] = {}
    for run in runs:
        groups.setdefault(run.name, []).append(run)
    rows = []
    for name_runs in groups.values():
        status = most_telling(r.status for r in name_runs) or Status.RUNNING
        seconds = sum(r.seconds or 0.0 for r in name_runs)
        retries = sum(r.retries for r in name_runs)
        rows.append((name_runs[0], len(name_runs), seconds, retries, status))
    return rows


def _on_screen(item: VideoItem | None) -> list[str]:
    """What was seen, as the success email says it; nothing when the picture was not analysed."""
    if item is None or not item.vision_key:
        return []
    parts = []
    if item.shot_count is not None:
        parts.append(f"{item.shot_count} shot" + ("" if item.shot_count == 1 else "s"))
    parts.append(f"text: {item.on_screen_text}" if item.on_screen_text else "no text read")
    if item.needs_review:
        parts.append("needs review: " + ", ".join(item.review_labels))
    return ["  On screen: " + "; ".join(parts)]


def _insight(result: VideoResult) -> list[str]:
    item = result.metadata
    if item is None:
        return _on_screen(result.video)
    lines = []
    if item.transcript:
        # The language it was transcribed in, as the success email labels it.
        language = str((item.model_extra or {}).get("languageCode") or "")
        label = f"Transcript ({language})" if language else "Transcript"
        lines.append(f"  {label}: {item.transcript_preview}")
    if item.sentiment:
        phrases = ", ".join(item.key_phrases)
        lines.append(
            f"  Sentiment: {item.sentiment}" + (f"; key phrases: {phrases}" if phrases else "")
        )
    return lines + _on_screen(result.video)


def print_summary(result: VideoResult, stream: TextIO) -> None:
    mark = {"SUCCEEDED": "ok", "FAILED": "FAILED"}.get(result.status, result.status)
    print(f"\n{Path(result.source).name}: {mark} in {result.seconds:.1f} s", file=stream)
    print(f"  {'State':<52} {'Status':<10} {'Time':>8}", file=stream)
    for run, count, seconds, retries, status in _grouped(result.states):
        times = f" (x{count})" if count > 1 else ""
        retried = f" (retried {retries}x)" if retries else ""
        print(
            f"  {run.name:<52.52} {status.label:<10} {seconds:7.2f}s{times}{retried}",
            file=stream,
        )
    if result.duplicate:
        print("  This upload was already registered; nothing was processed again.", file=stream)
    if result.failure:
        ended = {"ABORTED": "Stopped", "TIMED_OUT": "Timed out"}.get(result.status, "Failed")
        print(f"  {ended} in state: {result.failure.state}", file=stream)
        print(f"  Error: {result.failure.error}", file=stream)
        print(f"  Reason: {result.failure.reason}", file=stream)
    if result.folder is not None:
        for line in _insight(result):
            print(line, file=stream)
        print(f"  Outputs: {result.folder}/", file=stream)
        for path in sorted(
            p for p in result.files if "output" in p.relative_to(result.folder).parts[:1]
        ):
            print(
                f"    {path.relative_to(result.folder)}  ({size(path.stat().st_size)})",
                file=stream,
            )


def print_totals(results: list[VideoResult], index: Path, out: Path, stream: TextIO) -> None:
    failed = [r for r in results if not r.succeeded]
    print(f"\nReport: {index}", file=stream)
    print(
        f"\n{len(results) - len(failed)} succeeded, {len(failed)} failed. "
        f"Function logs: {out / 'logs' / 'functions.jsonl'}",
        file=stream,
    )
