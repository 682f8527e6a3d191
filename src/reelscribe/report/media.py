"""The renditions, the audio and the GIF, each with what a probe says about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..media import MediaProbeError, Track
from ..media import probe as probe_media
from ..results import VideoFolder
from .formats import seconds, size
from .templating import render


@dataclass
class Probe:
    size: int
    duration: float | None = None
    video: str = ""
    width: int = 0
    height: int = 0
    frame_rate: float | None = None
    audio: str = ""
    bit_rate: int = 0
    problem: str = ""


def probe(path: Path) -> Probe:
    """What the file holds, from the media package's probe; a file it cannot read says why."""
    found = Probe(size=path.stat().st_size)
    try:
        # Outputs are shown whatever their container (a GIF is no MediaConvert input), and
        # with no rotation: MediaConvert writes none, and the report shows none.
        result = probe_media(path, mediaconvert_input=False, rotations=False)
    except MediaProbeError as error:  # a report still shows what it can
        found.problem = f"Could not be read: {error}"
        return found
    found.duration = result.duration or None
    found.bit_rate = result.bit_rate
    video, audio = result.first("video"), result.first("audio")
    if video is not None:
        found.video = _codec(video)
        found.width, found.height = video.width, video.height
        found.frame_rate = float(video.frame_rate) if video.frame_rate else None
    if audio is not None:
        rate = f"{audio.sample_rate / 1000:g} kHz"
        found.audio = f"{_codec(audio)} {rate} {audio.channel_layout}".strip()
    return found


def _codec(track: Track) -> str:
    # AAC's everyday profile goes without saying; any other profile is worth showing.
    if track.profile and track.profile != "LC":
        return f"{track.codec_label} {track.profile}"
    return track.codec_label


def _facts(found: Probe) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if found.video:
        rows.append(("Video", found.video))
        rows.append(("Size", f"{found.width} × {found.height}"))
        if found.frame_rate:
            rows.append(("Frame rate", f"{found.frame_rate:g} fps"))
    if found.audio:
        rows.append(("Audio", found.audio))
    rows.append(("Duration", seconds(found.duration)))
    if found.bit_rate:
        rows.append(("Bit rate", f"{found.bit_rate / 1000:.0f} kb/s"))
    rows.append(("File", size(found.size)))
    if found.problem:
        rows.append(("Problem", found.problem))
    return rows


def _language(folder: VideoFolder) -> str:
    code = folder.video_item.language_code
    if not code:
        code = str(folder.transcript.get("results", {}).get("language_code") or "en")
    return code


def _picture_facts(found: Probe, path: Path) -> list[tuple[str, str]]:
    kind = path.suffix.lstrip(".").upper().replace("JPG", "JPEG")
    rows = [("Picture", kind)]
    if found.width and found.height:
        rows.append(("Size", f"{found.width} × {found.height}"))
    rows.append(("File", size(found.size)))
    if found.problem:
        rows.append(("Problem", found.problem))
    return rows


def media_section(
    folder: VideoFolder,
    succeeded: bool = True,
    *,
    drawn: list[dict[str, Any]] | None = None,
    poster: str | None = None,
) -> str:
    """The players (or the picture), each file with its facts. `drawn` are the boxes and notes
    of what is on screen, laid over the web video or the picture; `poster` is the video's."""

    def shown(path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        found = probe(path)
        return {
            "src": folder.relative(path),
            "facts": _facts(found),
            "width": found.width,
            "height": found.height,
            "still": False,
        }

    def still(path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        return {
            "src": folder.relative(path),
            "facts": _picture_facts(probe(path), path),
            "still": True,
        }

    image = folder.media_kind == "image"
    web, vtt = folder.media("web"), folder.media("subtitles")
    picture = still(folder.picture("web")) if image else None
    audio = folder.media("audio")
    player = web is not None or audio is not None
    subtitles = None
    if player and vtt is not None:
        subtitles = {
            "src": folder.relative(vtt),
            "language": _language(folder),
            "cues": vtt.read_text(encoding="utf-8", errors="replace"),
        }
    media = {
        "phone": still(folder.picture("phone")) if image else shown(folder.media("phone")),
        "audio": shown(audio),
        "gif": shown(folder.media("gif")),
    }
    links = [
        (vtt, "Subtitles (WebVTT)"),
        (folder.media("srt"), "Subtitles (SRT)"),
        (folder.media("transcribe"), "Transcript (Transcribe JSON)"),
        (folder.media("analysis"), "Analysis (JSON)"),
        (folder.media("vision"), "On screen (JSON)"),
    ]
    return render(
        "media.html.j2",
        web=shown(web),
        picture=picture,
        drawn=drawn or [],
        poster=poster,
        subtitles=subtitles,
        figures=web is not None or picture is not None or any(media.values()),
        succeeded=succeeded,
        files=[(folder.relative(path), label) for path, label in links if path is not None],
        **media,
    )
