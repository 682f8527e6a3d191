"""What is on screen, in the reports of real runs, opened from disk in Chromium: the filmstrip,
the boxes over the player and the picture, the review banner, and an audio file's player."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import FACE_BOX, TEXT_BOX
from tests.report.on_screen_media import SLIDE_TEXT, panel_box

pytestmark = pytest.mark.slow

H264 = 'video/mp4; codecs="avc1.42E01E"'
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


def _needs_h264(page: Any) -> None:
    if not page.evaluate(f"document.getElementById('rs-web').canPlayType('{H264}')"):
        pytest.skip("this Chromium build has no H.264 decoder (proprietary codecs off)")
    page.wait_for_function("() => document.getElementById('rs-web').readyState >= 1")


def _seek(page: Any, seconds: float) -> None:
    page.evaluate(
        "t => new Promise(done => { const v = document.getElementById('rs-web');"
        " v.addEventListener('seeked', () => done(), { once: true }); v.currentTime = t; })",
        seconds,
    )


def _close(found: dict[str, float], expected: dict[str, float], slack: float = 1.5) -> None:
    for key in ("x", "y", "width", "height"):
        assert abs(found[key] - expected[key]) <= slack, (key, found, expected)


def _inside(outer: dict[str, float], box: dict[str, float]) -> dict[str, float]:
    """Where a Rekognition box falls on screen, over a picture drawn at `outer`."""
    return {
        "x": outer["x"] + box["Left"] * outer["width"],
        "y": outer["y"] + box["Top"] * outer["height"],
        "width": box["Width"] * outer["width"],
        "height": box["Height"] * outer["height"],
    }


def _view(folder: Path) -> dict[str, Any]:
    """The merged view the report was drawn from."""
    (found,) = (folder / "output" / "vision").glob("*.json")
    view: dict[str, Any] = json.loads(found.read_text(encoding="utf-8"))
    return view


def test_filmstrip_clicking_a_shot_seeks_the_player_to_its_start(
    on_screen_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given the report of a clip cut at 2 s and 4 s, black until 4.5 s, then a slide
    opened = open_report(on_screen_run / "report.html")
    page = opened.page
    view = _view(on_screen_run)
    poster = page.locator("#rs-web").get_attribute("poster") or ""
    assert (on_screen_run / poster).is_file()
    _needs_h264(page)
    # Each of the view's shots is on the strip, a cut within two frames of each cut made
    shots = page.locator(".lane.shots button.shot")
    starts = [float(s) for s in shots.evaluate_all("s => s.map(b => b.dataset.seek)")]
    assert starts == [round(shot["start"], 3) for shot in view["shots"]]
    for cut in (2.0, 4.0):
        assert min(abs(start - cut) for start in starts) <= 2 / 25, (cut, starts)
    # And shows its own thumbnail, cut from the video, where its shot starts along the strip
    strip = page.locator(".lane.shots").bounding_box()
    span = float(page.locator(".strip").get_attribute("data-span") or "nan")
    assert 7.0 <= span < 7.2  # the video's length
    last = shots.last
    last.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.lane.shots img')].every(i => i.complete"
        " && i.naturalWidth > 0)"
    )
    assert page.locator(".lane.shots img").count() == len(starts)
    assert abs(last.bounding_box()["x"] - (strip["x"] + strip["width"] * starts[-1] / span)) <= 1
    # When the last shot (the slide) is clicked
    page.evaluate("document.getElementById('rs-web').muted = true")
    page.evaluate(
        "() => { const v = document.getElementById('rs-web'); v.addEventListener('seeked',"
        " () => { window.seekedAt = v.currentTime; }, { once: true }); }"
    )
    last.click()
    page.wait_for_function("() => window.seekedAt !== undefined", timeout=10_000)
    # Then the player is at the shot's start, and the shot is marked as the one playing
    assert abs(page.evaluate("window.seekedAt") - starts[-1]) <= 0.1
    page.evaluate("document.getElementById('rs-web').pause()")
    _seek(page, starts[-1] + 0.3)
    assert last.get_attribute("aria-current") == "true"
    opened.screenshot("on-screen-filmstrip")


def test_player_text_box_shows_over_the_slide_only_while_it_is_on_screen(
    on_screen_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given the report of the clip whose slide (from 4.5 s) holds a line of text on a panel
    opened = open_report(on_screen_run / "report.html")
    page = opened.page
    _needs_h264(page)
    line = next(t for t in _view(on_screen_run)["text"] if "Quarterly" in t["text"])
    assert line["start"] >= 4.0
    box = page.locator(".stage .box.text", has_text=line["text"])
    # When the player is before the slide, the box is not drawn
    _seek(page, 1.0)
    assert not box.is_visible()
    # When it is on the slide, the box is drawn where the view puts it, over the picture, and
    # that is on the slide's panel
    _seek(page, (line["start"] + line["end"]) / 2)
    assert box.is_visible()
    assert SLIDE_TEXT in box.inner_text()
    video = page.locator("#rs-web").bounding_box()
    size = page.evaluate("(v => [v.videoWidth, v.videoHeight])(document.getElementById('rs-web'))")
    scale = min(video["width"] / size[0], video["height"] / size[1])
    shown = {
        "x": video["x"] + (video["width"] - size[0] * scale) / 2,
        "y": video["y"] + (video["height"] - size[1] * scale) / 2,
        "width": size[0] * scale,
        "height": size[1] * scale,
    }
    drawn = box.bounding_box()
    _close(drawn, _inside(shown, line["box"]))
    panel = _inside(shown, panel_box())
    centre = (drawn["x"] + drawn["width"] / 2, drawn["y"] + drawn["height"] / 2)
    assert panel["x"] < centre[0] < panel["x"] + panel["width"]
    assert panel["y"] < centre[1] < panel["y"] + panel["height"]
    opened.screenshot("on-screen-text-box")


def test_review_banner_flagged_video_names_labels_and_clean_video_has_none(
    on_screen_run: Path, flagged_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given the same clip, once with nothing flagged and once with a label over the threshold
    clean = open_report(on_screen_run / "report.html").page
    flagged = open_report(flagged_run / "report.html").page
    # Then only the flagged video has the banner, near the top, naming the label and confidence
    assert _view(on_screen_run)["needsReview"] is False
    assert clean.locator("#review").count() == 0
    banner = flagged.locator("#review")
    assert banner.is_visible()
    assert "Explicit Nudity" in banner.inner_text()
    assert "91.5%" in banner.inner_text()
    assert banner.bounding_box()["y"] < flagged.locator("#graph").bounding_box()["y"]
    # And the moderation list gives the label with its time, which seeks the player
    item = flagged.locator("#vision-moderation button.found-item", has_text="Explicit Nudity")
    assert "0:02–0:04" in item.inner_text()
    assert item.get_attribute("data-seek") == "2.000"


def test_branches_unavailable_locally_say_so_with_their_reason(
    on_screen_run: Path, open_report: Callable[..., Any]
) -> None:
    page = open_report(on_screen_run / "report.html").page
    for kind in ("labels", "celebrities"):
        text = page.locator(f"#vision-{kind}").inner_text()
        assert "Not available." in text
        assert "no offline model" in text
    assert "None found." in page.locator("#vision-faces").inner_text()
    assert "BlackFrames" in page.locator("#vision-cues").inner_text()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400px", "phone"])
def test_picture_boxes_sit_over_the_face_and_the_text(
    picture_folder: Path, open_report: Callable[..., Any], viewport: dict[str, int]
) -> None:
    # Given the report of a photograph with a face and a line of text, on a desktop or a phone
    opened = open_report(picture_folder / "report.html", viewport)
    page = opened.page
    page.wait_for_function("() => document.getElementById('rs-picture').naturalWidth > 0")
    picture = page.locator("#rs-picture").bounding_box()
    view = _view(picture_folder)
    (face,) = view["faces"]
    line = next(t for t in view["text"] if "Mission" in t["text"])
    # Then each box is drawn where the view says, over the picture as it is shown
    face_box = page.locator(".stage .box.faces").bounding_box()
    text_box = page.locator(".stage .box.text", has_text=line["text"]).bounding_box()
    _close(face_box, _inside(picture, face["box"]))
    _close(text_box, _inside(picture, line["box"]))
    # And that is over the face and over the panel the text was drawn on
    for drawn, region in ((face_box, FACE_BOX), (text_box, TEXT_BOX)):
        where = _inside(picture, region)
        assert where["x"] < drawn["x"] + drawn["width"] / 2 < where["x"] + where["width"]
        assert where["y"] < drawn["y"] + drawn["height"] / 2 < where["y"] + where["height"]
    assert line["text"] in page.locator("#vision-text").inner_text()
    # And a picture has no player, filmstrip, transcript or sentiment
    assert page.locator("video, audio, .strip").count() == 0
    assert page.locator("#transcript, #sentiment").count() == 0
    assert picture["x"] + picture["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    opened.screenshot(f"picture-boxes-{viewport['width']}px")


def test_audio_folder_plays_in_an_audio_player_and_sentences_seek_it(
    audio_folder: Path, open_report: Callable[..., Any]
) -> None:
    # Given the report of a spoken recording with an MP3 only
    opened = open_report(audio_folder / "report.html")
    page = opened.page
    # Then the player is an <audio> element, and no empty video panel is left
    assert page.locator("audio#rs-audio").count() == 1
    assert page.locator("video, #vision, .media-grid figure:has-text('Web rendition')").count() == 0
    assert page.locator("#media figure").count() == 1
    # When a sentence is clicked, the audio plays from it and the subtitle under it shows
    sentence = page.locator("button.sentence").nth(1)
    start = float(sentence.get_attribute("data-seek") or "nan")
    page.evaluate("document.getElementById('rs-audio').muted = true")
    sentence.click()
    page.wait_for_function(
        "t => Math.abs(document.getElementById('rs-audio').currentTime - t) < 0.6", arg=start
    )
    page.wait_for_function("() => document.getElementById('rs-caption').textContent.length > 0")
    opened.screenshot("audio-report")


def test_on_screen_report_on_a_phone_scrolls_only_the_filmstrip(
    flagged_run: Path, open_report: Callable[..., Any]
) -> None:
    opened = open_report(flagged_run / "report.html", PHONE)
    page = opened.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scroller = page.locator(".strip-scroll").bounding_box()
    assert scroller["x"] + scroller["width"] <= PHONE["width"]
    assert page.locator("#review").bounding_box()["width"] <= PHONE["width"]
    outside = [url for url in opened.requests if not url.startswith("file://")]
    assert outside == []
    opened.screenshot("on-screen-phone")


def test_index_shows_each_video_poster_as_its_thumbnail(
    on_screen_run: Path, open_report: Callable[..., Any]
) -> None:
    page = open_report(on_screen_run.parent / "index.html").page
    thumb = page.locator("table.runs img.thumb")
    assert thumb.get_attribute("src") == "cuts/output/vision/cuts-poster.jpg"
    page.wait_for_function("() => document.querySelector('img.thumb').naturalWidth > 0")
