"""What is on screen, read from a merged view into the page: no pipeline run and no browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from reelscribe.report import build_index, build_video_report, load_definition
from reelscribe.report.on_screen import filmstrip, review_banner
from reelscribe.report.vision_view import Branch, Shot, Vision, read_vision
from reelscribe.results import VideoFolder
from tests.report.on_screen_media import (
    make_slide_picture,
    panel_box,
    picture_view,
    write_picture_folder,
)

HOSTILE = '</script><script>alert("text")</script><img src=x onerror=alert(1)>'


def _picture_folder(root: Path, view: dict[str, Any]) -> Path:
    picture = make_slide_picture(root / "slide-source.jpg")
    return write_picture_folder(root / "out" / "slide", "slide", picture, view)


def test_page_text_read_from_a_picture_is_escaped(tmp_path: Path) -> None:
    # Given a picture whose text, labels and reasons try to break out of the page
    view = picture_view(
        "slide",
        text=[{"text": HOSTILE, "confidence": 97.0, "box": panel_box()}],
        faces=[],
    )
    view["branches"]["labels"]["reason"] = "<b>no model</b>"
    view["moderation"] = [{"name": "<i>Violence</i>", "parentName": "", "confidence": 85.0}]
    view["needsReview"] = True
    view["reviewLabels"] = ["<i>Violence</i>"]
    folder = _picture_folder(tmp_path, view)
    # When its report is written
    page = build_video_report(folder, load_definition()).read_text(encoding="utf-8")
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)
    # Then every word of it is text on the page, never markup
    assert '<script>alert("text")' not in markup
    assert "&lt;script&gt;alert(" in markup
    assert "<img src=x" not in markup
    assert "<b>no model</b>" not in markup
    assert "&lt;b&gt;no model&lt;/b&gt;" in markup
    assert "<i>Violence</i>" not in markup
    assert "&lt;i&gt;Violence&lt;/i&gt;" in markup
    assert page.count("<script") == page.count("</script>")
    # And the flagged picture says so at the top, with the label's confidence
    assert page.index('id="review"') < page.index('id="graph"')
    assert "85.0%" in page[page.index('id="review"') : page.index('id="graph"')]


def test_output_path_key_climbing_out_of_the_folder_finds_nothing(tmp_path: Path) -> None:
    folder = _picture_folder(tmp_path, picture_view("slide", text=[], faces=[]))
    (tmp_path / "out" / "secret.jpg").write_bytes(b"not for the page")
    video = VideoFolder.load(folder)
    assert video.output_path("output/web/alice/0123456789abcdef/slide.jpg") == (
        folder / "output" / "web" / "slide.jpg"
    )
    for key in (
        "output/web/alice/0123456789abcdef/../../../../secret.jpg",
        "output/../secret.jpg",
        "/etc/passwd",
        "output/web/alice/v/",
        42,
        None,
    ):
        assert video.output_path(key) is None, key


def test_vision_view_malformed_items_are_left_out_and_boxes_clipped(tmp_path: Path) -> None:
    # Given a view with a box that runs off the picture, one with words for numbers, and
    # times that are not times
    view = picture_view(
        "slide",
        text=[
            {"text": "edge", "box": {"Left": 0.9, "Top": -0.1, "Width": 0.3, "Height": 0.2}},
            {"text": "words", "box": {"Left": "a", "Top": 0, "Width": 1, "Height": 1}},
            {"text": "", "box": None},
            "not an item",
        ],
        faces=[{"start": -3, "end": "soon", "confidence": True, "box": None}],
    )
    view["branches"] = {"text": {"available": True}}
    folder = _picture_folder(tmp_path, view)
    vision = read_vision(VideoFolder.load(folder))
    assert vision is not None
    # Then what can be shown is, within the picture, and nothing is guessed
    edge, words = vision.found["text"]
    assert edge.box is not None
    assert (round(edge.box.left), round(edge.box.top), round(edge.box.width)) == (90, 0, 10)
    assert round(edge.box.height) == 10
    assert words.box is None
    (face,) = vision.found["faces"]
    assert (face.start, face.end, face.confidence) == (None, None, None)
    # And a branch the view does not mention is not claimed to have run
    assert vision.branches["faces"].available is False


def test_review_banner_names_labels_with_their_highest_confidence() -> None:
    vision = Vision(
        kind="video",
        branches={},
        needs_review=True,
        review=[("Explicit Nudity", 93.25), ("Violence", None)],
    )
    banner = review_banner(vision)
    assert banner is not None
    assert banner["labels"] == [("Explicit Nudity", "93.2%"), ("Violence", "")]
    assert review_banner(Vision(kind="video", branches={}, needs_review=False)) is None
    assert review_banner(None) is None


def test_review_labels_given_by_name_take_confidence_from_the_moderation_items(
    tmp_path: Path,
) -> None:
    view = picture_view("slide", text=[], faces=[])
    view["moderation"] = [
        {"name": "Violence", "confidence": 81.0},
        {"name": "Violence", "confidence": 88.5},
    ]
    view.update(needsReview=True, reviewLabels=["Violence", {"name": "Drugs", "confidence": 90}])
    vision = read_vision(VideoFolder.load(_picture_folder(tmp_path, view)))
    assert vision is not None
    assert vision.review == [("Violence", 88.5), ("Drugs", 90.0)]


def test_filmstrip_shortest_shot_gets_room_for_its_thumbnail() -> None:
    # Given a minute-long video with one shot of a second
    shots = [Shot(1, 0.0, 30.0, None), Shot(2, 30.0, 31.0, None), Shot(3, 31.0, 60.0, None)]
    available = {k: Branch(True) for k in ("text", "faces", "moderation")}
    available |= {k: Branch(False, "no") for k in ("shots", "labels", "celebrities")}
    strip = filmstrip(Vision(kind="video", branches=available, shots=shots), 60.0)
    # Then the strip is wide enough for it, and each shot sits at its time
    second = strip["shots"][1]
    assert second["width"] / 100 * strip["width"] >= 60
    assert abs(second["left"] - 50.0) < 1e-9
    # And the ruler's marks are a readable distance apart
    (first, at_first), (_, at_second) = strip["ticks"][:2]
    assert first == "0:00"
    assert (at_second - at_first) / 100 * strip["width"] >= 80


def test_folder_without_a_view_has_no_on_screen_section(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "execution").mkdir(parents=True)
    execution = {"executionArn": "arn:aws:states:us-east-1:1:execution:m:plain"}
    (folder / "execution" / "execution.json").write_text(json.dumps(execution))
    page = build_video_report(folder, load_definition()).read_text(encoding="utf-8")
    assert 'id="vision"' not in page
    assert 'id="review"' not in page
    assert 'id="transcript"' in page


def test_index_picture_without_a_poster_key_shows_its_web_rendition(tmp_path: Path) -> None:
    view = picture_view("slide", text=[], faces=[])
    view.pop("posterKey")
    folder = _picture_folder(tmp_path, view)
    build_video_report(folder, load_definition())
    page = build_index(folder.parent).read_text(encoding="utf-8")
    assert 'src="slide/output/web/slide.jpg"' in page
    assert "img-src &#39;self&#39; file: data:" in page


def test_index_picture_with_a_thumbnail_rendition_shows_the_thumbnail(tmp_path: Path) -> None:
    folder = _picture_folder(tmp_path, picture_view("slide", text=[], faces=[]))
    (folder / "output" / "thumbnail").mkdir()
    make_slide_picture(folder / "output" / "thumbnail" / "slide.jpg")
    page = build_index(folder.parent).read_text(encoding="utf-8")
    assert 'src="slide/output/thumbnail/slide.jpg"' in page


def test_outputs_fetched_from_s3_keep_vision_subfolders_the_view_names(tmp_path: Path) -> None:
    # Given a video's vision outputs in the output bucket, raw responses and thumbnails in
    # their subfolders, as the pipeline writes them on AWS
    import boto3
    from moto import mock_aws

    from reelscribe.results.writer import fetch_outputs

    video = {"userId": "alice", "videoId": "0123456789abcdef", "baseName": "clip"}
    prefix = "output/vision/alice/0123456789abcdef"
    view = {"mediaKind": "video", "posterKey": f"{prefix}/clip-poster.jpg"}
    view["shots"] = [
        {"index": 1, "start": 0.0, "end": 1.0, "thumbnailKey": f"{prefix}/shots/clip-001.jpg"}
    ]
    objects = {
        f"{prefix}/clip.json": json.dumps(view).encode(),
        f"{prefix}/raw/text.json": b"{}",
        f"{prefix}/shots/clip-001.jpg": b"jpeg",
        f"{prefix}/clip-poster.jpg": b"jpeg",
        "output/web/alice/0123456789abcdef/clip.mp4": b"mp4",
    }
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="out")
        for key, body in objects.items():
            s3.put_object(Bucket="out", Key=key, Body=body)
        # When the folder is fetched
        fetch_outputs(s3, "out", video, tmp_path)
    # Then the subfolders are kept, and the view's keys lead to the files
    assert (tmp_path / "output" / "vision" / "raw" / "text.json").is_file()
    folder = VideoFolder.load(tmp_path)
    vision = read_vision(folder)
    assert vision is not None
    assert vision.poster == "output/vision/clip-poster.jpg"
    assert [s.thumbnail for s in vision.shots] == ["output/vision/shots/clip-001.jpg"]


def test_picture_celebrity_found_on_aws_is_boxed_and_named(tmp_path: Path) -> None:
    # Given a picture analysed on AWS, where celebrity recognition runs
    view = picture_view("slide", text=[], faces=[])
    view["branches"]["celebrities"] = {"available": True}
    view["celebrities"] = [{"name": "Ada Lovelace", "confidence": 99.0, "box": panel_box()}]
    page = build_video_report(_picture_folder(tmp_path, view), load_definition())
    markup = page.read_text(encoding="utf-8")
    # Then the name is drawn over the picture in its box and listed, and the key names it
    assert re.search(
        r'class="box celebrities[^"]*"[^>]*>\s*<span class="box-label">Ada Lovelace', markup
    )
    assert '<span class="key celebrities">celebrities</span>' in markup
    assert (
        "Not available" not in markup[markup.index('id="vision-celebrities"') :].split("</div>")[0]
    )
