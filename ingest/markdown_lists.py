"""Markdown ordered lists numbered as they render: CommonMark takes a list's first number as its start and counts
up from it whatever the later items print, so an item written '1.' under a '3.' is read as '4.'."""

from __future__ import annotations

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark")


def ordered_lists_renumbered(text: str) -> str:
    """Markdown text with each ordered list item's printed number replaced by the number a reader of the rendered
    document sees (its list's start plus its position, each nested list counted on its own); the delimiter ('.' or
    ')') and everything else kept. Text written the way it renders is returned unchanged."""
    lines = text.split("\n")
    cursors: dict[int, int] = {}  # line -> where its next item marker may start (two items can open one line)
    counters: list[int] = []  # the next number of each open ordered list, innermost last
    ordered: list[bool] = []  # whether each open list is ordered
    changed = False
    for token in _PARSER.parse(text):
        if token.type in ("ordered_list_open", "bullet_list_open"):
            ordered.append(token.type == "ordered_list_open")
            counters.append(-1)  # set by the first item
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            ordered.pop()
            counters.pop()
        elif token.type == "list_item_open" and ordered and ordered[-1] and token.map:
            written = token.info
            if counters[-1] < 0:
                counters[-1] = int(written)
            shown = str(counters[-1])
            counters[-1] += 1
            row = token.map[0]
            marker = written + token.markup
            at = lines[row].find(marker, cursors.get(row, 0))
            if at < 0:  # not where the parser put it: leave the line as written
                continue
            cursors[row] = at + len(shown) + len(token.markup)
            if shown != written:
                lines[row] = f"{lines[row][:at]}{shown}{lines[row][at + len(written) :]}"
                changed = True
    return "\n".join(lines) if changed else text
