"""A chapter's ledger: what it has shown so far, with the data rows behind each value, figure and table.

Provenance: a glued value cites the rows it carries (gpuipo.facts.Fact); a chart or a table cites the
rows served while it was computed (Facts.recording). Captions, the chapter's source list and
key_figures.csv are built from the ledgers, never from a hand-written list of sources.
"""
from __future__ import annotations

import json
from dataclasses import asdict
import numbers
import re

import pandas as pd

from gpuipo import reads
from gpuipo.facts import Facts, Served, served_by
from gpuipo.facts.dates import after, iso_day
from gpuipo.paths import GENERATED

HINDSIGHT = "With hindsight"


def page_file(page: str) -> str:
    """A page's name as a file name ("chapters/04_after_listing" → "chapters__04_after_listing"): its
    ledger and its preview image are named so."""
    return page.replace("/", "__")


def ledger_path(generated, page: str):
    """Where a page's ledger is, under a folder of generated files."""
    return generated / "ledger" / (page_file(page) + ".json")


class Chapter:
    """What a chapter has shown so far, its ledger: written to _build/generated/ledger/<page>.json as it
    grows (collected into key_figures.csv). Figures and tables are numbered by Sphinx, not here: each
    named one is a real figure or table with its caption, which the text cites by name with {numref}."""

    def __init__(self, label="", page=None, as_known_on=None):
        self.label, self.page, self.as_known_on = str(label), page, as_known_on
        self.served: set = set()
        self.glued: dict = {}
        self.shown: list = []
        self.preview: dict | None = None

    def is_hindsight(self, served) -> bool:
        """Whether anything behind a value became public after the chapter's point in time."""
        return after(served, self.as_known_on)

    def record(self):
        reads.flush()
        if not self.page:
            return
        path = ledger_path(GENERATED, self.page)
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = {"page": self.page, "chapter": self.label, "as_known_on": self.as_known_on,
                    "glued": self.glued, "shown": self.shown, "preview": self.preview}
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


_chapter = Chapter()


def current() -> Chapter:
    """The chapter being shown (the one the notebook started with `chapter`)."""
    return _chapter


def rows_of(served) -> list[dict]:
    """The rows behind a value, figure or table as the ledger keeps them: each a named record of its
    provenance (gpuipo.facts.Served), which `served_rows` turns back into rows."""
    return [dict(asdict(row), key=list(row.key)) for row in sorted(served)]


def served_rows(records) -> list[Served]:
    return [Served(**dict(record, key=tuple(record["key"]))) for record in records]


def chapter(label, page: str | None = None, as_known_on=None):
    """Start a chapter: numbering, ledger and views. Returns (facts, later): the data as known on
    `as_known_on` (the view the chapter's text rests on) and the full record, for hindsight notes."""
    global _chapter
    day = iso_day(as_known_on) if as_known_on is not None else None
    _chapter = Chapter(label, page, day)
    return Facts(as_known_on=day), Facts()


def plain(value):
    """A value glue can format: plain Python numbers and text (NumPy 2 reprs break glue), whole
    numbers as int so that a `d` format applies."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return int(number) if number.is_integer() else number
    if isinstance(value, pd.Timestamp):
        return iso_day(value)
    if isinstance(value, str):
        return str(value)
    return value


def glue(key: str, value) -> None:
    """Glue a value for `{glue:text}` in the prose (which renders it as text, never as markup), and add
    the rows behind it to the chapter's ledger."""
    from myst_nb import glue as nb_glue

    served = served_by(value)
    _chapter.served |= served
    if served or isinstance(value, numbers.Real) and not isinstance(value, bool):
        _chapter.glued[key] = {"value": plain(value), "unit": getattr(value, "unit", None), "rows": rows_of(served)}
        _chapter.record()
    nb_glue(key, plain(value), display=False)


def glue_all(values: dict) -> None:
    for key, value in values.items():
        glue(key, value)


def key_figures(values: dict, keys) -> None:
    """Print chosen figures as plain text, one per line, for nbval to compare between runs."""
    for key in keys:
        value = plain(values[key])
        print(f"{key} = {value:.6g}" if isinstance(value, float) else f"{key} = {value}")


def source_ids(served) -> list[str]:
    return sorted({row.source_id for row in served})


def computed(compute, facts):
    """Run a chart's or a table's computation, returning its result and the rows it was computed from."""
    with facts.recording() as served:
        result = compute(facts)
    _chapter.served |= served
    reads.flush()   # what the computation imported or loaded
    return result, frozenset(served)


FIGURE_NAME = re.compile(r"fig_[a-z0-9_]+")


TABLE_NAME = re.compile(r"tab_[a-z0-9_]+")


def name_shown(kind: str, name: str, title: str, served) -> None:
    """Check a figure's or table's name (the label the text cites) and add it to the ledger."""
    if not (FIGURE_NAME if kind == "figure" else TABLE_NAME).fullmatch(name):
        raise ValueError(f"a {kind} name is {'fig' if kind == 'figure' else 'tab'}_ and lower-case words: {name!r}")
    _chapter.shown.append({"name": name, "kind": kind, "title": title,
                           "hindsight": _chapter.is_hindsight(served), "rows": rows_of(served)})
    _chapter.record()


def preview_image(page: str) -> str:
    """Where a page's preview image (the picture a shared link shows) is, under the site's root; the
    build copies each page's, as its ledger names it, from GENERATED/social. The front page's is the site's
    default."""
    return "og/" + page_file(page) + ".png"
