"""Section filters as people type them: any heading on a section's path containing the words, in any case."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from core.errors import CasewiseError
from core.models import Section
from ingest.catalog import Catalog, section_key


def matching_names(wanted: str, sections: Iterable[Section]) -> set[str]:
    """Leaf names of sections whose path has a heading containing `wanted` (case and spacing ignored)."""
    key = section_key(wanted)
    return {s.name for s in sections if key and any(key in section_key(heading) for heading in s.path)}


def expand_sections(wanted: Sequence[str], catalog: Catalog) -> tuple[str, ...]:
    """The section names the index holds for each typed name; an unmatched name is an error listing the choices."""
    if not wanted:
        return ()
    every = [s for review_id in catalog.review_index() for s in catalog.sections(review_id)]
    names: dict[str, None] = {}
    for name in wanted:
        found = matching_names(name, every)
        if not found:
            known = sorted({section_key(s.name) for s in every})
            raise CasewiseError(f"no section heading contains {name!r}; sections in the index: {', '.join(known)}")
        names.update(dict.fromkeys(sorted(found, key=str.lower)))
    return tuple(names)
