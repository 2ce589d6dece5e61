"""What a notebook shows: paragraphs, headings, charts and tables with captions citing their sources, and
the chapter's source list. Data text reaches the page only as escaped text (gpuipo.publish.markup)."""
from __future__ import annotations

import base64
import json

import pandas as pd
from IPython.display import Markdown, display

from gpuipo.contract.vocabulary import LOW_GRADE_MARK
from gpuipo.facts import Facts, dates, low_authority
from gpuipo.facts.dates import written
from gpuipo.paths import GENERATED
from gpuipo.publish import charts
from gpuipo.publish.downloads import spreadsheet_safe
from gpuipo.publish.ledger import HINDSIGHT, computed, current, glue, name_shown, preview_image, source_ids
from gpuipo.publish.markup import Markup, RELATIVE_PATH, cite, md, sources_sentence, strong, text
from gpuipo.publish.tables import table_block


def show_markdown(*parts) -> None:
    """A paragraph: Markup parts as written, every other part as text."""
    display(Markdown(md(*parts)))


def show_heading(level: int, *parts) -> None:
    display(Markdown("#" * level + " " + md(*parts)))


LOW_AUTHORITY_NOTE = "(an aggregator, a copy, a data vendor or an AI-written summary)"


def _caption(title: str, caption: str, served, marks_inside: bool = False) -> str:
    """A bold title, the caption, and the documents behind the rows; marked as hindsight when any of
    them became public after the chapter's point in time, and low-authority when all of them are of
    grade C or D (or, with `marks_inside`, saying what the marks on some of its values mean). One line,
    so that it can be a directive's argument; the toolchain puts the number in front."""
    marker = f"{HINDSIGHT} ({_known_after()})." if current().is_hindsight(served) else ""
    words = " ".join(part for part in (marker, title) if part)
    head = strong(words) if words else ""
    if low_authority(served):
        weak = md(f" {LOW_GRADE_MARK} Every source behind it is of grade C or D {LOW_AUTHORITY_NOTE}.")
    elif marks_inside:
        weak = md(f" {LOW_GRADE_MARK} marks a value whose every source is of grade C or D {LOW_AUTHORITY_NOTE}.")
    else:
        weak = ""
    return md(head, " " if head and caption else "", caption) + sources_sentence(source_ids(served)) + weak


def _known_after() -> str:
    return "public after " + written(current().as_known_on)


class _MimeBundle:
    """A ready mime bundle, which IPython displays (or myst-nb glues) as it is."""

    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data


def show_chart(compute, facts, *, title: str, caption: str = "", name: str | None = None,
               preview: bool = False) -> None:
    """Compute a chart from `facts` and display it with its static image and a caption citing the
    documents behind every row it used. Its description (what a screen reader says, and a shared link's
    image text) is the one the chart computed from its own data (`description` in its spec): a notebook
    types none. With a `name` it is a numbered figure (the chart glued under its name and placed by
    `{glue:figure}`), which the text cites as {numref}`name`."""
    from myst_nb import glue as nb_glue

    chart, served = computed(compute, facts)
    spec = charts.spec_of(chart)   # serialised once: for the values, the marks and the outputs
    alt_text = spec.get("description")
    if not alt_text:
        raise ValueError(f"{getattr(compute, '__name__', 'a chart')} computes no description: give the chart "
                         "`.properties(description=...)`, computed from the data it draws")
    header, rows = charts.plotted_values(spec)
    published = spreadsheet_safe(pd.DataFrame(rows, columns=header))   # what the CSV download will hold
    bundle = charts.bundle(spec, alt_text, [header] + published.values.tolist(), f"{name or 'chart'}.csv")
    if preview:   # the image a link to this page shows when shared, described by the chart's description
        if not current().page:
            raise ValueError("a preview image belongs to a page: start the chapter with publish.chapter(..., page=...)")
        image = preview_image(current().page)
        (GENERATED / "social" / image).parent.mkdir(parents=True, exist_ok=True)
        (GENERATED / "social" / image).write_bytes(base64.b64decode(bundle["image/png"]))
        current().preview = {"image": image, "alt": alt_text}
        current().record()
    head = _caption(title, caption, served, marks_inside=LOW_GRADE_MARK in json.dumps(spec, ensure_ascii=False))
    if name is None:
        display(bundle, raw=True)
        display(Markdown(head))
        return
    name_shown("figure", name, title, served)
    nb_glue(name, _MimeBundle(bundle), display=False)
    display(Markdown(f"::::{{glue:figure}} {name}\n:name: {name}\n\n{head}\n::::"))


def show_table(table, facts=None, *, title: str = "", caption: str = "", name: str | None = None) -> None:
    """A computed table (never typed by hand), rendered as Markdown so it reaches both HTML and PDF, with
    its caption above it. `table` is a computation of `facts` (the caption then cites the rows it used),
    or a frame that holds no data values (a list of the package's tables, say). With a `name` it is a
    numbered table, which the text cites as {numref}`name`."""
    frame, served = computed(table, facts) if callable(table) else (table, frozenset())
    head = _caption(title, caption, served, marks_inside=LOW_GRADE_MARK in frame.to_csv(index=False))
    if name is None:
        display(Markdown((head + "\n\n" if head else "") + table_block(frame)))
        return
    name_shown("table", name, title, served)
    display(Markdown(table_block(frame, head, name)))


def data_as_of() -> str:
    """The chapter's "as of", written out: the latest day any value it shows refers to, by the package's one
    rule (gpuipo.facts.dates.data_as_of): schedules aside, and for a chapter that rests on an earlier day,
    the rows its hindsight notes add."""
    day = dates.data_as_of(current().served, current().as_known_on)
    return written(day) if day else ""


def package_data_as_of() -> str:
    """The whole package's "as of", written out, by the same rule."""
    return written(Facts().data_as_of())


def show_web_only(*blocks) -> None:
    """Blocks (Markup as written, anything else as text) shown on the site and left out of print, where
    a reference work such as the field-by-field data dictionary would fill pages a reader can look up."""
    display(Markdown("::::{only} html\n" + "\n\n".join(md(block) for block in blocks) + "\n::::"))


def show_bibliography(heading: str, note: str, bib_file: str) -> None:
    """Every entry of one BibTeX file, under a heading and a note shown on the site only (print gathers
    all citations into one bibliography at the end, which has headings of its own)."""
    if not RELATIVE_PATH.fullmatch(bib_file):
        raise ValueError(f"not a plain relative path to a BibTeX file: {bib_file!r}")
    show_web_only(Markup(f"```{{rubric}} {text(heading)}\n```"), note)
    display(Markdown(f":::{{bibliography}} /{bib_file}\n:all:\n:::"))


def show_chapter_sources() -> None:
    """The chapter's source list: every document behind a number, a chart or a table it shows, and the
    date its data runs to (glued as `data_as_of` for the chapter's opening)."""
    ids = source_ids(current().served)
    as_of = data_as_of()
    glue("data_as_of", as_of)
    if as_of:
        known = (f" (what was public on {written(current().as_known_on)}; the "
                 "hindsight notes add later facts)") if current().as_known_on else ""
        display(Markdown(md(strong("Data as of."), f" {as_of}{known}: the latest day any number, chart or table of "
                            "this chapter refers to.")))
    if ids:
        display(Markdown(md(strong("Sources of this chapter."), f" The {len(ids)} documents behind its numbers, "
                            "charts and tables: ", cite(ids), f". A {LOW_GRADE_MARK} after a number, or in a "
                            "caption, marks a figure whose every source is of grade C or D: an aggregator, a copy "
                            "of another document, a data vendor's page or an AI-written summary (see the "
                            "methodology).")))
