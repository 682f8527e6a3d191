"""The library of an output folder, asked and rebuilt from the command line.

The search is the Search function's own domain code (`video_pipeline.search_index`) over a
boto3 `rds-data` client that the local Data API answers, so the SQL is the one Aurora runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from video_pipeline.search_index import Cluster, Library, index_upload, indexed_uploads
from video_pipeline.search_index import remove_upload as remove_indexed
from video_pipeline.search_rows import UploadRecord, upload_moments

from ..emulators.rds_data import RdsDataEmulator
from ..results import VideoFolder, is_video_folder, read_json
from ..results.models import VIDEOS_TABLE
from ..runtime import interception
from ..runtime.deployment import clusters_of
from ..template import Template
from .database import database_for, library_dir

REPORT_FILE = "report.html"


@contextmanager
def open_library(out: Path, template: Template) -> Iterator[Library]:
    """The output folder's library, through the Data API as the template names its cluster."""
    database = database_for(library_dir(out))
    database.start_in_background()
    cluster_arn, secret_arn = next(iter(clusters_of(template).values()))
    emulator = RdsDataEmulator(lambda: database, cluster_arn, secret_arn)
    router = interception.Router()
    emulator.register(router)
    client: Any = boto3.client(
        "rds-data",
        region_name=template.pseudo["AWS::Region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - never sent: the emulator answers
    )
    interception.attach(client, router)
    try:
        yield Library(client, Cluster(cluster_arn, secret_arn))
    finally:
        emulator.close()
        database.stop()


def _folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and is_video_folder(p))


def report_links(out: Path) -> dict[str, str]:
    """Each upload's report, by video id, as a path relative to the output folder."""
    links: dict[str, str] = {}
    for folder in _folders(out):
        items = read_json(folder / "records" / f"{VIDEOS_TABLE}.json")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("videoId"):
                links[str(item["videoId"])] = f"{folder.name}/{REPORT_FILE}"
    return links


@dataclass
class Reindexed:
    uploads: int = 0
    moments: int = 0
    removed: int = 0


def reindex(out: Path, library: Library) -> Reindexed:
    """Rebuild the index from the folders: each completed upload's rows replaced from its record
    and documents, and every other upload (failed, or its folder gone) taken out."""
    done = Reindexed()
    kept: set[str] = set()
    for path in _folders(out):
        folder = VideoFolder.load(path)
        items = folder.records.get(VIDEOS_TABLE) or []
        item = items[0] if items else {}
        if folder.duplicate or item.get("status") != "COMPLETED" or not item.get("videoId"):
            continue
        record = UploadRecord.model_validate(item)
        moments = upload_moments(
            record, folder.transcript or None, folder.analysis or None, folder.vision or None
        )
        done.moments += index_upload(library, record, moments)
        done.uploads += 1
        kept.add(record.videoId)
    for video_id in indexed_uploads(library):
        if video_id not in kept:
            remove_indexed(library, video_id)
            done.removed += 1
    library.execute("ANALYZE library_moments")  # the planner's figures, right after a rebuild
    return done
