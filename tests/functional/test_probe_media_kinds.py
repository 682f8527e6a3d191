"""The emulated MediaConvert Probe on audio files and pictures, as the service answers: an audio
file is a container of audio tracks only, and a picture is no container Probe reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelscribe.runtime.local import LocalRuntime
from tests.support.audio_files import make_speech_audio
from tests.support.images import make_photo
from tests.support.media import espeak_available

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(ROOT / "template.yaml") as local:
        yield local


def _put(runtime: LocalRuntime, path: Path) -> str:
    key = f"u/{path.name}"
    runtime.s3.put_object(Bucket=runtime.upload_bucket, Key=key, Body=path.read_bytes())
    return f"s3://{runtime.upload_bucket}/{key}"


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the test speech")
@pytest.mark.parametrize(
    ("name", "format_", "codec"),
    [("talk.mp3", "mp3", "MP3"), ("memo.m4a", "mp4", "AAC"), ("take.flac", "flac", "FLAC")],
)
def test_probe_audio_file_reports_audio_tracks_only(
    runtime: LocalRuntime, tmp_path: Path, name: str, format_: str, codec: str
) -> None:
    source = _put(runtime, make_speech_audio(tmp_path / name, "One two three."))
    client = runtime.session.client("mediaconvert")

    (result,) = client.probe(InputFiles=[{"FileUrl": source}])["ProbeResults"]

    assert result["Container"]["Format"] == format_
    assert [t["TrackType"] for t in result["Container"]["Tracks"]] == ["audio"]
    assert result["Container"]["Tracks"][0]["Codec"] == codec
    assert result["TrackMappings"][0]["VideoTrackIndexes"] == []
    assert result["TrackMappings"][0]["AudioTrackIndexes"] == [1]
    assert result["Metadata"]["MimeType"].startswith("audio/")


def test_probe_picture_is_bad_request_as_probe_reads_no_picture_format(
    runtime: LocalRuntime, tmp_path: Path
) -> None:
    source = _put(runtime, make_photo(tmp_path / "photo.jpg"))
    client = runtime.session.client("mediaconvert")

    with pytest.raises(client.exceptions.BadRequestException, match="not one MediaConvert reads"):
        client.probe(InputFiles=[{"FileUrl": source}])
