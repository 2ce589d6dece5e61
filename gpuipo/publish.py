"""Put computed numbers and charts into the book: glue values, chart outputs, captions and tables."""
from __future__ import annotations

import numbers

import pandas as pd
from IPython.display import Markdown, display

from . import charts

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


def cite(source_ids) -> str:
    ids = sorted(dict.fromkeys(s for s in source_ids if isinstance(s, str) and s))
    return "{cite:p}`" + ",".join(ids) + "`" if ids else ""


def show_chart(figure, *, alt_text: str, caption: str, key: str | None = None) -> None:
    """Display a (chart, source_ids) pair: the chart with its static image, then a numbered caption
    naming the sources from the registry. `key` glues the figure's label ("Figure 2.3") for the text."""
    chart, source_ids = figure
    label = _next_label("figure", key)
    display(charts.bundle(chart, alt_text), raw=True)
    display(Markdown(f"**{label}.** {caption} Sources: {cite(source_ids)}."))


def show_table(frame: pd.DataFrame, *, caption: str, source_ids=(), key: str | None = None,
               numbered: bool = True) -> None:
    """A computed table (not typed by hand), rendered as Markdown so it reaches both HTML and PDF,
    with a numbered caption above it."""
    sources = f" Sources: {cite(source_ids)}." if len(source_ids) else ""
    label = f"**{_next_label('table', key)}.** " if numbered else ""
    if caption or sources or label:
        display(Markdown(f"{label}{caption}{sources}".strip()))
    display(Markdown(frame.to_markdown(index=False, disable_numparse=True)))
