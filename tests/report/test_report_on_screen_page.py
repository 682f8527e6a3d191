"""What is on screen, read from a merged view into the page: no pipeline run and no browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reelscribe.report import build_index, build_video_report, load_definition
from reelscribe.report.on_screen import filmstrip, review_banner
from reelscribe.report.vision_view import Shot, ViewError, Vision, read_view, read_vision
from reelscribe.results import VideoFolder
from tests.report.on_screen_media import (
    make_slide_picture,
    panel_box,
    picture_view,
    write_picture_folder,
)
from video_pipeline.image_view import build_image_view
from video_pipeline.vision_model import Branch, VisionView
from video_pipeline.vision_view import build_view

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


def test_vision_view_box_running_off_the_picture_is_clipped_to_it(tmp_path: Path) -> None:
    # Given a picture whose text box runs off its right and top edges (Rekognition's ratios)
    edge = {"Left": 0.9, "Top": -0.1, "Width": 0.3, "Height": 0.2}
    view = picture_view("slide", text=[{"text": "edge", "confidence": 90.0, "box": edge}], faces=[])
    vision = read_vision(VideoFolder.load(_picture_folder(tmp_path, view)))
    assert vision is not None
    # Then the box drawn is the part within the picture, in percentages
    (line,) = vision.found["text"]
    assert line.box is not None
    assert (round(line.box.left), round(line.box.top), round(line.box.width)) == (90, 0, 10)
    assert round(line.box.height) == 10


def test_vision_view_malformed_file_is_refused_naming_the_field(tmp_path: Path) -> None:
    # Given a view whose confidence is words, one of whose items is not an object, and which
    # says nothing of the faces branch
    view = picture_view(
        "slide",
        text=[{"text": "words", "confidence": "high", "box": panel_box()}, "not an item"],
        faces=[],
    )
    del view["branches"]["faces"]
    folder = _picture_folder(tmp_path, view)
    # When the report reads it
    with pytest.raises(ViewError) as refused:
        read_vision(VideoFolder.load(folder))
    # Then it is refused, naming the file and each field that is wrong
    message = str(refused.value)
    assert message.startswith("output/vision/slide.json is not a merged vision view: ")
    for field in ("text.0.confidence", "text.1", "branches.faces"):
        assert field in message, message
    # And the page says why the view was not drawn rather than drawing a guess
    page = build_video_report(folder, load_definition()).read_text(encoding="utf-8")
    section = page[page.index('id="vision"') :]
    assert "The view was not drawn: output/vision/slide.json is not a merged vision view" in section
    assert 'class="box ' not in page


def test_vision_view_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    folder = _picture_folder(tmp_path, picture_view("slide", text=[], faces=[]))
    (folder / "output" / "vision" / "slide.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(ViewError, match=r"slide\.json is not a merged vision view: .*JSON"):
        read_vision(VideoFolder.load(folder))


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
    view.update(needsReview=True, reviewLabels=["Violence", "Drugs"])
    vision = read_vision(VideoFolder.load(_picture_folder(tmp_path, view)))
    assert vision is not None
    assert vision.review == [("Violence", 88.5), ("Drugs", None)]


def test_filmstrip_shortest_shot_gets_room_for_its_thumbnail() -> None:
    # Given a minute-long video with one shot of a second
    shots = [Shot(1, 0.0, 30.0, None), Shot(2, 30.0, 31.0, None), Shot(3, 31.0, 60.0, None)]
    available = {k: Branch(available=True) for k in ("text", "faces", "moderation")}
    available |= {
        k: Branch(available=False, reason="no") for k in ("shots", "labels", "celebrities")
    }
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
    segments = {
        "Segments": [{"Type": "SHOT", "StartTimestampMillis": 0, "EndTimestampMillis": 1000}]
    }
    view = build_view(
        analysed_key="output/web/alice/0123456789abcdef/clip.mp4",
        raws={"shots": segments},
        unavailable={},
        min_confidence=80.0,
    )
    view["posterKey"] = f"{prefix}/clip-poster.jpg"
    view["shots"][0]["thumbnailKey"] = f"{prefix}/shots/clip-001.jpg"
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


def _raws_of_every_kind() -> dict[str, dict[str, Any]]:
    """Rekognition Video's items for each kind, in its own shapes."""
    box = {"Left": 0.1, "Top": 0.2, "Width": 0.3, "Height": 0.2}

    def at(millis: int, **item: Any) -> dict[str, Any]:
        return {"Timestamp": millis, **item}

    def shot(start: int, end: int) -> dict[str, Any]:
        return {"Type": "SHOT", "StartTimestampMillis": start, "EndTimestampMillis": end}

    cue = {"Type": "TECHNICAL_CUE", "TechnicalCueSegment": {"Type": "BlackFrames"}}
    line = {"DetectedText": "Quarterly résultats", "Type": "LINE", "Confidence": 97.5}
    return {
        "shots": {
            "Segments": [
                shot(0, 2000),
                shot(2500, 6000),
                {**cue, "StartTimestampMillis": 2000, "EndTimestampMillis": 2500},
            ]
        },
        "text": {
            "TextDetections": [
                at(ms, TextDetection=line | {"Geometry": {"BoundingBox": box}})
                for ms in (3000, 3500)
            ]
        },
        "faces": {"Faces": [at(500, Face={"BoundingBox": box, "Confidence": 99.1})]},
        "face_search": {
            "Persons": [
                at(
                    500,
                    Person={"Index": 0, "BoundingBox": box},
                    FaceMatches=[{"Similarity": 95.0, "Face": {"ExternalImageId": "ada-1"}}],
                )
            ]
        },
        "moderation": {
            "ModerationLabels": [
                at(4000, ModerationLabel={"Name": "Violence", "ParentName": "", "Confidence": 91.0})
            ]
        },
        "labels": {"Labels": [at(0, Label={"Name": "Person", "Confidence": 96.0})]},
        "celebrities": {"Celebrities": [at(1000, Celebrity={"Name": "Ada", "Confidence": 99.0})]},
    }


def test_view_written_by_summarize_vision_reads_back_in_the_report(tmp_path: Path) -> None:
    # Given a video's view written by Summarize Vision, with an item of every kind, its
    # thumbnails, poster and tracks, fetched from the output bucket into a folder
    import boto3
    from moto import mock_aws

    from reelscribe.results.writer import fetch_outputs
    from tests.support.videos import CLIP, CLIP_WEB
    from video_pipeline.vision_plan import plan_vision
    from video_pipeline.vision_stage import (
        SummarizeVisionRequest,
        VisionResult,
        summarize_vision,
    )

    video = CLIP
    plan = plan_vision(video, 6.0, {"web": CLIP_WEB}, 1, 60)
    assert plan.captures is not None
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="out")
        for index in range(6):
            s3.put_object(Bucket="out", Key=f"{plan.captures.prefix}.{index:07d}.jpg", Body=b"jpg")
        results = []
        for job in plan.jobs:
            raw = json.dumps(_raws_of_every_kind()[job.kind]).encode()
            s3.put_object(Bucket="out", Key=job.rawKey, Body=raw)
            results.append(VisionResult(kind=job.kind, available=True, rawKey=job.rawKey))
        request = SummarizeVisionRequest(
            video=video, durationSeconds=6.0, vision=plan, results=results
        )
        summary = summarize_vision(s3, "out", request, 80.0)
        written = s3.get_object(Bucket="out", Key=summary["viewKey"])["Body"].read()
        fetch_outputs(s3, "out", video.model_dump(), tmp_path)
    # When the report reads the folder's view
    folder = VideoFolder.load(tmp_path)
    view = read_view(folder)
    vision = read_vision(folder)
    # Then it reads the very document the pipeline wrote, through the same model
    assert view is not None
    assert vision is not None
    assert view.model_dump(mode="json") == json.loads(written)
    assert [s.thumbnail for s in vision.shots] == [
        "output/vision/shots/clip-001.jpg",
        "output/vision/shots/clip-002.jpg",
    ]
    assert [(c.name, c.start, c.end) for c in vision.cues] == [("BlackFrames", 2.0, 2.5)]
    named = {kind: [(i.name, i.start) for i in items] for kind, items in vision.found.items()}
    assert named == {
        "text": [("Quarterly résultats", 3.0)],
        "faces": [("Face", 0.5)],
        "face_search": [("ada-1", 0.5)],
        "moderation": [("Violence", 4.0)],
        "labels": [("Person", 0.0)],
        "celebrities": [("Ada", 1.0)],
    }
    assert vision.review == [("Violence", 91.0)]
    assert all(branch.available for branch in vision.branches.values())
    assert dict(vision.tracks).keys() == {"shots", "text", "faces", "moderation", "people"}


def test_picture_view_written_by_the_layer_reads_back_in_the_report(tmp_path: Path) -> None:
    # Given a picture's view as Summarize Image builds it, with a celebrity boxed
    box = {"Left": 0.1, "Top": 0.1, "Width": 0.5, "Height": 0.2}
    raws = {
        "text": {"TextDetections": [{"DetectedText": "Slide", "Type": "LINE", "Confidence": 99.0,
                                     "Geometry": {"BoundingBox": box}}]},
        "celebrities": {"CelebrityFaces": [{"Name": "Ada", "MatchConfidence": 98.0,
                                            "Face": {"BoundingBox": box}}]},
    }  # fmt: skip
    view = build_image_view(
        analysed_key="alice/slide.jpg",
        poster_key="output/web/alice/0123456789abcdef/slide.jpg",
        raws=raws,
        unavailable={"labels": "Not run."},
        min_confidence=80.0,
    )
    folder = _picture_folder(tmp_path, view)
    # When the report reads it, it is the same document, and what it found is boxed
    assert read_view(VideoFolder.load(folder)) == VisionView.model_validate(view)
    vision = read_vision(VideoFolder.load(folder))
    assert vision is not None
    assert vision.kind == "image"
    assert [(i.name, i.box is not None) for i in vision.found["celebrities"]] == [("Ada", True)]
    assert vision.branches["labels"] == Branch(available=False, reason="Not run.")
    assert vision.poster == "output/web/slide.jpg"
