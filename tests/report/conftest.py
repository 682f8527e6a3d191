"""Fixtures for the report tier: real runs of the local pipeline, their reports, and a real
headless Chromium to open them from disk the way a person would.

Chromium is Debian's (`apt-get install -y chromium`, at /usr/bin/chromium) driven by the
`playwright` package; Playwright's own browser download is never used. Without either, the
browser tests skip and say which is missing.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reelscribe.cli import main
from reelscribe.report import build_index, build_video_report, load_definition
from tests.report.on_screen_media import (
    flag_view,
    make_cut_clip,
    make_labelled_photo,
    picture_view,
    write_picture_folder,
)
from tests.support.media import espeak_available, make_video

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "report"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WINDOW = {"width": 1400, "height": 1000}  # a desktop browser window, unless a test names another
POSITIVE = "I love this wonderful pipeline, and the results are great."
NEGATIVE = "The old system was slow, broken and terrible."
NEUTRAL = "The next release is planned for June."
SPEECH = f"{POSITIVE} {NEGATIVE} {NEUTRAL}"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401 - only whether it imports
    except ImportError:
        return "the playwright package is missing (pip install playwright)"
    return None


@dataclass
class Opened:
    """A report open in the browser, with every request and console message it made."""

    page: Any
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = browser_missing()
    if reason is not None:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_report(browser: Any) -> Iterator[Callable[..., Opened]]:
    contexts: list[Any] = []

    def open_(path: Path, viewport: dict[str, int] = WINDOW) -> Opened:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: opened.console.append(message.text))
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        return opened

    yield open_
    for context in contexts:
        context.close()


def _run(video: Path, out: Path, *overrides: str) -> int:
    arguments = ["run", str(video), "--out", str(out), "--quiet"]
    if overrides:
        arguments += ["--parameter-overrides", *overrides]
    return main(arguments, stream=io.StringIO())


def _report(out: Path, name: str) -> Path:
    folder = out / name
    build_video_report(folder, load_definition())
    build_index(out)
    return folder


@pytest.fixture(scope="session")
def succeeded_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken clip, one sentence positive, one negative, one neutral, run end to end."""
    if not espeak_available():
        pytest.skip("espeak-ng makes the test speech (apt-get install espeak-ng)")
    media = tmp_path_factory.mktemp("report-media")
    out = tmp_path_factory.mktemp("report-ok")
    clip = make_video(media / "moods.mp4", speech=SPEECH)
    # Polls every second, rather than the template's five, so the short transcode's poll loop
    # goes round more than once, as a longer video's does, for the graph to count.
    assert _run(clip, out, "MinPollSeconds=1", "MaxPollSeconds=1") == 0
    return _report(out, "moods")


@pytest.fixture(scope="session")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A text file named .mp4: the pipeline fails in Probe Media and says why."""
    media = tmp_path_factory.mktemp("report-bad-media")
    out = tmp_path_factory.mktemp("report-bad")
    fake = media / "notes.mp4"
    fake.write_text("these are meeting notes, not a video\n")
    assert _run(fake, out) == 1
    return _report(out, "notes")


@pytest.fixture(scope="session")
def portrait_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A phone's upright clip, taller than it is wide, with no sound, run end to end."""
    media = tmp_path_factory.mktemp("report-portrait-media")
    out = tmp_path_factory.mktemp("report-portrait")
    clip = make_video(media / "upright.mp4", width=360, height=640, duration=2.0, audio="none")
    assert _run(clip, out) == 0
    return _report(out, "upright")


@pytest.fixture(scope="session")
def on_screen_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clip with hard cuts, a black gap and a slide, run end to end: the pipeline's video
    analysis writes the merged view, thumbnails, poster and tracks beside its outputs."""
    media = tmp_path_factory.mktemp("report-cuts-media")
    out = tmp_path_factory.mktemp("report-cuts")
    assert _run(make_cut_clip(media / "cuts.mp4"), out) == 0
    assert (out / "cuts" / "output" / "vision" / "cuts.json").is_file()
    return _report(out, "cuts")


FLAGGED = [
    {"name": "Explicit Nudity", "parentName": "", "confidence": 91.5, "start": 2.0, "end": 4.0}
]


@pytest.fixture(scope="session")
def flagged_run(on_screen_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same run, its view saying a moderation label reached the review threshold."""
    out = tmp_path_factory.mktemp("report-flagged")
    shutil.copytree(on_screen_run, out / "cuts", ignore=shutil.ignore_patterns("report.html"))
    flag_view(out / "cuts", FLAGGED)
    return _report(out, "cuts")


# The photograph's face, as measured on skimage's astronaut.png (512 x 512), and the panel of
# text drawn on it at a known place.
FACE_BOX = {"Left": 176 / 512, "Top": 62 / 512, "Width": 86 / 512, "Height": 104 / 512}
TEXT_PANEL = (16, 436, 300, 56)
PHOTO_TEXT = "Mission STS-93"
TEXT_BOX = {
    "Left": TEXT_PANEL[0] / 512,
    "Top": TEXT_PANEL[1] / 512,
    "Width": TEXT_PANEL[2] / 512,
    "Height": TEXT_PANEL[3] / 512,
}


@pytest.fixture(scope="session")
def picture_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A photograph with a face and a line of text, in an image upload's folder with its view."""
    from skimage import data as photographs  # public-domain pictures shipped in the wheel

    media = tmp_path_factory.mktemp("report-picture-media")
    out = tmp_path_factory.mktemp("report-picture")
    source = Path(photographs.__file__).parent / "astronaut.png"
    picture = make_labelled_photo(source, media / "astronaut.jpg", PHOTO_TEXT, TEXT_PANEL)
    view = picture_view(
        "astronaut",
        text=[
            {"text": PHOTO_TEXT, "start": None, "end": None, "confidence": 98.7, "box": TEXT_BOX}
        ],
        faces=[{"start": None, "end": None, "confidence": 99.4, "box": FACE_BOX}],
    )
    folder = write_picture_folder(out / "astronaut", "astronaut", picture, view)
    return _report(out, folder.name)


@pytest.fixture(scope="session")
def audio_folder(succeeded_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken run's folder with its MP3 the only rendition and no picture analysed, as an
    audio upload's is."""
    out = tmp_path_factory.mktemp("report-audio")
    folder = out / "moods"
    shutil.copytree(succeeded_run, folder, ignore=shutil.ignore_patterns("report.html"))
    for kind in ("web", "phone", "gif", "vision"):
        shutil.rmtree(folder / "output" / kind, ignore_errors=True)
    return _report(out, "moods")


def _hex_to_rgb(value: str) -> str:
    digits = re.fullmatch(r"\s*#([0-9a-fA-F]{6})\s*", value)
    assert digits is not None, f"not a hex colour: {value!r}"
    red, green, blue = (int(digits.group(1)[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


@pytest.fixture
def rgb() -> Callable[[str], str]:
    """#dcf5e3 -> rgb(220, 245, 227), the way getComputedStyle reports a colour."""
    return _hex_to_rgb


# The names the people run enrols; the cameraman's is in another script.
PEOPLE = {"Eileen Collins": "Eileen Collins", "cameraman": "Кинооператор"}


@pytest.fixture(scope="session")
def people_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two people enrolled with `reelscribe faces add`, then, through `reelscribe run`, a clip
    of Eileen Collins, a stranger and the cameraman (tests.support.faces.PEOPLE_CLIP_TIMES)
    and a picture of her beside the stranger, each with its report."""
    from tests.support import faces

    media = tmp_path_factory.mktemp("report-people-media")
    out = tmp_path_factory.mktemp("report-people")
    for name, photo in (
        (PEOPLE["Eileen Collins"], faces.eileen_collins(media / "eileen.jpg")),
        (PEOPLE["cameraman"], faces.cameraman(media / "cameraman.jpg")),
    ):
        assert main(["faces", "add", name, str(photo), "--out", str(out)], io.StringIO()) == 0
    clip = faces.make_people_clip(media)
    picture = faces.eileen_collins_and_stranger(media / "pair.jpg")
    assert _run(clip, out) == 0
    assert _run(picture, out) == 0
    return {"video": _report(out, clip.stem), "picture": _report(out, picture.stem)}
