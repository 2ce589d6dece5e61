"""Put computed numbers, charts, tables and text into the book, each citing what it was computed from.

Provenance: a glued value cites the rows it carries (gpuipo.facts.Fact); a chart or a table cites the
rows served while it was computed (Facts.recording). Captions and the chapter's source list are built
from those ledgers, never from a hand-written list of sources.

Data is text. Everything displayed here is parsed as MyST Markdown, which would run any role,
directive, raw HTML or link a string carried; so every string given to these functions is escaped by
`text()` and can only ever render as itself. The only markup on a page that comes from code rather
than from a notebook's own Markdown cells is built here, from `Markup` values: bold, citations of
validated source ids, downloads of files in the repository and inline code.
"""
from __future__ import annotations

import base64
import json
import numbers
import re
import string

import pandas as pd
from IPython.display import Markdown, display

from gpuipo.publish import charts
from gpuipo.build import inputs
from gpuipo.paths import GENERATED
from gpuipo.facts import Facts, low_authority, served_by
from gpuipo.contract.schema import KEY_PATTERN
from gpuipo.contract.vocabulary import DATA_HORIZON, FORMULA_PREFIXES, LOW_GRADE_MARK, PRINT_LINE

# CommonMark makes any ASCII punctuation character literal when a backslash precedes it, and every
# MyST construct (roles, directives, targets, HTML, links, emphasis, tables) starts with one.
_PUNCTUATION = set(string.punctuation)
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_RELATIVE_PATH = re.compile(r"(\.\./)*([A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*")
_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?([eE][+-]?[0-9]+)?%?")
_NUMBER_SHOWN = re.compile(_NUMBER.pattern + f"(\u00a0{LOW_GRADE_MARK})?")  # a table cell, perhaps marked low-authority


class Markup(str):
    """MyST markup written by this module, never by data."""


def text(value) -> str:
    """A value as inert MyST text: punctuation escaped, and every run of whitespace (line breaks
    included, which could open a block or an indented code block) other than a no-break space collapsed
    to one space."""
    if isinstance(value, Markup):
        return value
    # A no-break space (between a number and its mark, inside a date) is kept: it breaks no block.
    collapsed = re.sub(r"[^\S\u00a0]+", " ", str(value))
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
        return bool(self.as_known_on) and any(row.known_from > self.as_known_on for row in served)

    def record(self):
        if not self.page:
            return
        path = ledger_path(GENERATED, self.page)
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = {"page": self.page, "chapter": self.label, "as_known_on": self.as_known_on,
                    "glued": self.glued, "shown": self.shown, "preview": self.preview}
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


_chapter = Chapter()


def _rows(served) -> list:
    return [[row.table, list(row.key), row.source_id, row.as_of, row.known_from, row.grade] for row in sorted(served)]


def chapter(label, page: str | None = None, as_known_on=None):
    """Start a chapter: numbering, ledger and views. Returns (facts, later): the data as known on
    `as_known_on` (the view the chapter's text rests on) and the full record, for hindsight notes."""
    global _chapter
    day = pd.Timestamp(as_known_on).strftime("%Y-%m-%d") if as_known_on is not None else None
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
        return value.strftime("%Y-%m-%d")
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
        _chapter.glued[key] = {"value": plain(value), "unit": getattr(value, "unit", None), "rows": _rows(served)}
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


def show_markdown(*parts) -> None:
    """A paragraph: Markup parts as written, every other part as text."""
    display(Markdown(md(*parts)))


def show_heading(level: int, *parts) -> None:
    display(Markdown("#" * level + " " + md(*parts)))


def source_ids(served) -> list[str]:
    return sorted({row.source_id for row in served})


LOW_AUTHORITY_NOTE = "(an aggregator, a copy, a data vendor or an AI-written summary)"


def _caption(title: str, caption: str, served, marks_inside: bool = False) -> str:
    """A bold title, the caption, and the documents behind the rows; marked as hindsight when any of
    them became public after the chapter's point in time, and low-authority when all of them are of
    grade C or D (or, with `marks_inside`, saying what the marks on some of its values mean). One line,
    so that it can be a directive's argument; the toolchain puts the number in front."""
    marker = f"{HINDSIGHT} ({_known_after()})." if _chapter.is_hindsight(served) else ""
    words = " ".join(part for part in (marker, title) if part)
    head = strong(words) if words else ""
    if low_authority(served):
        weak = md(f" {LOW_GRADE_MARK} Every source behind it is of grade C or D {LOW_AUTHORITY_NOTE}.")
    elif marks_inside:
        weak = md(f" {LOW_GRADE_MARK} marks a value whose every source is of grade C or D {LOW_AUTHORITY_NOTE}.")
    else:
        weak = ""
    return md(head, " " if head and caption else "", caption) + _sources(source_ids(served)) + weak


def _known_after() -> str:
    return "public after " + pd.Timestamp(_chapter.as_known_on).strftime("%d %B %Y").lstrip("0")


def computed(compute, facts):
    """Run a chart's or a table's computation, returning its result and the rows it was computed from."""
    with facts.recording() as served:
        result = compute(facts)
    _chapter.served |= served
    return result, frozenset(served)


FIGURE_NAME = re.compile(r"fig_[a-z0-9_]+")
TABLE_NAME = re.compile(r"tab_[a-z0-9_]+")


def _named(kind: str, name: str, title: str, served) -> None:
    """Check a figure's or table's name (the label the text cites) and add it to the ledger."""
    if not (FIGURE_NAME if kind == "figure" else TABLE_NAME).fullmatch(name):
        raise ValueError(f"a {kind} name is {'fig' if kind == 'figure' else 'tab'}_ and lower-case words: {name!r}")
    _chapter.shown.append({"name": name, "kind": kind, "title": title,
                           "hindsight": _chapter.is_hindsight(served), "rows": _rows(served)})
    _chapter.record()


class _MimeBundle:
    """A ready mime bundle, which IPython displays (or myst-nb glues) as it is."""

    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data


def preview_image(page: str) -> str:
    """Where a page's preview image (the picture a shared link shows) is, under the site's root; the
    build copies each page's, as its ledger names it, from GENERATED/social. The front page's is the site's
    default."""
    return "og/" + page_file(page) + ".png"


def show_chart(compute, facts, *, alt_text: str, title: str, caption: str = "", name: str | None = None,
               preview: bool = False) -> None:
    """Compute a chart from `facts` and display it with its static image and a caption citing the
    documents behind every row it used. With a `name` it is a numbered figure (the chart glued under its
    name and placed by `{glue:figure}`), which the text cites as {numref}`name`."""
    from myst_nb import glue as nb_glue

    chart, served = computed(compute, facts)
    spec = charts.spec_of(chart)   # serialised once: for the values, the marks and the outputs
    header, rows = charts.plotted_values(spec)
    published = spreadsheet_safe(pd.DataFrame(rows, columns=header))   # what the CSV download will hold
    bundle = charts.bundle(spec, alt_text, [header] + published.values.tolist(), f"{name or 'chart'}.csv")
    if preview:   # the image a link to this page shows when shared, described by the chart's description
        if not _chapter.page:
            raise ValueError("a preview image belongs to a page: start the chapter with publish.chapter(..., page=...)")
        image = preview_image(_chapter.page)
        (GENERATED / "social" / image).parent.mkdir(parents=True, exist_ok=True)
        (GENERATED / "social" / image).write_bytes(base64.b64decode(bundle["image/png"]))
        _chapter.preview = {"image": image, "alt": alt_text}
        _chapter.record()
    head = _caption(title, caption, served, marks_inside=LOW_GRADE_MARK in json.dumps(spec, ensure_ascii=False))
    if name is None:
        display(bundle, raw=True)
        display(Markdown(head))
        return
    _named("figure", name, title, served)
    nb_glue(name, _MimeBundle(bundle), display=False)
    display(Markdown(f"::::{{glue:figure}} {name}\n:name: {name}\n\n{head}\n::::"))


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table whose every cell is text (or Markup built here); numbers are right-aligned."""
    def cells(values):
        return "| " + " | ".join(text(v) for v in values) + " |"

    align = ["---:" if frame[c].map(lambda v: bool(_NUMBER_SHOWN.fullmatch(str(v)))).all() and len(frame) else "---"
             for c in frame.columns]
    lines = [cells(frame.columns), "| " + " | ".join(align) + " |"]
    lines += [cells(row) for row in frame.itertuples(index=False)]
    return "\n".join(lines)


LONG_TABLE_ROWS = 15    # from this many rows a table is set as a longtable in print,
LONG_TABLE_LINES = 15   # and from this many printed lines: a taller table than that may not fit under a
                        # figure LaTeX has already put at the top of the next page, and only a longtable breaks


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
    _named("table", name, title, served)
    display(Markdown(table_block(frame, head, name)))


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


def data_as_of() -> str:
    """The latest day any value the chapter shows refers to. A schedule (a date announced before it came,
    such as a lock-up's end) is not data about that day and is left out, and so, for a chapter that rests
    on an earlier day, are the rows its hindsight notes add."""
    days = [row.as_of for row in _chapter.served if row.as_of and row.as_of <= row.known_from
            and row.as_of <= DATA_HORIZON.isoformat()
            and not (_chapter.as_known_on and row.known_from > _chapter.as_known_on)]
    return pd.Timestamp(max(days)).strftime("%d %B %Y").lstrip("0") if days else ""


def show_web_only(*blocks) -> None:
    """Blocks (Markup as written, anything else as text) shown on the site and left out of print, where
    a reference work such as the field-by-field data dictionary would fill pages a reader can look up."""
    display(Markdown("::::{only} html\n" + "\n\n".join(md(block) for block in blocks) + "\n::::"))


def show_bibliography(heading: str, note: str, bib_file: str) -> None:
    """Every entry of one BibTeX file, under a heading and a note shown on the site only (print gathers
    all citations into one bibliography at the end, which has headings of its own)."""
    if not _RELATIVE_PATH.fullmatch(bib_file):
        raise ValueError(f"not a plain relative path to a BibTeX file: {bib_file!r}")
    show_web_only(Markup(f"```{{rubric}} {text(heading)}\n```"), note)
    display(Markdown(f":::{{bibliography}} /{bib_file}\n:all:\n:::"))


def show_chapter_sources() -> None:
    """The chapter's source list: every document behind a number, a chart or a table it shows, and the
    date its data runs to (glued as `data_as_of` for the chapter's opening)."""
    ids = source_ids(_chapter.served)
    as_of = data_as_of()
    glue("data_as_of", as_of)
    if as_of:
        known = (f" (what was public on {pd.Timestamp(_chapter.as_known_on).strftime('%d %B %Y').lstrip('0')}; the "
                 "hindsight notes add later facts)") if _chapter.as_known_on else ""
        display(Markdown(md(strong("Data as of."), f" {as_of}{known}: the latest day any number, chart or table of "
                            "this chapter refers to.")))
    if ids:
        display(Markdown(md(strong("Sources of this chapter."), f" The {len(ids)} documents behind its numbers, "
                            "charts and tables: ", cite(ids), f". A {LOW_GRADE_MARK} after a number, or in a "
                            "caption, marks a figure whose every source is of grade C or D: an aggregator, a copy "
                            "of another document, a data vendor's page or an AI-written summary (see the "
                            "methodology).")))


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



def publish_csv(name: str, frame: pd.DataFrame) -> None:
    """Write a generated download to _build/generated/ (spreadsheet-safe), where its page links it."""
    path = GENERATED / name
    text_ = csv_text(frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text_:
        path.write_text(text_, encoding="utf-8")
