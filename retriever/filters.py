"""Check search filters against what the index holds, with errors that list the valid values."""

from __future__ import annotations

from core.errors import CasewiseError
from core.models import SectionKind
from ingest.catalog import Catalog, section_key
from retriever.models import SearchFilter


def resolve_kinds(filters: SearchFilter) -> list[str]:
    """The section kinds to restrict search to; raise on a name that is not a kind."""
    known = [k.value for k in SectionKind]
    unknown = [k for k in filters.kinds if k.lower() not in known]
    if unknown:
        raise CasewiseError(f"unknown section kind {', '.join(unknown)!r}; use one of: {', '.join(known)}")
    return [k.lower() for k in filters.kinds]


def resolve_filters(filters: SearchFilter, catalog: Catalog) -> tuple[list[str], list[str]]:
    """(review ids, section keys) to restrict search to; raise on any name the index does not hold."""
    if filters.empty:
        return [], []
    if not filters.review_types and catalog.has_reviews(filters.reviews):  # ids: no need to read every review
        return list(filters.reviews), _sections(filters, catalog)
    index = catalog.review_index() if filters.reviews or filters.review_types else {}
    review_ids: list[str] = []
    by_title = {meta.title.lower(): rid for rid, meta in index.items()}
    for name in filters.reviews:
        rid = name if name in index else by_title.get(name.lower())
        if rid is None:
            raise CasewiseError(f"unknown review {name!r}; the index holds: {', '.join(sorted(index)) or '(none)'}")
        review_ids.append(rid)
    if filters.review_types:
        types = {meta.review_type for meta in index.values() if meta.review_type}
        wanted = {t.lower() for t in filters.review_types}
        unknown = wanted - types
        if unknown:
            raise CasewiseError(
                f"unknown review type {', '.join(sorted(unknown))!r}; the index holds: {', '.join(sorted(types))}"
            )
        typed = [rid for rid, meta in index.items() if meta.review_type in wanted]
        review_ids = [r for r in review_ids if r in typed] if review_ids else typed
        if not review_ids:
            raise CasewiseError("no review matches both the review and review-type filters; loosen one of them")
    return review_ids, _sections(filters, catalog)


def _sections(filters: SearchFilter, catalog: Catalog) -> list[str]:
    sections = [section_key(s) for s in filters.sections]
    known = catalog.section_keys() if sections else set()
    unknown_sections = [s for s in sections if s not in known]
    if unknown_sections:
        raise CasewiseError(
            f"unknown section {', '.join(unknown_sections)!r}; sections in the index: {', '.join(sorted(known))}"
        )
    return sections
