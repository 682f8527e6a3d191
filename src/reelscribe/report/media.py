"""The renditions, the audio and the GIF, each with what a probe says about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..media import MediaProbeError, Track
from ..media import probe as probe_media
from ..results import VideoFolder
from .html import esc, json_script, seconds, size


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
        # Outputs are shown whatever their container (a GIF is no MediaConvert input).
        result = probe_media(path, mediaconvert_input=False)
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


def _facts(found: Probe) -> str:
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
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return f'<dl class="media-facts">{items}</dl>'


def _language(folder: VideoFolder) -> str:
    code = folder.video_item.language_code
    if not code:
        code = str(folder.transcript.get("results", {}).get("language_code") or "en")
    return code


def media_section(folder: VideoFolder, succeeded: bool = True) -> str:
    figures: list[str] = []
    web, phone = folder.media("web"), folder.media("phone")
    vtt, srt = folder.media("subtitles"), folder.media("srt")
    audio, gif = folder.media("audio"), folder.media("gif")
    embedded = ""
    if web is not None:
        track = ""
        if vtt is not None:
            language = _language(folder)
            track = (
                f'<track kind="subtitles" src="{esc(folder.relative(vtt))}" '
                f'srclang="{esc(language.split("-")[0])}" label="Subtitles ({esc(language)})" '
                f'default data-embedded="rs-vtt">'
            )
            # Browsers refuse to load a track from a file:// page; the page falls back to
            # this copy of the same cues, so subtitles work opened from disk too.
            embedded = json_script("rs-vtt", vtt.read_text(encoding="utf-8", errors="replace"))
        figures.append(
            f'<figure class="wide"><figcaption>Web rendition</figcaption>'
            f'<video id="rs-web" controls preload="metadata" '
            f'src="{esc(folder.relative(web))}">{track}</video>{_facts(probe(web))}</figure>'
        )
    if phone is not None:
        figures.append(
            f"<figure><figcaption>Phone rendition</figcaption>"
            f'<video id="rs-phone" controls preload="metadata" '
            f'src="{esc(folder.relative(phone))}"></video>{_facts(probe(phone))}</figure>'
        )
    if audio is not None:
        figures.append(
            f'<figure><figcaption>Audio</figcaption><audio id="rs-audio" controls '
            f'preload="metadata" src="{esc(folder.relative(audio))}"></audio>'
            f"{_facts(probe(audio))}</figure>"
        )
    if gif is not None:
        figures.append(
            f"<figure><figcaption>Animated GIF</figcaption><img "
            f'src="{esc(folder.relative(gif))}" alt="Animated GIF made from the video">'
            f"{_facts(probe(gif))}</figure>"
        )
    if not figures:
        if succeeded:
            return '<p class="empty">There are no media files in this folder.</p>'
        return (
            '<p class="empty">No media was produced: the execution stopped before the '
            "transcode finished.</p>"
        )
    links = [
        (vtt, "Subtitles (WebVTT)"),
        (srt, "Subtitles (SRT)"),
        (folder.media("transcribe"), "Transcript (Transcribe JSON)"),
        (folder.media("analysis"), "Analysis (JSON)"),
    ]
    files = "".join(
        f'<a href="{esc(folder.relative(path))}">{esc(label)}</a>'
        for path, label in links
        if path is not None
    )
    files_html = f'<p class="files">Files: {files}</p>' if files else ""
    return f'<div class="media-grid">{"".join(figures)}</div>{files_html}{embedded}'
