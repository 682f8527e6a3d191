"""The reports of a real succeeded run and a real failed run, opened from disk in Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

# The palette variable each status is drawn with (assets/report.css), and a state that ends in it.
FAILED_RUN_STATES = {
    "succeeded": ("Parse Upload", "--ok-fill"),
    "caught": ("Probe Media", "--caught-fill"),
    "failed": ("Pipeline Failed", "--fail-fill"),
    "not-reached": ("Plan Transcode", "--none-fill"),
}
H264_AAC = 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"'
# The window the issue was seen in, and a phone's screen in CSS pixels (the iPhone 12 to 15).
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
at_both_widths = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400px", "phone"])


def _fill(opened: Any, state: str) -> str:
    return str(
        opened.page.evaluate(
            "name => getComputedStyle(document.querySelector("
            '`svg.graph .node[data-state="${name}"] .shape`)).fill',
            state,
        )
    )


def _palette(opened: Any, variable: str) -> str:
    return str(
        opened.page.evaluate(
            "v => getComputedStyle(document.documentElement).getPropertyValue(v)", variable
        )
    )


def test_graph_failed_run_colours_each_outcome_by_status(
    failed_run: Path, open_report: Callable[[Path], Any], rgb: Callable[[str], str]
) -> None:
    opened = open_report(failed_run / "report.html")
    fills = {}
    for status, (state, variable) in FAILED_RUN_STATES.items():
        node = opened.page.locator(f'svg.graph .node[data-state="{state}"]')
        assert node.get_attribute("data-status") == status, state
        fills[status] = _fill(opened, state)
        assert fills[status] == rgb(_palette(opened, variable)), state
    assert len(set(fills.values())) == len(fills), f"two statuses share a colour: {fills}"
    # Colour is never alone: each state says what happened in words too.
    assert "Caught" in opened.page.locator('.node[data-state="Probe Media"]').text_content()
    assert "Not reached" in opened.page.locator('.node[data-state="Plan Transcode"]').text_content()


def test_graph_succeeded_run_shows_taken_path_and_poll_loops(
    succeeded_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(succeeded_run / "report.html")
    page = opened.page
    assert page.locator('.node[data-state="Video Processed"]').get_attribute("data-status") == (
        "succeeded"
    )
    assert page.locator('.node[data-state="Describe Failure"]').get_attribute("data-status") == (
        "not-reached"
    )
    # The poll loop ran more than once, and says so on the node.
    assert "×" in page.locator('.node[data-state="Wait for Transcode"]').text_content()
    # Every branch of the Parallel state is drawn, inside the Parallel's box.
    frame = page.locator('.node[data-state="Analyze Transcript"] .shape').bounding_box()
    for branch in ("Build Subtitles", "Detect Sentiment", "Detect Key Phrases", "Detect Entities"):
        box = page.locator(f'.node[data-state="{branch}"] .shape').bounding_box()
        assert frame["x"] < box["x"]
        assert box["x"] + box["width"] < frame["x"] + frame["width"]
        assert frame["y"] < box["y"] < frame["y"] + frame["height"]
    for origin, target in (
        ("Parse Upload", "Is It a Known Face?"),
        ("Is It a Known Face?", "Register Video"),
    ):
        taken = page.locator(f'path.edge.taken[data-from="{origin}"][data-to="{target}"]')
        assert taken.count() == 1, (origin, target)
    opened.screenshot("succeeded-report")


def test_panel_clicking_or_entering_a_state_shows_its_error_and_cause(
    failed_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(failed_run / "report.html")
    page = opened.page
    panel = page.locator("#rs-panel")
    page.locator('.node[data-state="Parse Upload"]').click()
    assert panel.locator("h3").inner_text() == "Parse Upload"
    page.locator('.node[data-state="Probe Media"]').focus()
    page.keyboard.press("Enter")
    assert panel.locator("h3").inner_text() == "Probe Media"
    text = panel.inner_text()
    assert "MediaConvert.BadRequestException" in text
    assert "not a video or audio file" in text
    assert page.locator('.node[data-state="Probe Media"]').get_attribute("aria-pressed") == "true"


def test_failed_report_top_names_failing_state_and_reason(
    failed_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(failed_run / "report.html")
    page = opened.page
    banner = page.locator("#failure")
    text = banner.inner_text()
    assert "Probe Media" in text
    assert "not a video or audio file" in text
    assert "MediaConvert.BadRequestException" in text
    box = banner.bounding_box()
    assert box["y"] < 400, "the failure must be read before anything else"
    assert box["y"] < page.locator("#graph").bounding_box()["y"]
    classes = page.locator('.node[data-state="Probe Media"]').get_attribute("class").split()
    assert {"culprit", "selected"} <= set(classes)
    assert "FAILED HERE" in page.locator('.node[data-state="Probe Media"]').text_content()
    opened.screenshot("failed-report")


def test_video_subtitle_track_from_disk_loads_cues(
    succeeded_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(succeeded_run / "report.html")
    page = opened.page
    track = page.locator("video#rs-web track")
    assert track.get_attribute("kind") == "subtitles"
    assert track.get_attribute("src") == "output/subtitles/moods.vtt"
    assert track.get_attribute("default") is not None
    page.evaluate("document.getElementById('rs-web').textTracks[0].mode = 'showing'")
    page.wait_for_function(
        "() => { const t = document.getElementById('rs-web').textTracks[0];"
        " return t.cues !== null && t.cues.length > 0; }",
        timeout=10_000,
    )
    first = page.evaluate("document.getElementById('rs-web').textTracks[0].cues[0].text")
    assert first.strip()


def test_video_web_rendition_in_chromium_loads_and_plays(
    succeeded_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(succeeded_run / "report.html")
    page = opened.page
    support = page.evaluate(f"document.getElementById('rs-web').canPlayType('{H264_AAC}')")
    if not support:
        pytest.skip("this Chromium build has no H.264/AAC decoder (proprietary codecs off)")
    page.wait_for_function(
        "() => { const v = document.getElementById('rs-web');"
        " return v.readyState >= 1 && v.duration > 0; }",
        timeout=10_000,
    )
    page.evaluate("document.getElementById('rs-web').muted = true")
    page.evaluate("document.getElementById('rs-web').play()")
    page.wait_for_function("() => document.getElementById('rs-web').currentTime > 0.2")
    assert page.evaluate("document.getElementById('rs-web').error") is None


def test_transcript_clicking_a_sentence_seeks_video_to_its_start(
    succeeded_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(succeeded_run / "report.html")
    page = opened.page
    positive = page.locator("button.sentence.sentiment-POSITIVE").first
    negative = page.locator("button.sentence.sentiment-NEGATIVE").first
    assert "love" in positive.inner_text().lower()
    assert "broken" in negative.inner_text().lower()
    shade = "el => getComputedStyle(el).backgroundColor"
    assert positive.evaluate(shade) != negative.evaluate(shade)
    assert "Negative" in negative.inner_text()  # a text label, not colour alone
    start = float(negative.get_attribute("data-seek") or "nan")
    assert start > 0.5
    page.evaluate("document.getElementById('rs-web').muted = true")
    page.evaluate(
        "() => { const v = document.getElementById('rs-web');"
        " v.addEventListener('seeked', () => { window.seekedAt = v.currentTime; },"
        " { once: true }); }"
    )
    negative.click()
    page.wait_for_function("() => window.seekedAt !== undefined", timeout=10_000)
    assert abs(page.evaluate("window.seekedAt") - start) <= 0.5


def test_report_opened_from_disk_requests_only_local_files(
    succeeded_run: Path, open_report: Callable[[Path], Any]
) -> None:
    opened = open_report(succeeded_run / "report.html")
    page = opened.page
    page.evaluate("document.getElementById('rs-web').muted = true")
    page.locator("button.sentence").first.click()
    page.locator('.node[data-state="Detect Sentiment"]').click()
    page.wait_for_timeout(500)
    assert opened.requests, "the page itself should have been requested"
    outside = [url for url in opened.requests if not url.startswith("file://")]
    assert outside == []
    assert not [m for m in opened.console if "Content Security Policy" in m]


def test_index_with_both_runs_links_each_report(
    succeeded_run: Path, failed_run: Path, open_report: Callable[[Path], Any]
) -> None:
    for folder, status in ((succeeded_run, "Succeeded"), (failed_run, "Failed")):
        opened = open_report(folder.parent / "index.html")
        page = opened.page
        row = page.locator("table.runs tbody tr").first
        assert status in row.inner_text()
        if status == "Failed":
            assert "Probe Media" in row.inner_text()
        opened.screenshot(f"index-{status.lower()}")
        row.locator("a").click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/{folder.name}/report.html")


def test_graph_and_page_fit_a_desktop_window_without_scrolling_sideways(
    succeeded_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given the report of a run in a desktop window
    opened = open_report(succeeded_run / "report.html", DESKTOP)
    page = opened.page
    # Then the whole state machine, the Parallel's branches and the failure branch on its
    # right included, is inside its box, and nothing on the page runs past the screen (on a
    # phone the drawing keeps a readable size and pans in its frame instead: see
    # test_report_layout_browser.py)
    box = page.locator(".graph-scroll").bounding_box()
    rightmost = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('svg.graph .node')]"
        ".map(n => n.getBoundingClientRect().right))"
    )
    sideways = page.evaluate(
        "(s => s.scrollWidth - s.clientWidth)(document.querySelector('.graph-scroll'))"
    )
    assert rightmost <= box["x"] + box["width"]
    assert sideways <= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    opened.screenshot(f"fit-{DESKTOP['width']}px")


@at_both_widths
def test_video_portrait_web_rendition_fits_the_window_height(
    portrait_run: Path, open_report: Callable[..., Any], viewport: dict[str, int]
) -> None:
    # Given the report of an upright clip, once the browser knows the video's size
    opened = open_report(portrait_run / "report.html", viewport)
    page = opened.page
    if not page.evaluate(f"document.getElementById('rs-web').canPlayType('{H264_AAC}')"):
        pytest.skip("this Chromium build has no H.264/AAC decoder (proprietary codecs off)")
    page.wait_for_function("() => document.getElementById('rs-web').readyState >= 1")
    assert page.evaluate("(v => v.videoHeight > v.videoWidth)(document.getElementById('rs-web'))")
    # Then the player is no taller than the window and no wider than the screen
    box = page.locator("#rs-web").bounding_box()
    assert box["height"] <= viewport["height"]
    assert box["x"] + box["width"] <= viewport["width"]
    opened.screenshot(f"portrait-{viewport['width']}px")


def test_index_on_a_phone_fits_the_screen(
    failed_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given the index of a batch with a failure and its reason, on a phone
    opened = open_report(failed_run.parent / "index.html", PHONE)
    page = opened.page
    # Then no column runs off the screen, and each value still says what it is
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row = page.locator("table.runs tbody tr").first
    assert "Probe Media" in row.inner_text()
    opened.screenshot("index-phone")
