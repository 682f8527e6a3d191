"""`reelscribe serve` in Chromium: a word typed in the index's search box is found where it was
said, under its upload, and the hit opens the report at that moment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.test_report_browser import DESKTOP, PHONE
from tests.support.serving import serving

pytestmark = pytest.mark.slow

_AT = "(at) => Math.abs(document.getElementById('rs-web').currentTime - at) < 0.05"


@pytest.fixture(scope="module")
def served(succeeded_run: Path) -> Iterator[str]:
    """The spoken run's output folder, its library filled by `reelscribe run`, served."""
    with serving(succeeded_run.parent) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda error: opened.errors.append(str(error)))
        return opened

    yield open_
    for context in contexts:
        context.close()


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400px", "390px"])
def test_serve_search_word_found_under_its_upload_opens_report_at_its_moment(
    served: str, page: Any, viewport: dict[str, int]
) -> None:
    # Given the served index, and a word the video says in its second sentence
    tab = page(viewport)
    tab.goto(served + "index.html")
    # When it is searched from the index's search box
    tab.fill("#rs-q", "terrible")
    tab.click("form.search-form button[type=submit]")
    tab.wait_for_selector("article.hit")
    # Then the upload is the one hit, its moment said, with the word marked
    hits = tab.locator("article.hit")
    assert hits.count() == 1
    assert hits.locator("h2").inner_text() == "moods.mp4"
    moment = hits.locator("a.moment").first
    assert moment.locator(".kind").inner_text() == "said"
    assert moment.locator(".snippet b").inner_text().lower() == "terrible"
    assert "1 upload matches" in tab.locator("#rs-status").inner_text()
    assert tab.locator('#rs-facets input[name="kind"][value="transcript"]').count() == 1
    assert _fits(tab), "the search page scrolls sideways"
    tab.screenshot(path=str(_artifact(f"serve-search-{viewport['width']}")), full_page=True)
    href = moment.get_attribute("href")
    found = re.fullmatch(r"moods/report\.html#t=([0-9.]+)", href or "")
    assert found, href
    start = float(found[1])
    assert start > 2.0  # the second sentence, not the start of the video
    # And following it opens the report with the video at that moment
    moment.click()
    tab.wait_for_url(re.compile(r".*/moods/report\.html#t="))
    tab.wait_for_function(_AT, arg=start, timeout=15_000)
    assert tab.errors == []


def test_serve_search_facet_ticked_narrows_the_search(served: str, page: Any) -> None:
    # Given a search whose upload matches in what was said and in a key phrase
    tab = page(DESKTOP)
    tab.goto(served + "search.html?q=terrible")
    tab.wait_for_selector("article.hit")
    kinds = tab.locator("article.hit .moment .kind")
    assert sorted(kinds.all_inner_texts()) == ["key phrase", "said"]
    # When the kind "said" is ticked
    tab.check('#rs-facets input[name="kind"][value="transcript"]')
    # Then the search is asked again for that kind alone, and the address keeps it
    tab.wait_for_url(re.compile(r".*kind=transcript"))
    tab.wait_for_selector("article.hit")
    assert tab.locator('#rs-facets input[name="kind"][value="transcript"]').is_checked()
    assert kinds.all_inner_texts() == ["said"]
    assert tab.errors == []


def _artifact(name: str) -> Path:
    from tests.report.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
