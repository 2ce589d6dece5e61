"""Put computed numbers, charts, tables and text into the book.

Data is text. Everything displayed here is parsed as MyST Markdown, which would run any role,
directive, raw HTML or link a string carried; so every string given to these functions is escaped by
`text()` and can only ever render as itself. The only markup on a page that comes from code rather
than from a notebook's own Markdown cells is built here, from `Markup` values: bold, citations of
validated source ids, downloads of files in the repository and inline code.
"""
from __future__ import annotations

import numbers
import re
import string

import pandas as pd
from IPython.display import Markdown, display

from . import charts
from .schema import KEY_PATTERN
from .vocabulary import FORMULA_PREFIXES

# CommonMark makes any ASCII punctuation character literal when a backslash precedes it, and every
# MyST construct (roles, directives, targets, HTML, links, emphasis, tables) starts with one.
_PUNCTUATION = set(string.punctuation)
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_RELATIVE_PATH = re.compile(r"(\.\./)*([A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*")
_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?([eE][+-]?[0-9]+)?%?")


class Markup(str):
    """MyST markup written by this module, never by data."""


def text(value) -> str:
    """A value as inert MyST text: punctuation escaped, and every run of whitespace (line breaks
    included, which could open a block or an indented code block) collapsed to one space."""
    if isinstance(value, Markup):
        return value
    collapsed = re.sub(r"\s+", " ", str(value))
    return "".join("\\" + c if c in _PUNCTUATION else c for c in collapsed)


def md(*parts) -> str:
    """Join parts into MyST: Markup as written, anything else as text."""
    return "".join(text(part) for part in parts)


def strong(*parts) -> Markup:
    return Markup("**" + md(*parts) + "**")


def code(value) -> Markup:
    """Inline code: nothing inside a code span is parsed, and the fence outruns any backticks."""
    content = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall("`+", content)), default=0) + 1)
    return Markup(f"{fence} {content} {fence}")


def download(label: str, path: str) -> Markup:
    """A link that ships a repository file with the site; label and path must be plain file names."""
    if not _FILE_NAME.fullmatch(label) or not _RELATIVE_PATH.fullmatch(path):
        raise ValueError(f"not a plain file name for a download: {label!r} <{path!r}>")
    return Markup(f"{{download}}`{label} <{path}>`")


def cite(source_ids) -> Markup:
    ids = sorted(dict.fromkeys(s for s in source_ids if isinstance(s, str) and s))
    for source_id in ids:
        if not re.fullmatch(KEY_PATTERN, source_id):
            raise ValueError(f"not a source id: {source_id!r}")
    return Markup("{cite:p}`" + ",".join(ids) + "`" if ids else "")


def _sources(source_ids) -> str:
    citation = cite(source_ids)
    return md(" Sources: ", citation, ".") if citation else ""


# Figure and table numbers, per chapter: "Figure 2.3". The text refers to them through glue keys,
# so a number in a sentence always matches the caption it points to, in the site and the PDF.
_numbering = {"chapter": "", "figure": 0, "table": 0}


def chapter(label) -> None:
    """Start numbering the figures and tables of a chapter (label: 1, 2, … or A, B, …)."""
    _numbering.update(chapter=str(label), figure=0, table=0)


def _next_label(kind: str, key: str | None) -> str:
    _numbering[kind] += 1
    prefix = f"{_numbering['chapter']}." if _numbering["chapter"] else ""
    label = f"{kind.capitalize()} {prefix}{_numbering[kind]}"
    if key:
        glue(key, label)
    return label


def plain(value):
    """A value glue can format: NumPy scalars become Python floats/ints (NumPy 2 reprs break glue)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


def glue(key: str, value) -> None:
    """Glue a value for `{glue:text}` in the prose (which renders it as text, never as markup)."""
    from myst_nb import glue as nb_glue

    nb_glue(key, plain(value), display=False)


def glue_all(values: dict) -> None:
    for key, value in values.items():
        glue(key, value)


def key_figures(values: dict, keys) -> None:
    """Print chosen figures as plain text, one per line, for nbval to compare between runs."""
    for key in keys:
        value = plain(values[key])
        print(f"{key} = {value:.6g}" if isinstance(value, float) else f"{key} = {value}")


def show_markdown(*parts) -> None:
    """A paragraph: Markup parts as written, every other part as text."""
    display(Markdown(md(*parts)))


def show_heading(level: int, *parts) -> None:
    display(Markdown("#" * level + " " + md(*parts)))


def _caption(label: str, title: str, caption: str, source_ids) -> str:
    words = " ".join(part for part in (f"{label}." if label else "", title) if part)
    head = strong(words) if words else ""
    return md(head, " " if head and caption else "", caption) + _sources(source_ids)


def show_chart(figure, *, alt_text: str, title: str, caption: str = "", key: str | None = None) -> None:
    """Display a (chart, source_ids) pair: the chart with its static image, then a numbered caption
    naming the sources from the registry. `key` glues the figure's label ("Figure 2.3") for the text."""
    chart, source_ids = figure
    label = _next_label("figure", key)
    display(charts.bundle(chart, alt_text), raw=True)
    display(Markdown(_caption(label, title, caption, source_ids)))


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table whose every cell is text (or Markup built here); numbers are right-aligned."""
    def cells(values):
        return "| " + " | ".join(text(v) for v in values) + " |"

    align = ["---:" if frame[c].map(lambda v: bool(_NUMBER.fullmatch(str(v)))).all() and len(frame) else "---"
             for c in frame.columns]
    lines = [cells(frame.columns), "| " + " | ".join(align) + " |"]
    lines += [cells(row) for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def show_table(frame: pd.DataFrame, *, title: str = "", caption: str = "", source_ids=(), key: str | None = None,
               numbered: bool = True) -> None:
    """A computed table (not typed by hand), rendered as Markdown so it reaches both HTML and PDF,
    with a numbered caption above it."""
    label = _next_label("table", key) if numbered else ""
    head = _caption(label, title, caption, source_ids)
    if head:
        display(Markdown(head))
    display(Markdown(markdown_table(frame)))


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """OWASP's CSV-injection defence for a published CSV: a text cell that a spreadsheet would read
    as a formula (it begins with =, +, -, @, a tab or a carriage return) gets a leading apostrophe."""
    def neutral(value):
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(value):
            return "'" + value
        return value
    return frame.map(neutral)


def csv_text(frame: pd.DataFrame) -> str:
    """A published CSV: spreadsheet-safe, Unix line ends."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\n")
