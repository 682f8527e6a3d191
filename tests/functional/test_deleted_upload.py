"""A deleted upload leaves the library: S3's Object Deleted event, sent by the local runtime on
DeleteObject, reaches Index Media through the template's rule, on a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from reelscribe.runtime.local import LocalRuntime
from video_pipeline.search_index import (
    Cluster,
    Library,
    index_upload,
    indexed_uploads,
    make_query,
    search,
)
from video_pipeline.search_rows import Moment, UploadRecord, text_search_config
from video_pipeline.upload import video_from_event

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def test_delete_indexed_upload_leaves_no_rows_and_unknown_key_changes_nothing(
    tmp_path: Path,
) -> None:
    media = tmp_path / "ferry.mp4"
    media.write_bytes(b"the bytes are not read: the upload is indexed as the pipeline would")
    with LocalRuntime(TEMPLATE, library=tmp_path / "library") as runtime:
        # Given an upload, its COMPLETED record and its moments in the index
        created = runtime.upload(media, "alice/My Ferry.mp4")
        obj = created["detail"]["object"]
        video = video_from_event(
            runtime.upload_bucket,
            obj["key"],
            obj["size"],
            obj.get("version-id"),
            obj["sequencer"],
            obj["etag"],
            datetime.now(UTC),
        )
        runtime.session.client("dynamodb").put_item(
            TableName=runtime.deployment.tables["VideosTable"],
            Item={
                "userId": {"S": video.userId},
                "videoId": {"S": video.videoId},
                "sourceUri": {"S": video.sourceUri},
                "status": {"S": "COMPLETED"},
            },
        )
        arn, secret = runtime.deployment.clusters["LibraryCluster"]
        library = Library(runtime.session.client("rds-data"), Cluster(arn, secret))
        record = UploadRecord(
            videoId=video.videoId,
            userId=video.userId,
            fileName=video.fileName,
            languageCode="en-US",
            uploadedAt=video.uploadedAt,
        )
        said = Moment(
            kind="transcript",
            text="The ferries leave at midnight.",
            start=3.0,
            end=5.0,
            config=text_search_config("en-US"),
        )
        index_upload(library, record, [said])
        assert search(library, make_query(q="ferries"))["total"] == 1

        # When a key never uploaded is deleted, nothing changes and nothing fails
        runtime.s3.delete_object(Bucket=runtime.upload_bucket, Key="bob/unknown.mp4")
        assert indexed_uploads(library) == [video.videoId]

        # When the upload's object is deleted
        runtime.s3.delete_object(Bucket=runtime.upload_bucket, Key="alice/My Ferry.mp4")

        # Then search no longer finds it and no rows remain
        assert search(library, make_query(q="ferries"))["total"] == 0
        assert indexed_uploads(library) == []
        moments = library.execute("SELECT count(*) AS n FROM library_moments", as_json=True)
        assert json.loads(moments["formattedRecords"]) == [{"n": 0}]
