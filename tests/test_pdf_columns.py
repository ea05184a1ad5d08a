"""Reading order of a PDF page's lines from its geometry (ingest/pdf_columns.py), on lines of invented words: two
columns are read one after the other within the bands that lines spanning the page divide them into; a page in one
column, with labels and values set apart by tab stops, keeps its order."""

from __future__ import annotations

from ingest.pdf_columns import Line, reading_order

WIDTH = 595.0
LEFT, RIGHT = (50.0, 285.0), (310.0, 545.0)  # the columns' edges; the gutter is 25 points wide
SIZE = 10.0


def _line(text: str, top: float, x0: float, x1: float | None = None) -> Line:
    """Words of a line set from x0, each word as wide as its letters at 5 points a letter, a space 3 points; when x1
    is given, spaces are widened so that the line fills to it (justified text)."""
    words = text.split()
    natural = sum(5 * len(w) for w in words) + 3 * (len(words) - 1)
    space = 3 + ((x1 - x0 - natural) / max(len(words) - 1, 1) if x1 is not None else 0)
    line, x = [], x0
    for word in words:
        line.append({"text": word, "x0": x, "x1": x + 5 * len(word), "top": top, "bottom": top + SIZE, "size": SIZE})
        x += 5 * len(word) + space
    return line


def _texts(lines: list[Line]) -> list[str]:
    return [" ".join(w["text"] for w in line) for line in lines]


def _column(name: str, tops: range, edges: tuple[float, float]) -> list[Line]:
    text = "line {} of the column text that runs on to its edge"
    return [_line(f"{name} {text.format(n)}", top, *edges) for n, top in enumerate(tops, start=1)]


def test_two_columns_under_a_spanning_title_are_read_one_after_the_other() -> None:
    title = _line("Learning briefing about a baby who was injured at home", 60, 150)
    left, right = _column("left", range(100, 190, 14), LEFT), _column("right", range(100, 190, 14), RIGHT)
    shuffled = [title] + [line for pair in zip(right, left, strict=True) for line in pair]
    assert _texts(reading_order(shuffled, WIDTH)) == _texts([title, *left, *right])


def test_a_heading_across_both_columns_closes_the_band_above_it() -> None:
    upper = _column("upper left", range(100, 170, 14), LEFT), _column("upper right", range(100, 156, 14), RIGHT)
    heading = _line("Recommendations", 190, 50)  # set at the left margin, nothing beside it in the right column
    lower = _column("lower left", range(220, 262, 14), LEFT), _column("lower right", range(220, 262, 14), RIGHT)
    lines = [*upper[0], *upper[1], heading, *lower[0], *lower[1]]
    assert _texts(reading_order(lines, WIDTH)) == _texts([*upper[0], *upper[1], heading, *lower[0], *lower[1]])


def test_a_heading_inside_the_left_column_stays_in_it() -> None:
    """Beside the right column's text, or below where the right column ends, a heading is the left column's."""
    left = _column("left", range(100, 200, 14), LEFT)
    beside = _line("Background", 210, 50)
    after = _column("left after", range(230, 300, 14), LEFT)
    right = _column("right", range(100, 240, 14), RIGHT)  # ends beside the heading
    lines = [*left, beside, *after, *right]
    assert _texts(reading_order(lines, WIDTH)) == _texts([*left, beside, *after, *right])
    short = right[:5]  # ends above the heading
    assert _texts(reading_order([*left, beside, *after, *short], WIDTH)) == _texts([*left, beside, *after, *short])


def test_a_single_column_with_tab_aligned_values_keeps_its_order() -> None:
    fields = [
        line
        for n, (label, value) in enumerate(
            (
                ("Author:", "J Ashworth"),
                ("Published:", "May 2024"),
                ("Status:", "Final"),
                ("Partnership:", "Kelsey Vale"),
                ("Review type:", "Rapid review"),
                ("Child:", "Child T"),
            )
        )  # fmt: skip
        for line in ([_line(label, 100 + 14 * n, 50) + _line(value, 100 + 14 * n, 310)])
    ]
    prose = _column("prose", range(200, 300, 14), (50, 545))
    assert _texts(reading_order([*fields, *prose], WIDTH)) == _texts([*fields, *prose])


def test_reading_order_grows_with_the_lines_not_faster() -> None:
    """A page of thousands of column lines (a hostile or a tiny-print PDF), each left line tested against the right
    column, which holds a table as tall as the page: the work stays about linear in the lines."""
    from growth import LINEAR, growth

    def page(n: int) -> list[Line]:
        tops = range(100, 100 + 2 * n, 2)
        table = _line("Agency: Police; Contacts: 3", 99, *RIGHT)
        table[0]["bottom"] = 100 + 2 * n  # a table's row reaches to the table's foot
        return [*_column("left", tops, LEFT), *_column("right", tops, RIGHT), table]

    assert growth(lambda lines: reading_order(lines, WIDTH), page, 400) < LINEAR


def test_three_columns_are_read_one_after_another() -> None:
    title = _line("Learning briefing about a young carer who left school", 60, 150)
    edges = ((40.0, 205.0), (215.0, 380.0), (390.0, 555.0))  # gutters of 10 points
    columns = [
        [_line(f"{name} column line {n} of prose", 100 + 14 * n, *edge) for n in range(1, 8)]
        for name, edge in zip(("first", "second", "third"), edges, strict=True)
    ]
    assert all(max(w["x1"] for w in line) <= end for col, (_, end) in zip(columns, edges, strict=True) for line in col)
    shuffled = [title, *(line for row in zip(*reversed(columns), strict=True) for line in row)]
    assert _texts(reading_order(shuffled, WIDTH)) == _texts([title, *columns[0], *columns[1], *columns[2]])


def test_an_unruled_chronology_keeps_each_date_beside_its_entry() -> None:
    """Dates at the left margin, each beside the first of the two or three lines of its entry: a table set without
    rules, not two columns, so it is read row by row."""
    lines = []
    top = 100.0
    for day, entry_lines in ((3, 3), (10, 2), (17, 3), (24, 2), (28, 3), (30, 2)):
        lines.append(
            _line(f"{day} March 2021", top, 50)
            + _line(f"on {day} March the health visitor saw the family at home again", top, 140, 545)
        )
        for n in range(1, entry_lines):
            lines.append(
                _line(f"the entry of {day} March goes on over line {n} of it to the edge", top + 14 * n, 140, 545)
            )
        top += 14 * entry_lines + 6
    assert _texts(reading_order(lines, WIDTH)) == _texts(lines)


def test_a_running_header_cut_at_the_gutter_and_a_footer_under_the_left_column_are_read_around_the_columns() -> None:
    """ "Westmarch Partnership" over the left column and "CSPR: Ellis" over the right one are the page's header;
    "OFFICIAL SENSITIVE" set low under the left column is its footer: neither is read inside a column."""
    header = [_line("Westmarch Partnership", 30, 50), _line("CSPR: Ellis FINAL", 30, 450)]
    left, right = _column("left", range(100, 240, 14), LEFT), _column("right", range(100, 240, 14), RIGHT)
    footer = _line("OFFICIAL SENSITIVE", 800, 50)
    ordered = _texts(reading_order([*header, *right, *left, footer], WIDTH))
    assert ordered == _texts([*header, *left, *right, footer])


def test_notes_set_across_the_foot_of_a_page_in_columns_do_not_hide_the_columns() -> None:
    """Footnotes run across the gutter under the columns; the columns above them are still read one after the
    other, and the notes after them."""
    left, right = _column("left", range(100, 380, 14), LEFT), _column("right", range(100, 380, 14), RIGHT)
    across = "A note set across the foot of the page under both columns of the text above it here"
    texts = (across, "A short note that ends inside the gap of the pages", "A short note that ends well inside the gap "
             "of the page", across)  # fmt: skip
    notes = [_line(f"{n} {text}", 420 + 11 * n, 50) for n, text in enumerate(texts)]  # two end in the gutter
    lines = [line for pair in zip(left, right, strict=True) for line in pair] + notes
    assert _texts(reading_order(lines, WIDTH)) == _texts([*left, *right, *notes])


def test_a_line_without_words_is_no_line() -> None:
    left = _column("left", range(100, 200, 14), LEFT)
    assert _texts(reading_order([[], *left], WIDTH)) == _texts(left)
