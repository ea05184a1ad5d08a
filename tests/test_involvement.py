"""Which agencies were involved, from a review's agency-involvement sections (retriever/involvement.py), on chunks
laid out as the index holds them."""

from __future__ import annotations

from collections.abc import Sequence

from core.models import Chunk, SectionKind
from retriever.involvement import ASKS_INVOLVED, involvement_parts

AI = SectionKind.AGENCY_INVOLVEMENT


def _chunk(ordinal: int, path: tuple[str, ...], text: str, child: str | None = None) -> Chunk:
    return Chunk(
        f"t:{ordinal}", "t", "Thematic Review", None, path, path[-1], ordinal, 0, 0, len(text), (1,), text,
        section_kind=AI, child=child,
    )  # fmt: skip


class _Catalog:
    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks

    def chunks_of_kind(self, kind: str, review_ids: Sequence[str] = ()) -> list[Chunk]:
        return [c for c in self.chunks if c.section_kind == kind]


def test_the_agencies_are_the_parts_under_a_heading_naming_agency_involvement_and_of_the_child_asked_about() -> None:
    """A thematic review sets out each child's agencies under the child: those of the child asked about are listed;
    a child's "Agency involvement" section is no agency, nor is a summary table of contacts."""
    catalog = _Catalog(
        [
            _chunk(1, ("Child A", "Agency involvement", "Midwifery"), "The midwife saw A's mother.", "Child A"),
            _chunk(2, ("Child A", "Agency involvement", "Police"), "Police attended twice.", "Child A"),
            _chunk(3, ("Child A", "Agency involvement", "Summary of agency contacts"), "The table below.", "Child A"),
            _chunk(4, ("Child B", "Agency involvement", "GP"), "The GP saw B once.", "Child B"),
            _chunk(5, ("Child B", "Agency involvement", "Nursery"), "B went to nursery.", "Child B"),
        ]
    )
    parts = involvement_parts(catalog, "t", ("Child A",))  # type: ignore[arg-type]
    assert [p[0].section_path[-1] for p in parts] == ["Midwifery", "Police"]
    every = involvement_parts(catalog, "t")  # type: ignore[arg-type]
    assert [p[0].section_path[-1] for p in every] == ["Midwifery", "Police", "GP", "Nursery"]
    flat = _Catalog([_chunk(1, ("Child A", "Agency involvement"), "A was seen.", "Child A"),
                     _chunk(2, ("Child B", "Agency involvement"), "B was seen.", "Child B")])  # fmt: skip
    assert involvement_parts(flat, "t") == []  # type: ignore[arg-type]


def test_asking_which_agencies_were_involved_is_told_from_asking_about_an_agency() -> None:
    assert ASKS_INVOLVED.search("Which agencies were involved with Baby N?")
    assert ASKS_INVOLVED.search("What services had contact with Child G's family?")
    assert not ASKS_INVOLVED.search("Which agency missed the bruise?")


def test_an_agency_named_with_a_word_of_another_kind_is_still_an_agency() -> None:
    """ "Family Nurse Partnership" is an organisation; "Family history" under the same heading is no agency."""
    catalog = _Catalog(
        [
            _chunk(1, ("Agency involvement", "Family Nurse Partnership"), "The family nurse visited fortnightly."),
            _chunk(2, ("Agency involvement", "Police"), "Officers attended in May 2023."),
            _chunk(3, ("Agency involvement", "Family history"), "The family had moved often."),
        ]
    )
    parts = involvement_parts(catalog, "t")  # type: ignore[arg-type]
    assert [p[0].section_path[-1] for p in parts] == ["Family Nurse Partnership", "Police"]
