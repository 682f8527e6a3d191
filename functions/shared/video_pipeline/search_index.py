"""The library's index in PostgreSQL, reached through the RDS Data API (no VPC, no driver).

Aurora Serverless v2 on AWS, the embedded PostgreSQL locally: the same statements. Every value
a user gives goes in as a Data API parameter, never into the SQL text. An upload's rows are
replaced in one transaction (delete, then insert) under a per-upload advisory lock, so a re-run
or a duplicate event, even at the same moment, never doubles them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, Field, ValidationError, field_validator

from .errors import DatabaseResumingError, SearchIndexError, SearchQueryError
from .search_rows import MOMENT_KINDS, Moment, UploadRecord

if TYPE_CHECKING:
    from mypy_boto3_rds_data import RDSDataServiceClient
    from mypy_boto3_rds_data.type_defs import SqlParameterTypeDef

    from .config import PipelineConfig

MAX_QUERY_CHARS = 10_240
MAX_LIMIT = 100
MOMENTS_PER_HIT = 5
_BATCH_ROWS = 500  # BatchExecuteStatement's request stays well under its 4 MiB
_SCHEMA_LOCK = 725_123_001  # pg_advisory_xact_lock key: one schema creation at a time

# A moment's text is kept whole; `document` is its tsvector in the language of its upload.
# (A vector column for semantic search can be added beside `document` with pgvector.)
SCHEMA = (
    f"SELECT 1 AS locked FROM pg_advisory_xact_lock({_SCHEMA_LOCK})",  # noqa: S608 - a constant
    """CREATE TABLE IF NOT EXISTS library_uploads (
        video_id text PRIMARY KEY,
        user_id text NOT NULL,
        file_name text NOT NULL,
        media_kind text NOT NULL,
        duration_seconds double precision,
        status text NOT NULL,
        language text NOT NULL,
        uploaded_at timestamptz,
        indexed_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS library_moments (
        id bigserial PRIMARY KEY,
        video_id text NOT NULL REFERENCES library_uploads (video_id) ON DELETE CASCADE,
        kind text NOT NULL,
        text text NOT NULL,
        start_seconds double precision,
        end_seconds double precision,
        confidence double precision,
        user_id text NOT NULL,
        file_name text NOT NULL,
        media_kind text NOT NULL,
        language text NOT NULL,
        uploaded_at timestamptz,
        config regconfig NOT NULL,
        document tsvector GENERATED ALWAYS AS (to_tsvector(config, text)) STORED)""",
    # A known person's id on their moments, so removing the person removes them.
    "ALTER TABLE library_moments ADD COLUMN IF NOT EXISTS person_id text",
    # The configurations in use: a search probes the index once for each, not for every one.
    "CREATE TABLE IF NOT EXISTS library_configs (config regconfig PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS library_moments_document ON library_moments USING gin (document)",
    "CREATE INDEX IF NOT EXISTS library_moments_video ON library_moments (video_id)",
    "CREATE INDEX IF NOT EXISTS library_moments_user ON library_moments (user_id)",
    """CREATE INDEX IF NOT EXISTS library_moments_person ON library_moments (person_id)
        WHERE person_id IS NOT NULL""",
    # A library indexed before its configurations were recorded: record them (no scan otherwise).
    """INSERT INTO library_configs SELECT DISTINCT config FROM library_moments
        WHERE NOT EXISTS (SELECT 1 FROM library_configs) ON CONFLICT DO NOTHING""",
)
_INSERT_UPLOAD = """INSERT INTO library_uploads
    (video_id, user_id, file_name, media_kind, duration_seconds, status, language, uploaded_at)
    VALUES (:video_id, :user_id, :file_name, :media_kind, :duration, :status, :language,
            CAST(:uploaded_at AS timestamptz))"""
_INSERT_MOMENT = """INSERT INTO library_moments
    (video_id, kind, text, start_seconds, end_seconds, confidence, user_id, file_name,
     media_kind, language, uploaded_at, config, person_id)
    VALUES (:video_id, :kind, :text, :start, :end, :confidence, :user_id, :file_name,
            :media_kind, :language, CAST(:uploaded_at AS timestamptz),
            CAST(:config AS regconfig), :person_id)"""


@dataclass(frozen=True)
class Cluster:
    """Where the index is: the cluster's ARN, the secret the Data API signs in with, the
    database."""

    resource_arn: str
    secret_arn: str
    database: str = "postgres"

    @classmethod
    def of(cls, config: PipelineConfig) -> Cluster:
        """The cluster a function's Environment names (LIBRARY_CLUSTER_ARN and the rest)."""
        return cls(config.library_cluster_arn, config.library_secret_arn, config.library_database)


def _param(name: str, value: str | float | bool | None) -> SqlParameterTypeDef:
    if value is None:
        return {"name": name, "value": {"isNull": True}}
    if isinstance(value, bool):
        return {"name": name, "value": {"booleanValue": value}}
    if isinstance(value, int):
        return {"name": name, "value": {"longValue": value}}
    if isinstance(value, float):
        return {"name": name, "value": {"doubleValue": value}}
    return {"name": name, "value": {"stringValue": value}}


class Library:
    """The Data API calls the index makes, with the service's errors made the pipeline's."""

    def __init__(self, client: RDSDataServiceClient, cluster: Cluster) -> None:
        self._client = client
        self._cluster = cluster
        self._schema_ready = False  # once a Library: once a Lambda container

    def _call(self, operation: Callable[..., Any], **params: Any) -> Any:
        target = {
            "resourceArn": self._cluster.resource_arn,
            "secretArn": self._cluster.secret_arn,
        }
        try:
            return operation(**target, **params)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            message = error.response.get("Error", {}).get("Message", str(error))
            if code == "DatabaseResumingException":
                raise DatabaseResumingError(
                    f"the library's database is resuming: {message}"
                ) from error
            raise SearchIndexError(f"{code}: {message}") from error

    def execute(
        self,
        sql: str,
        parameters: Sequence[SqlParameterTypeDef] = (),
        transaction: str | None = None,
        *,
        as_json: bool = False,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "sql": sql,
            "database": self._cluster.database,
            "parameters": list(parameters),
        }
        if transaction:
            params["transactionId"] = transaction
        if as_json:
            params["formatRecordsAs"] = "JSON"
        answer: dict[str, Any] = self._call(self._client.execute_statement, **params)
        return answer

    def execute_batch(
        self, sql: str, parameter_sets: list[list[SqlParameterTypeDef]], transaction: str
    ) -> None:
        for first in range(0, len(parameter_sets), _BATCH_ROWS):
            self._call(
                self._client.batch_execute_statement,
                sql=sql,
                database=self._cluster.database,
                parameterSets=parameter_sets[first : first + _BATCH_ROWS],
                transactionId=transaction,
            )

    @contextmanager
    def transaction(self) -> Iterator[str]:
        """A transaction committed when the block ends, rolled back if it raises."""
        began = self._call(self._client.begin_transaction, database=self._cluster.database)
        transaction_id = str(began["transactionId"])
        try:
            yield transaction_id
        except BaseException:
            # A failed statement may have ended it already; the first error is the one to raise.
            with suppress(SearchIndexError, DatabaseResumingError):
                self._call(self._client.rollback_transaction, transactionId=transaction_id)
            raise
        self._call(self._client.commit_transaction, transactionId=transaction_id)

    def ensure_schema(self) -> None:
        """Create the tables and indexes on first use (each statement is idempotent)."""
        if self._schema_ready:
            return
        with self.transaction() as transaction:
            for statement in SCHEMA:
                self.execute(statement, transaction=transaction)
        self._schema_ready = True


def _lock_upload(library: Library, video_id: str, transaction: str) -> None:
    library.execute(
        "SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(:video_id, 0))",
        [_param("video_id", video_id)],
        transaction,
    )


def _note_configs(library: Library, configs: list[str], transaction: str) -> None:
    """Record the configurations in use. A new one is rare, and the table too small for
    autovacuum ever to analyse it; without its figures the planner would scan every moment
    rather than probe the index once a configuration, so it is analysed when it grows."""
    added = library.execute(
        "INSERT INTO library_configs SELECT CAST(c AS regconfig)"
        " FROM unnest(string_to_array(:configs, ',')) AS c ON CONFLICT DO NOTHING",
        [_param("configs", ",".join(configs))],
        transaction,
    )
    if added.get("numberOfRecordsUpdated"):
        library.execute("ANALYZE library_configs", transaction=transaction)


def index_upload(library: Library, record: UploadRecord, moments: list[Moment]) -> int:
    """Replace the upload's rows with these, in one transaction; returns the moments written."""
    library.ensure_schema()
    common = {
        "video_id": record.videoId,
        "user_id": record.userId,
        "file_name": record.fileName,
        "media_kind": record.mediaKind,
        "language": record.languageCode,
        "uploaded_at": record.uploadedAt or None,
    }
    upload = [_param(k, v) for k, v in common.items()]
    upload += [_param("duration", record.durationSeconds), _param("status", record.status)]
    rows = [
        [_param(k, v) for k, v in common.items()]
        + [
            _param("kind", m.kind),
            _param("text", m.text),
            _param("start", m.start),
            _param("end", m.end),
            _param("confidence", m.confidence),
            _param("config", m.config),
            _param("person_id", m.person),
        ]
        for m in moments
    ]
    with library.transaction() as transaction:
        _lock_upload(library, record.videoId, transaction)
        library.execute(
            "DELETE FROM library_uploads WHERE video_id = :video_id",
            [_param("video_id", record.videoId)],
            transaction,
        )
        library.execute(_INSERT_UPLOAD, upload, transaction)
        if rows:
            library.execute_batch(_INSERT_MOMENT, rows, transaction)
            _note_configs(library, sorted({m.config for m in moments}), transaction)
    return len(rows)


def remove_upload(library: Library, video_id: str) -> None:
    """The upload leaves the index (its moments with it)."""
    library.ensure_schema()
    with library.transaction() as transaction:
        _lock_upload(library, video_id, transaction)
        library.execute(
            "DELETE FROM library_uploads WHERE video_id = :video_id",
            [_param("video_id", video_id)],
            transaction,
        )


def remove_person_moments(library: Library, person_id: str) -> int:
    """A removed person's moments leave the index (their uploads' other moments stay);
    returns how many."""
    library.ensure_schema()
    answer = library.execute(
        "DELETE FROM library_moments WHERE person_id = :person_id",
        [_param("person_id", person_id)],
    )
    return int(answer.get("numberOfRecordsUpdated") or 0)


def indexed_uploads(library: Library) -> list[str]:
    library.ensure_schema()
    answer = library.execute("SELECT video_id FROM library_uploads ORDER BY video_id", as_json=True)
    return [str(row["video_id"]) for row in json.loads(answer.get("formattedRecords") or "[]")]


# ---------------------------------------------------------------------- search
class SearchQuery(BaseModel):
    """A search: the words (web search syntax: "a phrase", or, -not), filters and a page."""

    q: str = Field(max_length=MAX_QUERY_CHARS)
    kinds: list[str] = Field(default_factory=list)
    user: str | None = None
    start: datetime | None = Field(default=None, description="uploaded at or after")
    end: datetime | None = Field(default=None, description="uploaded at or before")
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)
    cursor: str | None = None

    @field_validator("q")
    @classmethod
    def _words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the query is empty: give the words to look for")
        if "\x00" in value:
            raise ValueError("the query holds a NUL character")
        return value

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(MOMENT_KINDS))
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}; kinds are {', '.join(MOMENT_KINDS)}")
        return sorted(set(value))

    @field_validator("cursor")
    @classmethod
    def _known_cursor(cls, value: str | None) -> str | None:
        if value is not None:
            decode_cursor(value)
        return value

    @property
    def offset(self) -> int:
        return decode_cursor(self.cursor) if self.cursor else 0


def make_query(**fields: Any) -> SearchQuery:
    """The query checked, or SearchQueryError saying what is wrong with it, in one line."""
    try:
        query = SearchQuery.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "query"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SearchQueryError(f"{where}: {message}") from None
    return query


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor this search gave") from None
    if kind != "o" or not 0 <= offset <= 100_000:
        raise ValueError("not a cursor this search gave")
    return offset


# One tsquery per language's configuration in use; a moment matches in its own language.
_ESCAPED_TEXT = "replace(replace(replace(m.text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
SEARCH_SQL = f"""
WITH query AS (
    SELECT c.config, websearch_to_tsquery(c.config, CAST(:q AS text)) AS tsq
    FROM library_configs c
), matched AS (
    SELECT m.id, m.video_id, m.kind, m.text, m.start_seconds, m.end_seconds, m.config,
           m.user_id, m.media_kind, m.language, q.tsq, ts_rank(m.document, q.tsq) AS rank
    FROM query q
    JOIN library_moments m ON m.config = q.config AND m.document @@ q.tsq
    WHERE (CAST(:kinds AS text) = '' OR m.kind = ANY (string_to_array(CAST(:kinds AS text), ',')))
      AND (CAST(:user_id AS text) IS NULL OR m.user_id = CAST(:user_id AS text))
      AND (CAST(:after AS timestamptz) IS NULL OR m.uploaded_at >= CAST(:after AS timestamptz))
      AND (CAST(:before AS timestamptz) IS NULL OR m.uploaded_at <= CAST(:before AS timestamptz))
), uploads AS (
    SELECT video_id, max(rank) AS score, count(*) AS matches FROM matched GROUP BY video_id
), page AS (
    SELECT video_id, score, matches,
           row_number() OVER (ORDER BY score DESC, matches DESC, video_id) AS position
    FROM uploads
    ORDER BY score DESC, matches DESC, video_id
    LIMIT CAST(:page_size AS integer) OFFSET CAST(:page_offset AS integer)
), best AS (
    SELECT m.*, row_number() OVER (
        PARTITION BY m.video_id ORDER BY m.rank DESC, m.start_seconds NULLS FIRST, m.id) AS n
    FROM matched m JOIN page USING (video_id)
), shown AS (
    SELECT b.video_id, json_agg(json_build_object(
        'kind', b.kind, 'start', b.start_seconds, 'end', b.end_seconds, 'text', b.text,
        'highlight', ts_headline(b.config, {_ESCAPED_TEXT.replace("m.", "b.")}, b.tsq,
                                 'StartSel=<b>, StopSel=</b>, MaxWords=40, MinWords=25')
    ) ORDER BY b.start_seconds NULLS FIRST, b.id) AS moments
    FROM best b WHERE b.n <= {MOMENTS_PER_HIT} GROUP BY b.video_id
), facet AS (
    SELECT 'kind' AS facet, kind AS value, count(*) AS n FROM matched GROUP BY kind
    UNION ALL
    SELECT 'user', user_id, count(DISTINCT video_id) FROM matched GROUP BY user_id
    UNION ALL
    SELECT 'mediaKind', media_kind, count(DISTINCT video_id) FROM matched GROUP BY media_kind
    UNION ALL
    SELECT 'language', language, count(DISTINCT video_id) FROM matched GROUP BY language
)
SELECT json_build_object(
    'total', (SELECT count(*) FROM uploads),
    'hits', COALESCE((
        SELECT json_agg(json_build_object(
            'videoId', u.video_id, 'name', u.file_name, 'user', u.user_id,
            'mediaKind', u.media_kind, 'language', u.language,
            'durationSeconds', u.duration_seconds, 'uploadedAt', u.uploaded_at,
            'score', p.score, 'matches', p.matches, 'moments', s.moments
        ) ORDER BY p.position)
        FROM page p JOIN library_uploads u USING (video_id) JOIN shown s USING (video_id)
    ), '[]'::json),
    'facets', (SELECT COALESCE(json_object_agg(facet, counts), '{{}}'::json) FROM (
        SELECT facet, json_object_agg(value, n) AS counts FROM facet GROUP BY facet) f)
) AS answer
"""  # noqa: S608 - only this module's constants are formatted in; the words are a parameter
FACETS = ("kind", "user", "mediaKind", "language")


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def search(
    library: Library,
    query: SearchQuery,
    report_of: Callable[[str], str | None] = lambda _video_id: None,
) -> dict[str, Any]:
    """Hits grouped by upload, best first, each with its best moments in time order (with the
    matched words in <b>, the text HTML-escaped), the facets of every match, and the cursor of
    the next page. `report_of` gives an upload's report page, which each moment links into."""
    library.ensure_schema()
    parameters = [
        _param("q", query.q),
        _param("kinds", ",".join(query.kinds)),
        _param("user_id", query.user),
        _param("after", _time_text(query.start)),
        _param("before", _time_text(query.end)),
        _param("page_size", query.limit),
        _param("page_offset", query.offset),
    ]
    answer = library.execute(SEARCH_SQL, parameters, as_json=True)
    rows = json.loads(answer.get("formattedRecords") or "[]")
    found: dict[str, Any] = rows[0]["answer"] if rows else {"total": 0, "hits": [], "facets": {}}
    if isinstance(found, str):
        found = json.loads(found)
    for hit in found["hits"]:
        report = report_of(hit["videoId"])
        hit["report"] = report
        for moment in hit["moments"]:
            start = moment["start"]
            moment["link"] = (
                None if report is None else report if start is None else f"{report}#t={start:g}"
            )
    facets = found.get("facets") or {}
    shown = query.offset + len(found["hits"])
    return {
        "query": query.q,
        "total": found["total"],
        "hits": found["hits"],
        "facets": {name: facets.get(name) or {} for name in FACETS},
        "cursor": encode_cursor(shown) if shown < found["total"] else None,
    }
