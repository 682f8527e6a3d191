"""`reelscribe search` and `reelscribe reindex` in-process, as a user types them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reelscribe.cli import main
from tests.support.library import index_two_users

ROOT = Path(__file__).resolve().parents[2]


def _search(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["search", *args], stream=out), out.getvalue()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """An output folder whose library holds two users' uploads."""
    return index_two_users(tmp_path, ROOT / "template.yaml")


def test_search_cli_prints_hits_by_upload_with_time_kind_and_marked_words(library: Path) -> None:
    code, text = _search("ferries", "--out", str(library), "--user", "alice")
    assert code == 0, text
    assert '1 upload match "ferries"' in text
    assert "v1.mp4  (alice, video)" in text
    assert "0:12.3  said        The [ferries] leave at <midnight> & dawn." in text
    assert "bob" not in text.split("kinds:")[0]


def test_search_cli_json_has_the_documented_shape(library: Path) -> None:
    code, text = _search("ferries", "--out", str(library), "--json", "--kind", "transcript")
    found = json.loads(text)
    assert code == 0
    assert set(found) >= {"query", "total", "hits", "facets"}
    assert found["total"] == 2
    assert set(found["facets"]) == {"kind", "user", "mediaKind", "language"}
    assert found["facets"]["user"] == {"alice": 1, "bob": 1}
    moment = next(h for h in found["hits"] if h["videoId"] == "v2")["moments"][0]
    assert set(moment) >= {"kind", "start", "end", "text", "highlight", "link"}
    assert moment["start"] == 65.0
    # The highlight is HTML: the text escaped, the matched word in <b>
    alice = next(h for h in found["hits"] if h["videoId"] == "v1")["moments"][0]
    assert "&lt;midnight&gt; &amp; dawn" in alice["highlight"]
    assert "<b>ferries</b>" in alice["highlight"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "the query is empty"),
        (["ferries", "--limit", "0"], "limit"),
        (["ferries", "--out", "/nonexistent/library"], "no such folder"),
    ],
)
def test_search_cli_bad_use_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path)]
    code, _ = _search(*args)
    errors = capsys.readouterr().err
    assert code == 2
    assert message in errors
    assert len(errors.strip().splitlines()) == 1
    assert "Traceback" not in errors


def test_reindex_cli_empty_folder_removes_what_no_folder_holds(library: Path) -> None:
    # Given a library whose uploads have no folders in the output folder
    out = io.StringIO()
    code = main(["reindex", "--out", str(library)], stream=out)
    # Then the rebuilt index holds none of them
    assert code == 0, out.getvalue()
    assert "indexed 0 moments of 0 uploads" in out.getvalue()
    assert "removed 2" in out.getvalue()
    assert _search("ferries", "--out", str(library))[1].startswith('0 uploads match "ferries"')
