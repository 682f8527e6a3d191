"""GET /search's query string as a SearchQuery: the HTTP API and the command line ask alike."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import SearchQueryError
from .search_index import SearchQuery, make_query


def _number(name: str, text: str | None) -> int | None:
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise SearchQueryError(f"{name}: {text!r} is not a whole number") from None


def query_from_parameters(parameters: Mapping[str, str] | None) -> SearchQuery:
    """`q`, `kind` (comma separated, or repeated, which API Gateway joins with commas), `user`,
    `from` and `to` (upload time, ISO 8601), `limit` and `cursor`."""
    given = dict(parameters or {})
    if "q" not in given:
        raise SearchQueryError("q: give the words to look for (?q=...)")
    fields: dict[str, object] = {
        "q": given["q"],
        "kinds": [kind for kind in given.get("kind", "").split(",") if kind],
        "user": given.get("user") or None,
        "start": given.get("from") or None,
        "end": given.get("to") or None,
        "cursor": given.get("cursor") or None,
    }
    limit = _number("limit", given.get("limit"))
    if limit is not None:
        fields["limit"] = limit
    return make_query(**fields)
