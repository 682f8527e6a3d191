"""The RDS Data API (`rds-data`) over the library's PostgreSQL: the same SQL as on Aurora.

Statements take the Data API's named parameters (`:name`) with its typed values, and answer
with its records (typed fields), `formattedRecords` (JSON) and column metadata. A PostgreSQL
error is the service's `BadRequestException` carrying the server's message, as Aurora's is.
A statement outside a transaction commits on its own; `BeginTransaction` keeps a connection for
the statements that name its id until `CommitTransaction` or `RollbackTransaction`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import threading
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import EngineError
from ..library.database import Database
from ..runtime.interception import Router, ServiceError

if TYPE_CHECKING:
    # psycopg is imported by the first statement, not when the emulator is registered: every
    # run has one, and most of a run happens before its first statement.
    import psycopg

# The Data API's typeHint values and the PostgreSQL type each string is read as.
_TYPE_HINTS = {
    "DATE": "date",
    "DECIMAL": "numeric",
    "JSON": "jsonb",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "UUID": "uuid",
}
# A named parameter, outside quotes and comments; `::` is a cast, not a parameter.
_TOKENS = re.compile(
    r"""(?P<skip>'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|::|\$(?P<tag>\w*)\$.*?\$(?P=tag)\$)
      |(?<!:):(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<percent>%)""",
    re.VERBOSE | re.DOTALL,
)
_IDLE_CONNECTIONS = 4
# JDBC type numbers the Data API reports in columnMetadata, by PostgreSQL type name.
_JDBC_TYPES = {
    "bool": -7,
    "int2": 5,
    "int4": 4,
    "int8": -5,
    "float4": 7,
    "float8": 8,
    "numeric": 2,
    "text": 12,
    "varchar": 12,
    "bpchar": 1,
    "date": 91,
    "time": 92,
    "timestamp": 93,
    "timestamptz": 93,
    "json": 1111,
    "jsonb": 1111,
    "uuid": 1111,
    "bytea": -2,
}


def bad_request(message: str) -> ServiceError:
    return ServiceError("BadRequestException", message)


def _value(field: dict[str, Any], name: str) -> Any:
    """A Data API `Field` as the Python value psycopg sends."""
    if field.get("isNull"):
        return None
    for key in ("stringValue", "longValue", "doubleValue", "booleanValue", "blobValue"):
        if key in field:
            return field[key]
    if "arrayValue" in field:
        raise bad_request("Array parameters are not supported.")
    raise bad_request(f"Parameter '{name}' has no value.")


def to_psycopg(sql: str, parameters: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The statement with `:name` turned into psycopg's placeholders, and the values by name.
    Values are only ever sent as parameters: no text of theirs is put into the SQL."""
    values: dict[str, Any] = {}
    casts: dict[str, str] = {}
    for parameter in parameters:
        name = str(parameter.get("name") or "")
        if not name:
            raise bad_request("Parameter name must not be empty.")
        values[name] = _value(parameter.get("value") or {}, name)
        hint = parameter.get("typeHint")
        if hint:
            if hint not in _TYPE_HINTS:
                raise bad_request(f"Invalid typeHint {hint!r} for parameter '{name}'.")
            casts[name] = _TYPE_HINTS[hint]
    used: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        if match.group("skip"):
            return match.group(0).replace("%", "%%")  # psycopg reads % even inside quotes
        if match.group("percent"):
            return "%%"
        name = match.group("name")
        if name not in values:
            raise bad_request(f"No value specified for parameter: {name}")
        used.add(name)
        cast = casts.get(name)
        return f"%({name})s::{cast}" if cast else f"%({name})s"

    return _TOKENS.sub(replace, sql), {k: v for k, v in values.items() if k in used}


def _field(value: Any) -> dict[str, Any]:
    """A value read from PostgreSQL as the Data API's typed `Field`."""
    if value is None:
        return {"isNull": True}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"longValue": value}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"blobValue": bytes(value)}
    if isinstance(value, list):
        return {"arrayValue": _array(value)}
    return {"stringValue": _text(value)}


def _array(values: list[Any]) -> dict[str, Any]:
    if all(isinstance(v, bool) for v in values):
        return {"booleanValues": values}
    if all(isinstance(v, int) for v in values):
        return {"longValues": values}
    if all(isinstance(v, float) for v in values):
        return {"doubleValues": values}
    return {"stringValues": [_text(v) for v in values]}


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f").rstrip("0").rstrip(".")
    if isinstance(value, dt.date | dt.time | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return value
    return _text(value)


def _message(error: psycopg.Error) -> str:
    """PostgreSQL's error as Aurora's Data API words it."""
    diag = error.diag
    text = f"ERROR: {diag.message_primary or error}"
    if diag.statement_position:
        text += f"\n  Position: {diag.statement_position}"
    return f"{text}; SQLState: {diag.sqlstate or error.sqlstate or ''}"


class RdsDataEmulator:
    """Answers `rds-data` for the cluster ARN the template gives, from `database`."""

    def __init__(
        self, database: Callable[[], Database], resource_arn: str, secret_arn: str
    ) -> None:
        self._database = database
        self.resource_arn = resource_arn
        self.secret_arn = secret_arn
        self._transactions: dict[str, psycopg.Connection[Any]] = {}
        self._idle: list[psycopg.Connection[Any]] = []  # a backend costs a fork to open
        self._lock = threading.Lock()

    def register(self, router: Router) -> None:
        router.answer("rds-data", "ExecuteStatement", self.execute_statement)
        router.answer("rds-data", "BatchExecuteStatement", self.batch_execute_statement)
        router.answer("rds-data", "BeginTransaction", self.begin_transaction)
        router.answer("rds-data", "CommitTransaction", self.commit_transaction)
        router.answer("rds-data", "RollbackTransaction", self.rollback_transaction)

    def close(self) -> None:
        with self._lock:
            open_ones, self._transactions = list(self._transactions.values()), {}
            open_ones += self._idle
            self._idle = []
        for connection in open_ones:
            connection.close()  # an open transaction is rolled back, as a timed-out one is

    # ------------------------------------------------------------------ checks
    def _check(self, params: dict[str, Any]) -> None:
        if params.get("resourceArn") != self.resource_arn:
            raise bad_request(f"Database cluster not found: {params.get('resourceArn')}")
        if params.get("secretArn") != self.secret_arn:
            raise bad_request("The secretArn does not grant access to this cluster.")

    def _connect(self) -> psycopg.Connection[Any]:
        with self._lock:
            while self._idle:
                connection = self._idle.pop()
                if not connection.closed:
                    return connection
        from psycopg.types.string import TextLoader

        try:
            connection = self._database().connect()
        except EngineError as error:
            raise ServiceError("InternalServerErrorException", str(error), 500) from error
        # The Data API gives json and jsonb as their text, as it does on Aurora.
        for name in ("json", "jsonb"):
            connection.adapters.register_loader(name, TextLoader)
        return connection

    def _release(self, connection: psycopg.Connection[Any]) -> None:
        """Keep a connection that is idle and sound for the next call; close any other."""
        import psycopg

        idle = psycopg.pq.TransactionStatus.IDLE
        if not connection.closed and connection.info.transaction_status == idle:
            with self._lock:
                if len(self._idle) < _IDLE_CONNECTIONS:
                    self._idle.append(connection)
                    return
        connection.close()

    def _transaction(self, transaction_id: str) -> psycopg.Connection[Any]:
        with self._lock:
            connection = self._transactions.get(transaction_id)
        if connection is None:
            raise bad_request(f"Transaction {transaction_id} is not found")
        return connection

    # ------------------------------------------------------------------ operations
    def begin_transaction(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check(params)
        connection = self._connect()
        connection.execute("BEGIN")
        transaction_id = base64.b64encode(secrets.token_bytes(96)).decode()
        with self._lock:
            self._transactions[transaction_id] = connection
        return {"transactionId": transaction_id}

    def _end(self, params: dict[str, Any], verb: str) -> psycopg.Connection[Any]:
        import psycopg

        self._check(params)
        transaction_id = str(params.get("transactionId") or "")
        connection = self._transaction(transaction_id)
        with self._lock:
            self._transactions.pop(transaction_id, None)
        try:
            connection.execute(verb)
        except psycopg.Error as error:
            connection.close()
            raise bad_request(_message(error)) from error
        self._release(connection)
        return connection

    def commit_transaction(self, params: dict[str, Any]) -> dict[str, Any]:
        self._end(params, "COMMIT")
        return {"transactionStatus": "Transaction Committed"}

    def rollback_transaction(self, params: dict[str, Any]) -> dict[str, Any]:
        self._end(params, "ROLLBACK")
        return {"transactionStatus": "Rollback Complete"}

    def _run(
        self, params: dict[str, Any], work: Callable[[psycopg.Cursor[Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        import psycopg

        self._check(params)
        transaction_id = params.get("transactionId")
        if transaction_id:
            connection = self._transaction(str(transaction_id))
            try:
                with connection.cursor() as cursor:
                    return work(cursor)
            except psycopg.Error as error:
                # PostgreSQL refuses the rest of a failed transaction; Aurora ends it.
                with self._lock:
                    self._transactions.pop(str(transaction_id), None)
                connection.close()
                raise bad_request(_message(error)) from error
        connection = self._connect()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                return work(cursor)
        except psycopg.Error as error:
            raise bad_request(_message(error)) from error
        finally:
            self._release(connection)

    def execute_statement(self, params: dict[str, Any]) -> dict[str, Any]:
        sql, values = to_psycopg(str(params.get("sql") or ""), params.get("parameters") or [])
        as_json = params.get("formatRecordsAs") == "JSON"
        metadata = bool(params.get("includeResultMetadata"))
        from psycopg import sql as pgsql

        def work(cursor: psycopg.Cursor[Any]) -> dict[str, Any]:
            cursor.execute(pgsql.SQL(sql), values)
            answer: dict[str, Any] = {"numberOfRecordsUpdated": 0, "generatedFields": []}
            if cursor.description is None:
                answer["numberOfRecordsUpdated"] = max(cursor.rowcount, 0)
                return answer
            rows = cursor.fetchall()
            columns = [column.name for column in cursor.description]
            if as_json:
                answer["formattedRecords"] = json.dumps(
                    [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
                )
            else:
                answer["records"] = [[_field(v) for v in row] for row in rows]
            if metadata:
                answer["columnMetadata"] = [
                    _column(cursor, column) for column in cursor.description
                ]
            return answer

        return self._run(params, work)

    def batch_execute_statement(self, params: dict[str, Any]) -> dict[str, Any]:
        sets = params.get("parameterSets") or [[]]
        converted = [to_psycopg(str(params.get("sql") or ""), values) for values in sets]
        from psycopg import sql as pgsql

        def work(cursor: psycopg.Cursor[Any]) -> dict[str, Any]:
            if len({sql for sql, _ in converted}) == 1:
                # One statement for every set: sent as a pipeline, not a round trip each.
                cursor.executemany(pgsql.SQL(converted[0][0]), [values for _, values in converted])
            else:
                for sql, values in converted:
                    cursor.execute(pgsql.SQL(sql), values)
            return {"updateResults": [{"generatedFields": []} for _ in converted]}

        return self._run(params, work)


def _column(cursor: psycopg.Cursor[Any], column: Any) -> dict[str, Any]:
    import psycopg

    info = psycopg.adapters.types.get(column.type_code)
    type_name = info.name if info is not None else str(column.type_code)
    return {
        "name": column.name,
        "label": column.name,
        "typeName": type_name,
        "type": _JDBC_TYPES.get(type_name, 1111),
        "nullable": 2,
        "precision": column.precision or 0,
        "scale": column.scale or 0,
    }
