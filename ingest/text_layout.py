"""Plain-text and markdown layouts: YAML front matter becomes metadata hints, markdown tables readable rows."""

from __future__ import annotations

from ingest.docx_text import table_lines

FRONT_MATTER_KEYS = {"title": "title", "date": "date", "published": "date", "partnership": "partnership",
                     "type": "type", "review_type": "type"}  # fmt: skip


def split_front_matter(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(text without a leading '---' YAML block, its simple 'key: value' pairs that name metadata)."""
    if not text.startswith("---\n"):
        return text, ()
    end = text.find("\n---", 4)
    if end < 0:
        return text, ()
    hints = []
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in FRONT_MATTER_KEYS and value.strip():
            hints.append((FRONT_MATTER_KEYS[key], value.strip().strip("\"'")))
    rest = text[end + 4 :]
    return rest[rest.find("\n") + 1 :] if "\n" in rest else "", tuple(hints)


def readable_tables(text: str) -> str:
    """Markdown tables ('| a | b |' rows) as one readable line per row, each cell named by its column."""
    out: list[str] = []
    table: list[list[str]] = []
    for line in [*text.split("\n"), ""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                table.append(cells)
            continue
        if table:
            out += ["", *table_lines(table), ""]
            table = []
        out.append(line)
    return "\n".join(out[:-1])
