"""Enrolled people in the reports of real runs, opened from disk in Chromium at a desktop's
and a phone's width: a People row on the filmstrip names each person where they appear, and a
face's box carries the name of the person it matched, over the player and over the picture;
the stranger's face is named nowhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import PEOPLE
from tests.support.faces import PEOPLE_CLIP_TIMES

pytestmark = pytest.mark.slow

VIEWPORTS = [{"width": 1400, "height": 1000}, {"width": 390, "height": 844}]
H264 = 'video/mp4; codecs="avc1.42E01E"'
NAMES = set(PEOPLE.values())


def _seek(page: Any, seconds: float) -> None:
    page.evaluate(
        "t => new Promise(done => { const v = document.getElementById('rs-web');"
        " v.addEventListener('seeked', () => done(), { once: true }); v.currentTime = t; })",
        seconds,
    )


def _shown_labels(page: Any) -> list[str]:
    labels = page.locator(".stage .box .box-label")
    return [labels.nth(i).inner_text() for i in range(labels.count()) if labels.nth(i).is_visible()]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_people_row_names_each_person_only_where_they_appear(
    people_runs: dict[str, Path], open_report: Callable[..., Any], viewport: dict[str, int]
) -> None:
    # Given the report of the clip: Eileen Collins, then a stranger, then the cameraman
    opened = open_report(people_runs["video"] / "report.html", viewport)
    page = opened.page
    strip = page.locator(".strip")
    span = float(strip.get_attribute("data-span") or "nan")
    row = page.locator(".lane.track.face_search")
    # Then the filmstrip has a People row, whose marks each show a person's name
    assert row.get_attribute("aria-label") == "People"
    marks = row.locator(".mark")
    assert marks.count() >= 2
    seen: dict[str, list[tuple[float, float]]] = {}
    for i in range(marks.count()):
        mark = marks.nth(i)
        mark.scroll_into_view_if_needed()
        name = mark.locator(".mark-name")
        assert name.is_visible()
        drawn = mark.bounding_box()
        strip_box = strip.bounding_box()
        start = (drawn["x"] - strip_box["x"]) / strip_box["width"] * span
        end = (drawn["x"] + drawn["width"] - strip_box["x"]) / strip_box["width"] * span
        seen.setdefault(name.inner_text(), []).append((start, end))
    assert set(seen) == NAMES
    # And each name is on the row only while that person is on screen, never over the stranger
    for who, name in PEOPLE.items():
        shown_from, shown_to = PEOPLE_CLIP_TIMES[who]
        for start, end in seen[name]:
            assert shown_from - 0.2 <= start, (name, start, end)
            assert end <= shown_to + 0.6, (name, start, end)
    stranger_from, stranger_to = PEOPLE_CLIP_TIMES["stranger"]
    for spans in seen.values():
        for start, end in spans:
            assert end <= stranger_from + 0.6 or start >= stranger_to - 0.2
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    opened.screenshot(f"people-row-{viewport['width']}px")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_player_face_box_carries_the_name_only_while_that_person_is_shown(
    people_runs: dict[str, Path], open_report: Callable[..., Any], viewport: dict[str, int]
) -> None:
    opened = open_report(people_runs["video"] / "report.html", viewport)
    page = opened.page
    if not page.evaluate(f"document.getElementById('rs-web').canPlayType('{H264}')"):
        pytest.skip("this Chromium build has no H.264 decoder (proprietary codecs off)")
    page.wait_for_function("() => document.getElementById('rs-web').readyState >= 1")
    page.locator("#rs-web").scroll_into_view_if_needed()
    # Before it plays, the poster (a frame of the longest shot) shows, and no one is named on it
    assert page.locator("#rs-web").get_attribute("poster")
    assert NAMES.isdisjoint(_shown_labels(page))
    # When the player shows each of them in turn, the face's box is named for who it is
    for who in ("Eileen Collins", "stranger", "cameraman"):
        shown_from, shown_to = PEOPLE_CLIP_TIMES[who]
        _seek(page, (shown_from + shown_to) / 2)
        labels = _shown_labels(page)
        assert labels, who  # a face box is drawn
        named = NAMES & set(labels)
        assert named == ({PEOPLE[who]} if who in PEOPLE else set()), (who, labels)
        if who in PEOPLE:
            box = page.locator(".stage .box.faces.person", has_text=PEOPLE[who])
            assert box.is_visible()
    opened.screenshot(f"people-player-{viewport['width']}px")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_picture_face_box_names_her_and_not_the_stranger(
    people_runs: dict[str, Path], open_report: Callable[..., Any], viewport: dict[str, int]
) -> None:
    # Given the report of a picture of Eileen Collins (left) beside the stranger (right)
    opened = open_report(people_runs["picture"] / "report.html", viewport)
    page = opened.page
    page.wait_for_function("() => document.getElementById('rs-picture').naturalWidth > 0")
    picture = page.locator("#rs-picture").bounding_box()
    # Then her face's box carries her name, on the picture's left half
    named = page.locator(".stage .box.faces.person")
    assert named.count() == 1
    assert named.locator(".box-label").inner_text() == PEOPLE["Eileen Collins"]
    assert named.locator(".box-label").is_visible()
    box = named.bounding_box()
    assert picture["x"] <= box["x"]
    assert box["x"] + box["width"] <= picture["x"] + picture["width"] / 2
    # And the stranger's face, on the right, is boxed without a name
    faces = page.locator(".stage .box.faces")
    assert faces.count() == 2
    other = page.locator(".stage .box.faces:not(.person)")
    assert other.locator(".box-label").inner_text().startswith("Face ")
    assert other.bounding_box()["x"] >= picture["x"] + picture["width"] / 2
    # And the People list names her alone
    listed = page.locator("#vision-face_search .what").all_inner_texts()
    assert listed == [PEOPLE["Eileen Collins"]]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    opened.screenshot(f"people-picture-{viewport['width']}px")
