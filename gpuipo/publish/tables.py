"""Tables as MyST: pipe tables of text, and the print layout of long ones (column widths, longtable)."""
from __future__ import annotations

import pandas as pd

from gpuipo.contract.vocabulary import PRINT_LINE
from gpuipo.publish.markup import NUMBER_SHOWN, text


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table whose every cell is text (or Markup built here); numbers are right-aligned."""
    def cells(values):
        return "| " + " | ".join(text(v) for v in values) + " |"

    align = ["---:" if frame[c].map(lambda v: bool(NUMBER_SHOWN.fullmatch(str(v)))).all() and len(frame) else "---"
             for c in frame.columns]
    lines = [cells(frame.columns), "| " + " | ".join(align) + " |"]
    lines += [cells(row) for row in frame.itertuples(index=False)]
    return "\n".join(lines)


LONG_TABLE_ROWS = 15    # from this many rows a table is set as a longtable in print,
LONG_TABLE_LINES = 15   # and from this many printed lines: a taller table than that may not fit under a
                        # figure LaTeX has already put at the top of the next page, and only a longtable breaks


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Relative column widths for print, from the longest cell of each column (a header word at least,
    a long sentence at most as wide as forty characters). When they add up to more than a line, every
    column keeps its minimum (ten characters, so that an id such as C02-01 never wraps at its hyphen,
    or its longest header word) and the wider ones share what is left."""
    wanted, least = [], []
    for column in frame.columns:
        longest = max([len(str(v)) for v in frame[column]] + [0])
        word = max(len(w) for w in str(column).split() or [""])
        wanted.append(max(word, min(longest, 40), 10) + 3)   # + the cell's padding
        least.append(max(word, min(longest, 10)) + 3)
    if sum(wanted) <= PRINT_LINE or sum(least) >= PRINT_LINE:
        return wanted
    spare, extra = PRINT_LINE - sum(least), [w - m for w, m in zip(wanted, least)]
    return [m + round(e * spare / sum(extra)) for m, e in zip(least, extra)]


def printed_lines(frame: pd.DataFrame) -> int:
    """About how many lines a table takes in print: each row as tall as its longest cell wraps to, in
    columns as wide as `column_widths` makes them across the text width (and one line for the header)."""
    widths = column_widths(frame)
    chars = [max(w * PRINT_LINE / max(sum(widths), PRINT_LINE) - 3, 4) for w in widths]
    return 1 + sum(max([-(-len(str(v)) // int(c)) for v, c in zip(row, chars)] + [1])
                   for row in frame.itertuples(index=False))


def table_block(frame: pd.DataFrame, caption: str = "", name: str | None = None) -> str:
    """A table directive: a long table is set as LaTeX's longtable, which breaks across pages and repeats
    its header, with column widths that wrap long cells; a shorter one stays a tabulary, which keeps to
    one page. A named table is numbered; a table without name or caption is a bare pipe table."""
    options = [f":name: {name}"] if name else []
    if len(frame) >= LONG_TABLE_ROWS or printed_lines(frame) >= LONG_TABLE_LINES:
        options += [":class: longtable", ":widths: " + " ".join(str(w) for w in column_widths(frame))]
    if not options and not caption:
        return markdown_table(frame)
    return f":::{{table}} {caption}".rstrip() + "\n" + "".join(o + "\n" for o in options) + "\n" + markdown_table(frame) + "\n:::"
