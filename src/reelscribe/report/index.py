"""The batch's index page: every video folder, how it ended, and a link to its report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..results import BatchEntry, Status, VideoFolder, is_video_folder, read_runs
from .html import esc, seconds
from .style import CSS


@dataclass
class Entry:
    name: str
    status: Status
    run_seconds: float | None
    video_seconds: float | None
    failed_state: str
    reason: str
    source: str
    report: str | None


def _entry(folder: Path, batch: BatchEntry | None) -> Entry:
    video = VideoFolder.load(folder) if folder.is_dir() else VideoFolder(path=folder)
    failure = (batch.failure if batch else None) or video.failure()
    return Entry(
        name=folder.name,
        status=(batch.status if batch else None) or video.status,
        run_seconds=batch.seconds if batch and batch.seconds is not None else video.seconds,
        video_seconds=video.video_item.duration_seconds,
        failed_state=failure.state if failure else "",
        reason=failure.reason if failure else "",
        source=(batch.source if batch else "") or video.source,
        report=f"{folder.name}/report.html" if (folder / "report.html").is_file() else None,
    )


def entries(out_dir: Path) -> list[Entry]:
    """runs.json's videos first, in the order they ran; then any other video folder found, so
    folders from earlier runs into the same place are listed too."""
    found: list[Entry] = []
    seen: set[str] = set()
    for item in read_runs(out_dir):
        name = Path(item.folder).name
        if not item.folder or name in seen:
            continue
        seen.add(name)
        found.append(_entry(out_dir / name, item))
    for folder in sorted(p for p in out_dir.iterdir() if is_video_folder(p)):
        if folder.name not in seen:
            seen.add(folder.name)
            found.append(_entry(folder, None))
    return found


def _row(entry: Entry) -> str:
    name = (
        f'<a href="{esc(entry.report)}">{esc(entry.name)}</a>' if entry.report else esc(entry.name)
    )
    failed = (
        f'<strong>{esc(entry.failed_state)}</strong><div class="reason">{esc(entry.reason)}</div>'
        if entry.failed_state
        else "–"
    )
    return (
        f'<tr data-status="{esc(entry.status)}"><td>{name}<div class="reason mono">'
        f"{esc(entry.source)}</div></td>"
        f'<td><span class="pill {esc(entry.status)}">{esc(entry.status.title())}</span></td>'
        f'<td class="num">{esc(seconds(entry.video_seconds))}</td>'
        f'<td class="num">{esc(seconds(entry.run_seconds))}</td><td>{failed}</td></tr>'
    )


def render_index(out_dir: Path, found: list[Entry]) -> str:
    counts: dict[str, int] = {}
    for entry in found:
        word = entry.status.lower().replace("_", " ")
        counts[word] = counts.get(word, 0) + 1
    tally = ", ".join(f"{count} {word}" for word, count in counts.items())
    summary = f"{len(found)} video{'s' if len(found) != 1 else ''}: {tally or 'none yet'}."
    rows = "".join(_row(e) for e in found) or (
        '<tr><td colspan="5" class="empty">No video folders here yet.</td></tr>'
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>reelscribe: {esc(out_dir.name)}</title><style>{CSS}</style></head><body>"
        f'<main class="page"><header class="top"><h1>Videos in {esc(out_dir.name)}</h1></header>'
        f'<p class="lede">{esc(summary)} Open a video for its state machine, timeline, media, '
        "transcript and records.</p>"
        '<section class="card"><table class="runs"><thead><tr><th scope="col">Video</th>'
        '<th scope="col">Status</th><th scope="col">Length</th><th scope="col">Run time</th>'
        f'<th scope="col">Failed state</th></tr></thead><tbody>{rows}</tbody></table></section>'
        f"<footer>Index by reelscribe, {esc(now)}.</footer></main></body></html>\n"
    )


def build_index(out_dir: Path) -> Path:
    """Write out_dir/index.html listing every video folder with a link to its report."""
    target = out_dir / "index.html"
    target.write_text(render_index(out_dir, entries(out_dir)), encoding="utf-8")
    return target
