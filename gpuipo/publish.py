"""Put computed numbers and charts into the book: glue values, chart outputs, captions and tables."""
from __future__ import annotations

import numbers

import pandas as pd
from IPython.display import Markdown, display

from . import charts

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


def show_chart(figure, *, alt_text: str, caption: str) -> None:
    """Display a (chart, source_ids) pair: the chart with its static image, then a caption naming the
    sources from the registry."""
    chart, source_ids = figure
    display(charts.bundle(chart, alt_text), raw=True)
    display(Markdown(f"{caption} Sources: {cite(source_ids)}."))


def show_table(frame: pd.DataFrame, *, caption: str, source_ids=()) -> None:
    """A computed table (not typed by hand), rendered as Markdown so it reaches both HTML and PDF."""
    display(Markdown(frame.to_markdown(index=False, disable_numparse=True)))
    sources = f" Sources: {cite(source_ids)}." if len(source_ids) else ""
    if caption or sources:
        display(Markdown(f"{caption}{sources}".strip()))
