"""The Data API answered over a real embedded PostgreSQL, for tests that run functions alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3

from reelscribe.emulators.rds_data import RdsDataEmulator
from reelscribe.library import Database, database_for
from reelscribe.runtime import interception
from reelscribe.runtime.deployment import Deployment


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
