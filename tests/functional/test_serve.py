"""`reelscribe serve`: the output folder's files, read-only, and /search answered by the Search
function's own handler, over HTTP on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.support.library import index_two_users
from tests.support.serving import serving

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = "the folder beside the library"
MEDIA = bytes(range(256)) * 40  # 10,240 bytes, each offset telling where it is


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with two users' uploads indexed, a media file, and beside it a folder
    it must not give away, linked to from inside."""
    base = tmp_path_factory.mktemp("serve")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(PRIVATE)
    out = base / "out"
    (out / "v1").mkdir(parents=True)
    (out / "v1" / "web.mp4").write_bytes(MEDIA)
    (out / "v1" / "link.txt").symlink_to(outside / "secret.txt")
    (out / "v1" / ".hidden.txt").write_text(PRIVATE)
    (out / "outside").symlink_to(outside, target_is_directory=True)
    return index_two_users(out, ROOT / "template.yaml")


@pytest.fixture(scope="module")
def url(out: Path) -> Iterator[str]:
    with serving(out) as address:
        yield address


def _get(url: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET the path exactly as written, as a hand-made request would send it."""
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/v1/%2E%2E/%2e%2e/outside/secret.txt",
        "/v1/..%2f..%2foutside%2fsecret.txt",
        "ABSOLUTE",
        "/v1/link.txt",
        "/outside/secret.txt",
        "/v1/.hidden.txt",
        "/.library/postgres/PG_VERSION",
        "/%2elibrary/postgres/PG_VERSION",
    ],
)
def test_serve_paths_outside_the_folder_or_hidden_are_not_found(
    out: Path, url: str, path: str
) -> None:
    if path == "ABSOLUTE":
        path = "/" + quote(str(out.parent / "outside" / "secret.txt"))
    assert (out / ".library" / "postgres" / "PG_VERSION").is_file()
    status, _, body = _get(url, path)
    assert status in (403, 404), (path, status)
    assert PRIVATE.encode() not in body
    assert not body.strip().isdigit()  # PG_VERSION holds the server's major version


def test_serve_media_range_gives_206_with_the_asked_bytes(url: str) -> None:
    status, headers, body = _get(url, "/v1/web.mp4")
    assert (status, headers["Content-Type"], body) == (200, "video/mp4", MEDIA)
    assert headers["Accept-Ranges"] == "bytes"
    status, headers, body = _get(url, "/v1/web.mp4", Range="bytes=1000-1999")
    assert status == 206
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(MEDIA)}"
    assert body == MEDIA[1000:2000]
    status, headers, body = _get(url, "/v1/web.mp4", Range="bytes=-24")
    assert (status, body) == (206, MEDIA[-24:])


def test_serve_search_is_answered_by_the_search_functions_handler(url: str) -> None:
    status, headers, body = _get(url, "/search?q=ferries&kind=transcript")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    found = json.loads(body)
    assert found["total"] == 2
    assert found["facets"]["user"] == {"alice": 1, "bob": 1}
    alice = next(hit for hit in found["hits"] if hit["videoId"] == "v1")
    (moment,) = alice["moments"]
    assert moment["start"] == 12.3
    assert moment["highlight"] == "The <b>ferries</b> leave at &lt;midnight&gt; &amp; dawn."
    # A filter goes through the query string as API Gateway passes it
    status, _, body = _get(url, "/search?q=ferries&user=bob")
    assert [hit["user"] for hit in json.loads(body)["hits"]] == ["bob"]
    # The function's own answer to a bad request, status and message
    status, _, body = _get(url, "/search?q=ferries&limit=0")
    assert status == 400
    assert "limit" in json.loads(body)["message"]
    status, _, body = _get(url, "/search")
    assert status == 400
    assert json.loads(body)["message"].startswith("q: give the words")


def test_serve_search_page_keeps_its_script_to_its_own_origin(url: str) -> None:
    status, headers, body = _get(url, "/search.html")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert b'<script src="search.js"></script>' in body
    assert _get(url, "/search.js")[0] == 200


def _serve(out: Path, port: str) -> subprocess.Popen[str]:
    shared = os.pathsep.join([str(ROOT / "src"), str(ROOT / "functions" / "shared")])
    return subprocess.Popen(
        [sys.executable, "-m", "reelscribe", "serve", "--out", str(out), "--port", port],
        env={**os.environ, "PYTHONPATH": shared},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_cli_port_in_use_exits_2_and_ctrl_c_exits_0(out: Path) -> None:
    # Given `reelscribe serve` on any free port
    first = _serve(out, "0")
    assert first.stdout is not None
    line = first.stdout.readline()
    try:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        assert _get(found[0], "/v1/web.mp4")[0] == 200
        # When a second one asks for the same port, it says so in one line
        second = _serve(out, found[1])
        _, errors = second.communicate(timeout=120)
        assert second.returncode == 2
        assert errors.strip().splitlines() == [
            f"reelscribe: error: --port {found[1]}: cannot listen on it (Address already in use)"
        ]
    finally:
        # And Ctrl-C stops the first cleanly
        first.send_signal(signal.SIGINT)
        _, errors = first.communicate(timeout=120)
    assert first.returncode == 0, errors
    assert "Traceback" not in errors
