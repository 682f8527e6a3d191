"""A link to a moment, report.html#t=SECONDS (as the library's search gives), opened in Chromium:
the report's player is sought there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import WINDOW

pytestmark = pytest.mark.slow

_AT = "(at) => Math.abs(document.getElementById('rs-web').currentTime - at) < 0.05"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=WINDOW)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.errors = errors
    yield opened
    context.close()


def _current_time(page: Any) -> float:
    return float(page.evaluate("document.getElementById('rs-web').currentTime"))


def test_report_hash_time_seeks_player_on_load_and_on_hash_change(
    succeeded_run: Path, page: Any
) -> None:
    # Given a report opened at a moment
    page.goto((succeeded_run / "report.html").resolve().as_uri() + "#t=3.5")
    # Then its video stands at that moment
    page.wait_for_function(_AT, arg=3.5, timeout=10_000)
    # And another moment's link, followed in the same page, seeks again
    page.evaluate("location.hash = '#t=1.25'")
    page.wait_for_function(_AT, arg=1.25, timeout=10_000)
    # A hash that is not a time leaves the player where it is
    page.evaluate("location.hash = '#t=soon'")
    page.wait_for_timeout(300)
    assert _current_time(page) == pytest.approx(1.25, abs=0.05)
    # A time past the end stops at the end
    page.evaluate("location.hash = '#t=99999'")
    duration = float(page.evaluate("document.getElementById('rs-web').duration"))
    page.wait_for_function(_AT, arg=duration, timeout=10_000)
    assert page.errors == []
