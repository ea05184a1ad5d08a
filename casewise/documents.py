"""The JSON documents of the `casewise` contract, built in one place for the CLI and the HTTP service alike."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from core.errors import CasewiseError
from ingest.catalog import Catalog
from retriever.filters import resolve_filters, resolve_kinds
from retriever.models import Answer, Hit, SearchFilter, Turn
from retriever.questions import clean_question
from retriever.section_match import expand_sections


class RequestError(CasewiseError):
    """A request body that does not follow the documented shape."""


def search_document(query: str, hits: list[Hit]) -> dict[str, Any]:
    """`casewise search QUERY --json`: the query and its ranked results."""
    return {"query": query, "results": [h.to_dict(i) for i, h in enumerate(hits, start=1)]}


def answer_document(answer: Answer) -> dict[str, Any]:
    """`casewise ask QUESTION --json`: the answer object."""
    return answer.to_dict()


def reviews_document(catalog: Catalog) -> dict[str, Any]:
    """Every indexed review: its id and metadata."""
    return {"reviews": [{"review_id": rid, **asdict(meta)} for rid, meta in catalog.review_index().items()]}


def filter_body(filters: SearchFilter) -> dict[str, list[str]]:
    """The filters as request fields (only those set)."""
    return {f.name: list(getattr(filters, f.name)) for f in fields(SearchFilter) if getattr(filters, f.name)}


def filters_from_body(body: dict[str, Any]) -> SearchFilter:
    """SearchFilter from a request's `reviews`, `sections`, `review_types`, `kinds` (lists of strings)."""
    values = {}
    for f in fields(SearchFilter):
        value = body.get(f.name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RequestError(f'"{f.name}" must be a list of strings')
        values[f.name] = tuple(value)
    return SearchFilter(**values)


def checked(filters: SearchFilter, catalog: Catalog) -> SearchFilter:
    """Filters with section names matched against the index's headings; raises on names the index lacks."""
    filters = SearchFilter(
        reviews=filters.reviews,
        sections=expand_sections(filters.sections, catalog),
        review_types=filters.review_types,
        kinds=filters.kinds,
    )
    resolve_kinds(filters)
    resolve_filters(filters, catalog)
    return filters


def history_from_body(turns: Any, what: str) -> tuple[Turn, ...]:
    """Conversation turns from a list of {"role": "user"|"assistant", "content": str} objects."""
    turns = turns or []
    if not isinstance(turns, list) or not all(
        isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
        for t in turns
    ):
        raise RequestError(f'"history" of {what} must be a list of {{"role", "content"}} objects')
    return tuple(Turn(t["role"], clean_question(t["content"], "history turn")) for t in turns)


def text_field(body: dict[str, Any], name: str) -> str:
    """A required string field, cleaned as the CLI cleans a question."""
    value = body.get(name)
    if not isinstance(value, str):
        raise RequestError(f'the request needs a string "{name}"')
    return clean_question(value, name)
