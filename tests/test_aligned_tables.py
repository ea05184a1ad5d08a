"""Tables laid out with spaces in plain text (ingest/aligned_tables.py): read row by row, each cell named by its
column, on invented reviews, through the real ingest stages and the real model."""

from __future__ import annotations

from pathlib import Path

from growth import LINEAR, growth
from layouts import ingest, section_body
from list_answers import index_reviews

from ingest.aligned_tables import aligned_tables

CHRONOLOGY = """\
Date          Agency            Contact                          Outcome
12/01/2023    Health visitor    Home visit; bruise on cheek      No referral made; mother said
                                noticed                          K fell from a sofa
03/02/2023    Nursery           K absent for nine days           Welfare call not made
20/02/2023    Police            Domestic abuse call-out at       DASH risk assessed as medium;
                                the family home                  notification sent to school
"""
REVIEW = f"""\
CHILD SAFEGUARDING PRACTICE REVIEW: CHILD K

Westbury Safeguarding Children Partnership

1. INTRODUCTION

This review considers the circumstances of Child K, aged 4, who was admitted to hospital in March 2023 with a
fractured arm.

2. AGENCY INVOLVEMENT

The table below sets out the key contacts with the family.

{CHRONOLOGY}
3. FINDINGS

Finding 1: The bruise in January was not treated as a possible injury to a young child.

4. RECOMMENDATIONS

1. The health visiting service should apply the bruising protocol to every child under five.
"""
POLICE_ROW = (  # a cell holding a semicolon of its own: the row's cells are parted with bars
    "Date: 20/02/2023 | Agency: Police | Contact: Domestic abuse call-out at the family home | "
    "Outcome: DASH risk assessed as medium; notification sent to school"
)


def test_a_chronology_laid_out_with_spaces_reads_one_row_at_a_time_each_cell_named(tmp_path: Path) -> None:
    """A cell running over two lines is one cell: no quote runs the contact's words into the outcome's."""
    path = tmp_path / "child-k-cspr.txt"
    path.write_text(REVIEW, encoding="utf-8")
    body = section_body(ingest(path), ("AGENCY INVOLVEMENT",))
    assert POLICE_ROW in body
    assert (
        "Date: 12/01/2023 | Agency: Health visitor | Contact: Home visit; bruise on cheek noticed | "
        "Outcome: No referral made; mother said K fell from a sofa"
    ) in body
    assert "mother said noticed" not in body


def test_an_answer_quotes_the_row_that_answers_it_whole(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    casewise = index_reviews(
        tmp_path, None, {"child-k-cspr.txt": lambda p: p.write_text(REVIEW, encoding="utf-8")}, real_embedder
    )
    answer = casewise.ask("What did the police do after the domestic abuse call-out to Child K's home?")
    assert any(POLICE_ROW in c.quote for c in answer.citations), answer.text


def test_a_table_without_a_header_reads_each_row_on_its_own_and_a_ruled_header_names_the_columns() -> None:
    plain = (
        "12/01/2023   GP        Saw K with a cough\n03/02/2023   Nursery   K absent\n20/02/2023   Police    Call-out\n"
    )
    assert aligned_tables(plain).strip().split("\n\n")[:3] == [
        "12/01/2023 | GP | Saw K with a cough",
        "03/02/2023 | Nursery | K absent",
        "20/02/2023 | Police | Call-out",
    ]
    ruled = "When           Who\n----------     -------\n2023           Police attended\n2024           GP saw K\n"
    assert aligned_tables(ruled).strip().split("\n\n")[:2] == [
        "When: 2023; Who: Police attended",
        "When: 2024; Who: GP saw K",
    ]


def test_a_header_ruled_column_by_column_in_a_review_names_the_cells_and_is_no_heading(tmp_path: Path) -> None:
    """pdftotext gives a ruled header as a line of dashes under each column: the ruling is the table's, not a
    heading's underline, so the header names the cells and stands as no sub-section of its own."""
    header, *rows = CHRONOLOGY.split("\n")
    rule = "------------  ----------------  -------------------------------  -------------------------------"
    ruled = "\n".join([header, rule, *rows])
    path = tmp_path / "child-k-cspr.txt"
    path.write_text(REVIEW.replace(CHRONOLOGY, ruled), encoding="utf-8")
    run = ingest(path)
    assert [s.path for s in run.sections if s.path[0] == "AGENCY INVOLVEMENT"] == [("AGENCY INVOLVEMENT",)]
    assert "Date: 03/02/2023; Agency: Nursery; Contact: K absent for nine days; Outcome: Welfare" in section_body(
        run, ("AGENCY INVOLVEMENT",)
    )


def test_paragraphs_indented_under_their_numbers_and_lines_side_by_side_are_not_tables() -> None:
    """A numbered paragraph wrapped under its first words, a list with hanging indents and a cover's two lines set
    apart line up in two "columns" without being tables: they are left as they are."""
    for text in (
        "1.1   This review concerns Adolescent X, a 16-year-old boy who died\n"
        "      in February 2021 after being stabbed in Oakport, a town about\n"
        "      40 miles from his home.\n",
        "1.    The council should review its policy on\n      missing children.\n"
        "2.    The police should share notifications\n      with schools.\n"
        "3.    The school should record welfare calls.\n",
        "Child Safeguarding Practice Review        March 2023\nWestbury Partnership                     Final\n"
        "Child K                                  Published\n",
    ):
        assert aligned_tables(text) == text


def test_a_huge_aligned_block_is_read_linearly() -> None:
    def make(n: int) -> str:
        return "Date   Agency   Note\n" + "".join(f"{i:05d}  Police   Attended the home\n" for i in range(n))

    assert "Date: 00002; Agency: Police; Note: Attended the home" in aligned_tables(make(3))
    assert growth(aligned_tables, make, 2_000) < LINEAR
    assert growth(aligned_tables, lambda n: "a  b  c\n" * 3 + "x" * n, 100_000) < LINEAR
    assert growth(aligned_tables, lambda n: ("-" * n + "x\n") * 3, 10_000) < LINEAR  # almost a rule, line by line
