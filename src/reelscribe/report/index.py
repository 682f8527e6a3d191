"""The batch's index page: every video folder, how it ended, and a link to its report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from ..results import BatchEntry, Status, VideoFolder, is_video_folder, read_runs
from .templating import render


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
    thumbnail: str | None = None


def _link(folder: Path, inside: str) -> str:
    # A folder keeps its video's name, "#" and "?" included: a link must quote them.
    return f"{quote(folder.name, safe='')}/{quote(inside)}"


def _thumbnail(video: VideoFolder) -> str | None:
    """The video's poster, or a picture's thumbnail (else its web rendition), linked from
    the index."""
    poster = video.picture("thumbnail") if video.media_kind == "image" else None
    poster = poster or video.output_path(video.vision.get("posterKey"))
    if poster is None and video.media_kind == "image":
        poster = video.picture("web")
    return _link(video.path, video.relative(poster)) if poster is not None else None


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
        report=_link(folder, "report.html") if (folder / "report.html").is_file() else None,
        thumbnail=_thumbnail(video),
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


def render_index(out_dir: Path, found: list[Entry]) -> str:
    counts: dict[str, int] = {}
    for entry in found:
        word = entry.status.lower().replace("_", " ")
        counts[word] = counts.get(word, 0) + 1
    tally = ", ".join(f"{count} {word}" for word, count in counts.items())
    return render(
        "index.html.j2",
        csp="default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file: data:",
        name=out_dir.name,
        summary=f"{len(found)} video{'s' if len(found) != 1 else ''}: {tally or 'none yet'}.",
        entries=found,
        now=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )


def build_index(out_dir: Path) -> Path:
    """Write out_dir/index.html listing every video folder with a link to its report."""
    target = out_dir / "index.html"
    target.write_text(render_index(out_dir, entries(out_dir)), encoding="utf-8")
    return target
