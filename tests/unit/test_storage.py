"""S3 URIs as the AWS services read them: bucket and key, the key verbatim."""

from __future__ import annotations

import pytest

from reelscribe.emulators.storage import split_s3_uri
from reelscribe.runtime.interception import ServiceError


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bucket/alice/clip.mp4", ("bucket", "alice/clip.mp4")),
        ("s3://bucket/#hash/base.mp4", ("bucket", "#hash/base.mp4")),
        ("s3://bucket/alice/what? #1.mp4", ("bucket", "alice/what? #1.mp4")),
        ("s3://bucket/alice/100%25 sure.mp4", ("bucket", "alice/100%25 sure.mp4")),
        (
            "https://s3.amazonaws.com/bucket/alice/what%3F%20%231.mp4",
            ("bucket", "alice/what? #1.mp4"),
        ),
    ],
)
def test_split_s3_uri_key_with_url_syntax_gives_the_key_verbatim(
    uri: str, expected: tuple[str, str]
) -> None:
    # Given an S3 URI whose key holds characters that are URL syntax (#, ?, %)
    # When it is split as MediaConvert and Transcribe read it
    # Then the s3:// key is taken as written, and the https path is percent-decoded
    assert split_s3_uri(uri) == expected


@pytest.mark.parametrize("uri", ["s3://bucket", "s3://bucket/", "s3:///key", "file:///tmp/x.mp4"])
def test_split_s3_uri_without_bucket_and_key_raises_bad_request(uri: str) -> None:
    with pytest.raises(ServiceError, match="Not an S3 object URI"):
        split_s3_uri(uri)
