"""Real media with what is on screen known by construction, and views of pictures.

The clip is drawn by ffmpeg: hard cuts at known times, a black gap, and a slide whose text
sits on a panel at a known place; the pipeline's video analysis reads it and writes the merged
view. A picture's folder and view are written here in the documented schema (until pictures
run end to end), so the report tests check that the page shows what a view says.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.support.media import ffmpeg_exe
from video_pipeline.vision_model import VISION_KINDS

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


def panel_box() -> dict[str, float]:
    x, y, w, h = PANEL
    return {"Left": x / SIZE[0], "Top": y / SIZE[1], "Width": w / SIZE[0], "Height": h / SIZE[1]}


def _branches(**unavailable: str) -> dict[str, dict[str, Any]]:
    return {
        k: {"available": False, "reason": unavailable[k]}
        if k in unavailable
        else {"available": True}
        for k in VISION_KINDS
    }


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
