"""The Data API answered over a real embedded PostgreSQL, for tests that run functions alone,
and an output folder's library filled for the tests that search it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3

from reelscribe.emulators.rds_data import RdsDataEmulator
from reelscribe.library import Database, database_for
from reelscribe.library.local import open_library
from reelscribe.runtime import interception
from reelscribe.runtime.deployment import Deployment
from reelscribe.template import Template
from video_pipeline.search_index import index_upload
from video_pipeline.search_rows import Moment, UploadRecord

# Two users' uploads, each with one said moment: (videoId, userId, what was said, when).
TWO_USERS = (
    ("v1", "alice", "The ferries leave at <midnight> & dawn.", 12.3),
    ("v2", "bob", "No ferries run on Sundays.", 65.0),
)


@contextmanager
def data_api(deployment: Deployment, folder: Path) -> Iterator[Database]:
    """`rds-data` calls for the template's cluster go to a PostgreSQL kept in `folder`."""
    database = database_for(folder)
    cluster_arn, secret_arn = next(iter(deployment.clusters.values()))
    emulator = RdsDataEmulator(lambda: database, cluster_arn, secret_arn)
    router = interception.Router()
    emulator.register(router)
    interception.activate(router)
    # Sessions copy botocore's handlers when made: a function's client made from here on
    # reaches the emulator.
    default_session, boto3.DEFAULT_SESSION = boto3.DEFAULT_SESSION, None
    try:
        yield database
    finally:
        boto3.DEFAULT_SESSION = default_session
        interception.deactivate(router)
        emulator.close()
        database.stop()


def index_two_users(out: Path, template: Path) -> Path:
    """`out`'s library, holding TWO_USERS' uploads; returns `out`."""
    with open_library(out, Template.load(template)) as library:
        for video_id, user, said, start in TWO_USERS:
            record = UploadRecord(videoId=video_id, userId=user, fileName=f"{video_id}.mp4")
            moments = [Moment(kind="transcript", text=said, start=start, end=start + 2)]
            index_upload(library, record, moments)
    return out
