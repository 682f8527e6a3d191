"""The local RDS Data API over a real PostgreSQL: the calls, values and errors Aurora's has."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reelscribe.emulators.rds_data import RdsDataEmulator
from reelscribe.library import database_for
from reelscribe.runtime import interception

CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:library"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-library-abc"  # noqa: S105 - an ARN


class DataApi:
    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, sql: str, parameters: list[dict[str, Any]] | None = None, **extra: Any) -> Any:
        return self.client.execute_statement(
            resourceArn=CLUSTER, secretArn=SECRET, sql=sql, parameters=parameters or [], **extra
        )

    def begin(self) -> str:
        began = self.client.begin_transaction(resourceArn=CLUSTER, secretArn=SECRET)
        return str(began["transactionId"])


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataApi]:
    database = database_for(tmp_path_factory.mktemp("library"))
    emulator = RdsDataEmulator(lambda: database, CLUSTER, SECRET)
    router = interception.Router()
    emulator.register(router)
    client = boto3.client(
        "rds-data",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - never sent: the emulator answers
    )
    interception.attach(client, router)
    try:
        yield DataApi(client)
    finally:
        emulator.close()
        database.stop()


def _value(name: str, **value: Any) -> dict[str, Any]:
    return {"name": name, "value": value}


def test_execute_statement_typed_parameters_come_back_typed(api: DataApi) -> None:
    answer = api.run(
        "SELECT :n + 1 AS n, :x * 2 AS x, :s AS s, :b AS b, :missing AS missing,"
        " CAST(:when AS timestamp) AS stamp, :day AS day",
        [
            _value("n", longValue=41),
            _value("x", doubleValue=1.25),
            _value("s", stringValue="O'Brien; DROP TABLE x; --"),
            _value("b", booleanValue=True),
            _value("missing", isNull=True),
            _value("when", stringValue="2026-12-07 10:30:00"),
            {"name": "day", "value": {"stringValue": "2026-12-07"}, "typeHint": "DATE"},
        ],
        includeResultMetadata=True,
    )
    (row,) = answer["records"]
    assert row == [
        {"longValue": 42},
        {"doubleValue": 2.5},
        {"stringValue": "O'Brien; DROP TABLE x; --"},
        {"booleanValue": True},
        {"isNull": True},
        {"stringValue": "2026-12-07 10:30:00"},
        {"stringValue": "2026-12-07"},
    ]
    names = [column["name"] for column in answer["columnMetadata"]]
    assert names == ["n", "x", "s", "b", "missing", "stamp", "day"]
    assert answer["columnMetadata"][5]["typeName"] == "timestamp"


def test_execute_statement_json_format_gives_formatted_records(api: DataApi) -> None:
    answer = api.run(
        "SELECT 1 AS id, 'a' AS name, json_build_object('k', 2) AS doc",
        formatRecordsAs="JSON",
    )
    assert "records" not in answer
    assert json.loads(answer["formattedRecords"]) == [{"id": 1, "name": "a", "doc": '{"k" : 2}'}]


def test_execute_statement_quotes_casts_and_percent_are_sql_not_parameters(api: DataApi) -> None:
    answer = api.run("SELECT ':x 50%' AS text, '7'::int AS n, $$:y$$ AS dollar -- :z")
    assert answer["records"] == [
        [{"stringValue": ":x 50%"}, {"longValue": 7}, {"stringValue": ":y"}]
    ]


def test_execute_statement_sql_error_is_bad_request_with_postgres_message(api: DataApi) -> None:
    with pytest.raises(ClientError) as raised:
        api.run("SELEC 1")
    error = raised.value.response["Error"]
    assert error["Code"] == "BadRequestException"
    assert 'syntax error at or near "SELEC"' in error["Message"]
    assert "SQLState: 42601" in error["Message"]


def test_execute_statement_parameter_without_value_is_refused(api: DataApi) -> None:
    with pytest.raises(ClientError, match="No value specified for parameter: gone"):
        api.run("SELECT :gone")


def test_execute_statement_wrong_cluster_is_refused(api: DataApi) -> None:
    with pytest.raises(ClientError, match="Database cluster not found"):
        api.client.execute_statement(
            resourceArn=CLUSTER + "-other", secretArn=SECRET, sql="SELECT 1"
        )


def test_transaction_commit_keeps_and_rollback_discards(api: DataApi) -> None:
    api.run("CREATE TABLE IF NOT EXISTS notes (body text)")
    api.run("DELETE FROM notes")
    kept = api.begin()
    api.run("INSERT INTO notes VALUES (:b)", [_value("b", stringValue="kept")], transactionId=kept)
    # Not seen outside the transaction until it commits
    assert api.run("SELECT count(*) FROM notes")["records"] == [[{"longValue": 0}]]
    status = api.client.commit_transaction(
        resourceArn=CLUSTER, secretArn=SECRET, transactionId=kept
    )
    assert status["transactionStatus"] == "Transaction Committed"
    dropped = api.begin()
    api.client.batch_execute_statement(
        resourceArn=CLUSTER,
        secretArn=SECRET,
        sql="INSERT INTO notes VALUES (:b)",
        parameterSets=[[_value("b", stringValue="one")], [_value("b", stringValue="two")]],
        transactionId=dropped,
    )
    status = api.client.rollback_transaction(
        resourceArn=CLUSTER, secretArn=SECRET, transactionId=dropped
    )
    assert status["transactionStatus"] == "Rollback Complete"
    assert api.run("SELECT body FROM notes")["records"] == [[{"stringValue": "kept"}]]


def test_transaction_unknown_id_is_refused(api: DataApi) -> None:
    with pytest.raises(ClientError, match="Transaction nope is not found"):
        api.client.commit_transaction(resourceArn=CLUSTER, secretArn=SECRET, transactionId="nope")


def test_transaction_failed_statement_ends_it(api: DataApi) -> None:
    transaction = api.begin()
    with pytest.raises(ClientError, match="division by zero"):
        api.run("SELECT 1 / 0", transactionId=transaction)
    with pytest.raises(ClientError, match="is not found"):
        api.run("SELECT 1", transactionId=transaction)


def test_transaction_cut_short_by_shutdown_leaves_nothing(tmp_path: Path) -> None:
    # Given a transaction that has written a row, when the runtime goes down (Ctrl-C) before
    # it commits
    database = database_for(tmp_path)
    emulator = RdsDataEmulator(lambda: database, CLUSTER, SECRET)
    router = interception.Router()
    emulator.register(router)
    client = boto3.client(
        "rds-data",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - never sent: the emulator answers
    )
    interception.attach(client, router)
    api = DataApi(client)
    try:
        api.run("CREATE TABLE halves (body text)")
        transaction = api.begin()
        api.run("INSERT INTO halves VALUES ('half')", transactionId=transaction)
        emulator.close()
        # Then the database holds none of it
        with database.connect() as connection:
            assert connection.execute("SELECT count(*) FROM halves").fetchone() == (0,)
    finally:
        emulator.close()
        database.stop()
