"""Real media with what is on screen known by construction, and the merged view of it.

The clip is drawn by ffmpeg: hard cuts at known times, a black gap, and a slide whose text
sits in a box at a known place. The view is written in the documented schema from those
known facts, with real thumbnails and a poster cut from the run's own web rendition, so the
report tests check that the page shows what a view says, whatever made it.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path
from typing import Any

from tests.support.media import ffmpeg_exe

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SIZE = (640, 360)
# (start, end, what is on screen); the cuts are at 2.0 and 4.0, black from 4.0 to 4.5.
SEGMENTS = ((0.0, 2.0, "pattern"), (2.0, 4.0, "bars"), (4.0, 4.5, "black"), (4.5, 7.0, "slide"))
SLIDE_TEXT = "Quarterly results"
# The white panel the slide's text is drawn on, in pixels of the 640x360 frame.
PANEL = (64, 72, 384, 72)  # x, y, width, height
LABELS_REASON = "Label detection has no offline model here; it runs on Amazon Rekognition."
CELEBRITIES_REASON = "Celebrity recognition has no offline model here; it runs on AWS."


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {done.stderr.strip()}")


def slide_filter(text: str = SLIDE_TEXT) -> str:
    x, y, w, h = PANEL
    return (
        f"drawbox=x={x}:y={y}:w={w}:h={h}:color=white:t=fill,"
        f"drawtext=fontfile={FONT}:text='{text}':fontsize=36:fontcolor=black:"
        f"x={x}+(({w}-text_w)/2):y={y}+(({h}-text_h)/2)"
    )


def make_cut_clip(path: Path) -> Path:
    """A silent H.264 clip: a test pattern, colour bars, half a second of black, a slide."""
    w, h = SIZE
    sources = {
        "pattern": f"testsrc2=size={w}x{h}:rate=25",
        "bars": f"smptebars=size={w}x{h}:rate=25",
        "black": f"color=c=black:size={w}x{h}:rate=25",
        "slide": f"color=c=0x1d3557:size={w}x{h}:rate=25",
    }
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    chains = []
    for index, (start, end, kind) in enumerate(SEGMENTS):
        command += ["-f", "lavfi", "-t", f"{end - start:.3f}", "-i", sources[kind]]
        drawn = f",{slide_filter()}" if kind == "slide" else ""
        chains.append(f"[{index}:v]format=yuv420p{drawn}[v{index}]")
    joined = "".join(f"[v{i}]" for i in range(len(SEGMENTS)))
    graph = ";".join(chains) + f";{joined}concat=n={len(SEGMENTS)}:v=1:a=0[out]"
    command += ["-filter_complex", graph, "-map", "[out]", "-c:v", "libx264"]
    command += ["-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    _run([*command, str(path)])
    return path


def make_slide_picture(path: Path, text: str = SLIDE_TEXT) -> Path:
    """A JPEG the size of the clip, with the slide's text on its panel."""
    w, h = SIZE
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"color=c=0x1d3557:size={w}x{h}", "-vf", slide_filter(text)]
    _run([*command, "-frames:v", "1", "-q:v", "3", str(path)])
    return path


def make_labelled_photo(
    source: Path, target: Path, text: str, panel: tuple[int, int, int, int]
) -> Path:
    """The photograph as a JPEG, with `text` on a white panel at `panel` (x, y, w, h)."""
    x, y, w, h = panel
    drawn = f"drawbox=x={x}:y={y}:w={w}:h={h}:color=white:t=fill,"
    drawn += f"drawtext=fontfile={FONT}:text='{text}':fontsize=30:x={x}+12:y={y}+12"
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source)]
    _run([*command, "-vf", drawn, "-q:v", "3", str(target)])
    return target


def frame_at(video: Path, seconds: float, target: Path, width: int = 320) -> Path:
    """A JPEG of the video's frame at `seconds`, `width` pixels wide."""
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-ss", f"{seconds:.3f}", "-i", str(video), "-frames:v", "1"]
    _run([*command, "-vf", f"scale={width}:-2", "-q:v", "4", str(target)])
    return target


def panel_box() -> dict[str, float]:
    x, y, w, h = PANEL
    return {"Left": x / SIZE[0], "Top": y / SIZE[1], "Width": w / SIZE[0], "Height": h / SIZE[1]}


def _vtt_time(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}"


def write_track(path: Path, items: list[dict[str, Any]]) -> Path:
    """A WebVTT metadata track: each item's JSON as the cue, as Media2Cloud writes them."""
    cues = ["WEBVTT", ""]
    for number, item in enumerate(items, start=1):
        cues += [str(number), f"{_vtt_time(item['start'])} --> {_vtt_time(item['end'])}"]
        cues += [json.dumps(item), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(cues), encoding="utf-8")
    return path


def _branches(**unavailable: str) -> dict[str, dict[str, Any]]:
    kinds = ("shots", "text", "faces", "moderation", "labels", "celebrities")
    return {
        k: {"available": False, "reason": unavailable[k]}
        if k in unavailable
        else {"available": True}
        for k in kinds
    }


def write_clip_view(
    folder: Path, moderation: list[dict[str, Any]] | None = None, review_min: float = 80.0
) -> dict[str, Any]:
    """The merged view of make_cut_clip's run, its shots' thumbnails and poster cut from the
    folder's web rendition, and its tracks, at the keys the pipeline gives them."""
    states = json.loads((folder / "execution" / "states.json").read_text())
    video = next(run["output"]["video"] for run in states if run["name"] == "Parse Upload")
    name = next((folder / "output" / "web").glob("*.mp4")).stem
    prefix = f"output/vision/{video['userId']}/{video['videoId']}"
    web = folder / "output" / "web" / f"{name}.mp4"
    local = folder / "output" / "vision"
    shots = []
    edges = [start for start, _, _ in SEGMENTS] + [SEGMENTS[-1][1]]
    for index, (start, end) in enumerate(itertools.pairwise(edges), start=1):
        key = f"{prefix}/shots/{name}-{index:03d}.jpg"
        frame_at(web, (start + end) / 2, local / "shots" / f"{name}-{index:03d}.jpg")
        shots.append({"index": index, "start": start, "end": end, "thumbnailKey": key})
    frame_at(web, 1.0, local / f"{name}-poster.jpg", width=640)
    flagged = [m for m in moderation or [] if m["confidence"] >= review_min]
    items = {
        "shots": shots,
        "text": [
            {"text": SLIDE_TEXT, "start": 4.5, "end": 7.0, "confidence": 99.2, "box": panel_box()}
        ],
        "faces": [],
        "moderation": moderation or [],
    }
    tracks = {}
    for kind, found in items.items():
        write_track(local / f"{name}-{kind}.vtt", found)
        tracks[kind] = f"{prefix}/{name}-{kind}.vtt"
    view = {
        "version": 1,
        "mediaKind": "video",
        "analysedKey": f"output/web/{video['userId']}/{video['videoId']}/{name}.mp4",
        "branches": _branches(labels=LABELS_REASON, celebrities=CELEBRITIES_REASON),
        **items,
        "technicalCues": [{"type": "BlackFrames", "start": 4.0, "end": 4.5}],
        "labels": [],
        "celebrities": [],
        "needsReview": bool(flagged),
        "reviewLabels": [m["name"] for m in flagged],
        "posterKey": f"{prefix}/{name}-poster.jpg",
        "tracks": tracks,
    }
    (local / f"{name}.json").write_text(json.dumps(view, indent=2), encoding="utf-8")
    return view


def flag_view(folder: Path, labels: list[dict[str, Any]]) -> dict[str, Any]:
    """The folder's view with moderation labels added that reach the review threshold, as a
    view of a video that needs a moderator's look says."""
    (path,) = (folder / "output" / "vision").glob("*.json")
    view: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    view["moderation"] = [*view.get("moderation", []), *labels]
    view["needsReview"] = True
    view["reviewLabels"] = sorted({*view.get("reviewLabels", []), *(m["name"] for m in labels)})
    path.write_text(json.dumps(view, indent=2), encoding="utf-8")
    return view


def write_picture_folder(folder: Path, name: str, picture: Path, view: dict[str, Any]) -> Path:
    """An image upload's folder: its web rendition, the merged view of it, and an execution
    that succeeded (its states are the pipeline's part for pictures, not drawn here)."""
    (folder / "output" / "web").mkdir(parents=True, exist_ok=True)
    (folder / "output" / "vision").mkdir(parents=True, exist_ok=True)
    (folder / "execution").mkdir(parents=True, exist_ok=True)
    (folder / "output" / "web" / f"{name}.jpg").write_bytes(picture.read_bytes())
    (folder / "output" / "vision" / f"{name}.json").write_text(json.dumps(view), encoding="utf-8")
    execution = {
        "executionArn": f"arn:aws:states:us-east-1:123456789012:execution:pipeline:{name}",
        "status": "SUCCEEDED",
        "startDate": "2026-01-01T00:00:00+00:00",
        "stopDate": "2026-01-01T00:00:03+00:00",
    }
    (folder / "execution" / "execution.json").write_text(json.dumps(execution))
    (folder / "execution" / "states.json").write_text("[]")
    (folder / "execution" / "history.json").write_text("[]")
    return folder


def picture_view(
    name: str, text: list[dict[str, Any]], faces: list[dict[str, Any]]
) -> dict[str, Any]:
    key = f"output/web/alice/0123456789abcdef/{name}.jpg"
    return {
        "version": 1,
        "mediaKind": "image",
        "analysedKey": key,
        "branches": _branches(labels=LABELS_REASON, celebrities=CELEBRITIES_REASON),
        "shots": [],
        "technicalCues": [],
        "text": text,
        "faces": faces,
        "moderation": [],
        "labels": [],
        "celebrities": [],
        "needsReview": False,
        "reviewLabels": [],
        "posterKey": key,
        "tracks": {},
    }
