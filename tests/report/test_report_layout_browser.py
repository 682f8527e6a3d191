"""The report's layout as a person sees it, at a desktop window and on a phone: the result
first, the execution after it, and nothing overlapping, cut off or too small to read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reelscribe.results.folder import VideoFolder

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1400, "height": 1000}
TALL = {"width": 1400, "height": 1800}
PHONE = {"width": 390, "height": 844}
at_both_widths = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400px", "phone"])
RESULT_FIRST = ("media", "vision", "transcript", "sentiment")
EXECUTION = ("graph", "timeline")


def _tops(page: Any) -> dict[str, float]:
    found: dict[str, float] = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('section.card')]"
        ".map(s => [s.id, s.getBoundingClientRect().top + window.scrollY]))"
    )
    return found


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        outer["x"] - 0.5 <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and outer["y"] - 0.5 <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


@at_both_widths
@pytest.mark.parametrize("upload", ["succeeded_run", "audio_folder", "picture_folder"])
def test_report_of_each_kind_of_upload_leads_with_the_result_and_links_the_execution(
    upload: str,
    viewport: dict[str, int],
    request: pytest.FixtureRequest,
    open_report: Callable[..., Any],
) -> None:
    # Given a video's, an audio file's and a picture's report
    folder: Path = request.getfixturevalue(upload)
    opened = open_report(folder / "report.html", viewport)
    page = opened.page
    tops = _tops(page)
    # Then what was uploaded comes before how it ran, and the player starts on the first screen
    result = [tops[key] for key in RESULT_FIRST if key in tops]
    assert result, tops
    assert max(result) < min(tops[key] for key in EXECUTION)
    player = page.locator("#rs-web, .media-grid audio, .stage.picture img").first
    assert player.bounding_box()["y"] < viewport["height"]
    # And the execution is one click away in the contents
    link = page.locator('nav.toc a[href="#graph"]')
    link.click()
    page.wait_for_timeout(300)
    graph = page.locator("#graph").bounding_box()
    assert -2 <= graph["y"] < viewport["height"] / 2
    opened.screenshot(f"{upload}-{viewport['width']}px")


@at_both_widths
def test_graph_map_frame_head_keeps_name_and_status_apart_inside_it(
    succeeded_run: Path, viewport: dict[str, int], open_report: Callable[..., Any]
) -> None:
    opened = open_report(succeeded_run / "report.html", viewport)
    node = opened.page.locator('.node[data-state="Start Video Analysis"]')
    node.scroll_into_view_if_needed()
    frame = node.locator(".shape").first.bounding_box()
    name = node.locator("text.name").first.bounding_box()
    status = node.locator("text.status-line").first.bounding_box()
    assert not _overlap(name, status)
    assert _inside(name, frame)
    assert _inside(status, frame)


def test_graph_state_whose_map_iterations_ended_differently_counts_each(
    succeeded_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given a run whose labels and celebrities jobs could not start locally (caught), while the
    # other kinds' jobs started
    runs = [r for r in VideoFolder.load(succeeded_run).states if r.name == "Start Vision Job"]
    caught = sum(1 for r in runs if r.status.name == "CAUGHT")
    assert 0 < caught < len(runs)
    # Then the node says how many of its runs were caught, not that all of them were
    opened = open_report(succeeded_run / "report.html")
    line = opened.page.locator('.node[data-state="Start Vision Job"] text.status-line')
    text = line.text_content() or ""
    assert re.search(rf"Caught {caught} of {len(runs)}\b", text), text


@pytest.mark.parametrize(
    "viewport", [DESKTOP, TALL, PHONE], ids=["1400x1000", "1400x1800", "phone"]
)
def test_video_portrait_player_and_its_controls_fit_under_the_contents_bar(
    portrait_run: Path, viewport: dict[str, int], open_report: Callable[..., Any]
) -> None:
    opened = open_report(portrait_run / "report.html", viewport)
    page = opened.page
    page.wait_for_function("() => document.getElementById('rs-web').readyState >= 1")
    # Given the player scrolled to just under the sticky contents bar
    bar = page.locator("nav.toc").bounding_box()["height"]
    page.evaluate(
        "bar => window.scrollTo(0, document.getElementById('rs-web').getBoundingClientRect().top"
        " + window.scrollY - bar)",
        bar,
    )
    box = page.locator("#rs-web").bounding_box()
    # Then the whole player, its controls along its bottom edge included, is on the screen
    assert box["y"] >= bar - 1
    assert box["y"] + box["height"] <= viewport["height"]
    assert box["x"] + box["width"] <= viewport["width"]
    opened.screenshot(f"portrait-player-{viewport['width']}x{viewport['height']}")


@at_both_widths
def test_timeline_shows_every_state_time_whole_and_its_bars_in_view(
    succeeded_run: Path, viewport: dict[str, int], open_report: Callable[..., Any]
) -> None:
    opened = open_report(succeeded_run / "report.html", viewport)
    page = opened.page
    drawn = page.locator("svg.timeline:visible")
    assert drawn.count() == 1
    drawn.scroll_into_view_if_needed()
    frame = page.locator(".timeline-scroll:visible").bounding_box()
    rows = drawn.locator(".row")
    assert rows.count() > 10
    for index in range(rows.count()):
        row = rows.nth(index)
        # Every time is whole inside the visible frame, and so is every bar
        assert _inside(row.locator("text.runs").bounding_box(), frame), index
        for bar in row.locator("rect.bar").all():
            box = bar.bounding_box()
            assert frame["x"] - 0.5 <= box["x"] <= frame["x"] + frame["width"], index
    # And the times are large enough to read
    height = rows.first.locator("text.runs").bounding_box()["height"]
    assert height >= 9
    opened.screenshot(f"timeline-{viewport['width']}px")


def test_graph_on_a_phone_is_readable_and_opens_on_the_first_state(
    succeeded_run: Path, open_report: Callable[..., Any]
) -> None:
    opened = open_report(succeeded_run / "report.html", PHONE)
    page = opened.page
    scroller = page.locator(".graph-scroll")
    scroller.scroll_into_view_if_needed()
    frame = scroller.bounding_box()
    first = page.locator('.node[data-state="Parse Upload"]')
    # The state names are drawn at a size that can be read (12.5 px in the drawing's units)
    assert first.locator("text.name").first.bounding_box()["height"] >= 11
    # And the frame opens with the first state in it, not the empty corner of the drawing
    assert _inside(first.locator(".shape").bounding_box(), frame)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    opened.screenshot("graph-phone")


def test_notice_for_map_state_caught_in_some_runs_counts_them_and_gives_every_reason(
    succeeded_run: Path, open_report: Callable[..., Any]
) -> None:
    # Given a run whose labels and celebrities jobs could not start locally, each for its reason
    runs = [r for r in VideoFolder.load(succeeded_run).states if r.name == "Start Vision Job"]
    causes = {r.cause for r in runs if r.error}
    assert len(causes) == 2
    # Then the note says in how many runs it was caught, and gives both reasons
    opened = open_report(succeeded_run / "report.html")
    notice = opened.page.locator("section.notice")
    line = " ".join(notice.locator("summary").first.inner_text().split())
    assert f"Start Vision Job failed and was handled in 2 of {len(runs)} runs" in line
    # And, opened, the note gives both reasons
    notice.locator("summary").first.click(position={"x": 300, "y": 5})
    reasons = notice.locator("ul.reasons").first.inner_text()
    assert "Label detection" in reasons
    assert "Celebrity recognition" in reasons
