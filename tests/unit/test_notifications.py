"""The success and failure emails, and the SNS subject and attributes they are sent with."""

from __future__ import annotations

import pytest

from video_pipeline.notifications import (
    EXCERPT_CHARACTERS,
    attributes_for,
    excerpt,
    failure_message,
    sns_subject,
    success_message,
)

BUCKET = "reelscribe-outputbucket"
RENDITIONS = {
    "web": "output/web/alice/5b1c0ffee0ddba11/portrait-clip.mp4",
    "phone": "output/phone/alice/5b1c0ffee0ddba11/portrait-clip.mp4",
    "audio": "output/audio/alice/5b1c0ffee0ddba11/portrait-clip.mp3",
    "gif": "output/gif/alice/5b1c0ffee0ddba11/portrait-clip.gif",
}
UNICODE_NAME = "Ünïcødé Reise nach München – 東京 🎬 " + "sehr langer Dateiname " * 6 + ".mp4"


def _success(
    transcript: str | None,
    language: str | None = "en-US",
    vision: dict[str, object] | None = None,
) -> str:
    return success_message(
        file_name="portrait clip.mp4",
        user_id="alice",
        video_id="5b1c0ffee0ddba11",
        duration=42.5,
        bucket=BUCKET,
        renditions=RENDITIONS,
        transcript=transcript,
        language=language,
        vision=vision,
    )


def _is_valid_sns_subject(subject: str) -> bool:
    # SNS: UTF-8 text starting with a letter, number or punctuation, no line breaks or
    # control characters, under 100 characters
    return 0 < len(subject) < 100 and subject.isprintable() and not subject[0].isspace()


# ------------------------------------------------------------------ success


def test_success_message_lists_every_rendition_with_its_s3_uri() -> None:
    message = _success("Hello, and welcome to Munich.")

    for name, key in RENDITIONS.items():
        line = next(line for line in message.splitlines() if f"s3://{BUCKET}/{key}" in line)
        assert line.split()[0] == name


def test_success_message_says_which_video_and_how_long() -> None:
    message = _success("Hello.")

    assert "portrait clip.mp4" in message.splitlines()[0]
    assert "5b1c0ffee0ddba11" in message
    assert "42.5 s" in message


def test_success_message_includes_transcript_excerpt_and_language() -> None:
    message = _success("Hello, and welcome to Munich.")

    assert "Transcript (en-US):" in message
    assert "Hello, and welcome to Munich." in message


def test_success_message_long_transcript_gives_short_excerpt_cut_at_a_word() -> None:
    words = " ".join(f"word{i}" for i in range(500))

    message = _success(words)

    body = " ".join(line.strip() for line in message.split("Transcript (en-US):")[1].splitlines())
    assert body.strip().endswith(" ...")
    assert len(body.strip()) <= EXCERPT_CHARACTERS + len(" ...")
    assert all(word == "..." or word in words.split() for word in body.split())


def test_success_message_no_audio_says_so_instead_of_a_transcript() -> None:
    assert "no audio track" in _success(None, None)


def test_success_message_empty_transcript_says_no_speech_was_recognised() -> None:
    assert "no speech was recognised" in _success("   ")


def test_success_message_lines_fit_an_email() -> None:
    message = _success("lorem ipsum dolor sit amet " * 40)
    transcript_lines = message.split("Transcript")[1].splitlines()[1:]
    assert transcript_lines
    assert all(len(line) <= 78 for line in transcript_lines)


def _with_vision(vision: dict[str, object]) -> str:
    return _success(None, None, vision)


def test_success_message_flagged_video_says_it_needs_review_with_its_labels() -> None:
    message = _with_vision(
        {
            "analysed": True,
            "shotCount": 3,
            "textExcerpt": "Quarterly results 2026",
            "needsReview": True,
            "reviewLabels": ["Explicit Nudity", "Violence"],
            "posterKey": "output/vision/alice/5b1c0ffee0ddba11/portrait-clip-poster.jpg",
            "unavailable": ["celebrities", "labels"],
        }
    )

    assert "Shots: 3" in message
    assert "On-screen text: Quarterly results 2026" in message
    assert "Needs review: moderation found Explicit Nudity, Violence." in message
    assert "Poster: output/vision/alice/5b1c0ffee0ddba11/portrait-clip-poster.jpg" in message
    assert "Not analysed: celebrities, labels" in message


def test_success_message_unanalysed_video_has_no_vision_lines() -> None:
    message = _with_vision({"analysed": False, "shotCount": 0})

    assert "Shots:" not in message
    assert "Needs review" not in message


def test_excerpt_short_transcript_unchanged() -> None:
    assert excerpt("Hello.") == "Hello."


def test_excerpt_long_text_without_spaces_still_bounded() -> None:
    # Japanese has no spaces between words
    text = "東京" * 1000
    assert len(excerpt(text)) <= EXCERPT_CHARACTERS + len(" ...")


# ------------------------------------------------------------------ failure


def test_failure_message_names_state_error_reason_and_execution() -> None:
    execution = "arn:aws:states:us-east-1:123456789012:execution:reelscribe-pipeline:run-1"

    message = failure_message(
        file_name="portrait clip.mp4",
        source="s3://uploads/alice/portrait clip.mp4",
        state="Probe Media",
        error="MediaConvert.BadRequestException",
        reason="Unable to open input file",
        execution=execution,
    )

    assert "portrait clip.mp4" in message.splitlines()[0]
    assert "Failed state: Probe Media" in message
    assert "Error: MediaConvert.BadRequestException" in message
    assert "Reason: Unable to open input file" in message
    assert "Source: s3://uploads/alice/portrait clip.mp4" in message
    assert execution in message
    assert "Nothing was deleted" in message


def test_failure_message_unparsed_upload_speaks_of_an_upload() -> None:
    message = failure_message(
        file_name=None,
        source=None,
        state="Parse Upload",
        error="InvalidUploadEventError",
        reason="Not an S3 event",
        execution="arn:x",
    )

    assert message.startswith("An upload could not be processed.")
    assert "Source:" not in message


# ------------------------------------------------------------------ SNS subject and attributes


@pytest.mark.parametrize(
    "text",
    [
        f"reelscribe: {UNICODE_NAME} is ready",
        "reelscribe: 東京.mp4 failed in Probe Media",
        "reelscribe: two\nlines\r\n\tand tabs.mp4 is ready",
        "reelscribe: " + "a" * 300 + ".mp4 is ready",
    ],
)
def test_sns_subject_unicode_or_long_name_gives_valid_subject_under_100(text: str) -> None:
    subject = sns_subject(text)

    assert _is_valid_sns_subject(subject), repr(subject)
    assert subject.startswith("reelscribe: ")


@pytest.mark.parametrize(
    "name", ["日本語のビデオ.mp4", "Café – résumé ñ 日本.mp4", "München Café.mp4", "🎬 clip.mp4"]
)
def test_sns_subject_non_ascii_name_keeps_every_character(name: str) -> None:
    assert sns_subject(f"reelscribe: {name} is ready") == f"reelscribe: {name} is ready"


def test_sns_subject_control_characters_in_name_give_valid_subject() -> None:
    subject = sns_subject("reelscribe: clip\x1b[1m\x7f.mp4 is ready")

    assert _is_valid_sns_subject(subject), repr(subject)


def test_attributes_for_gives_string_attributes_without_empty_values() -> None:
    attributes = attributes_for(
        "COMPLETED", userId="alice", videoId="5b1c", language=None, noAudio=""
    )

    assert attributes == {
        "status": {"DataType": "String", "StringValue": "COMPLETED"},
        "userId": {"DataType": "String", "StringValue": "alice"},
        "videoId": {"DataType": "String", "StringValue": "5b1c"},
    }
