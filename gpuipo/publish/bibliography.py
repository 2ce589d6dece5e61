"""BibTeX for the book, generated from data/sources.csv (the one source registry), and the pybtex
style that prints it.

Data is text here too. pybtex reads fields as LaTeX by default ($…$ becomes math, -- a dash, an
unbalanced brace breaks the file), so the style takes every field raw and the BibTeX file carries
braces as private-use placeholders (validation refuses private-use characters in data, so they
cannot collide). sphinxcontrib-bibtex then renders the text as plain text nodes, which the HTML and
LaTeX writers escape.
"""
from __future__ import annotations

from urllib.parse import quote

import pandas as pd
from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle
from pybtex.style.template import field, optional, sentence

STYLE = "gpuipo"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_BRACES = {"{": "\ue000", "}": "\ue001"}
_RESTORE = {v: k for k, v in _BRACES.items()}


def _hold(text: str) -> str:
    return "".join(_BRACES.get(c, c) for c in " ".join(str(text).split()))


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(c, c) for c in text)


def _raw(name: str):
    return field(name, raw=True, apply_func=_restore)


def entry(row: pd.Series) -> str:
    published = row["published"] if isinstance(row["published"], str) else ""
    note = f"Grade {row['grade']}; kind: {row['kind'].replace('-', ' ')}." + (
        f" {row['note']}" if isinstance(row["note"], str) and row["note"] else "")
    fields = {
        # The author field only orders the list (pybtex sorts by author, year, title); the entry
        # prints the publisher field, raw.
        "author": "{" + _hold(row["publisher"]) + "}",
        "publisher": _hold(row["publisher"]),
        "title": _hold(row["title"]),
        "note": _hold(note),
        # The registry is listed by grade, and each label carries it (style below).
        "keywords": f"grade-{row['grade']}",
    }
    if published:
        fields["year"] = published[:4]
        if len(published) >= 7:
            fields["month"] = MONTHS[int(published[5:7]) - 1]
    if isinstance(row["url"], str) and row["url"]:
        # Validated (http or https; no spaces, quotes, angle brackets or braces). Non-ASCII characters are
        # percent-encoded: the same address, and LaTeX's \url cannot set CJK glyphs.
        fields["url"] = quote(row["url"], safe=":/?&=%#+,;@!$'()*~[]")
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@misc{{{row['source_id']},\n{body}\n}}\n"


def bibtex(sources: pd.DataFrame) -> str:
    return "\n".join(entry(row) for _, row in sources.iterrows())


def bib_file(grade: str) -> str:
    """The BibTeX file of one grade's sources (relative to the book's root), so that the registry can
    list each grade under its own heading: a bibliography directive lists the files it is given."""
    return f"_build/generated/references-{grade}.bib"


def bibtex_by_grade(sources: pd.DataFrame) -> dict[str, str]:
    from gpuipo.contract.vocabulary import GRADES

    return {bib_file(grade): bibtex(sources[sources["grade"] == grade]) for grade in GRADES}


def _grade(entry) -> str:
    return entry.fields.get("keywords", "").removeprefix("grade-")


class ByGrade(AuthorYearTitle):
    """Grade A first, then B, C and D; by publisher, year and title within a grade."""

    def sorting_key(self, entry):
        return (_grade(entry),) + super().sorting_key(entry)


class GradeLabels(BaseLabelStyle):
    """[A1], [A2] … [D24]: a citation's label says how authoritative its document is."""

    def format_labels(self, sorted_entries):
        counts: dict[str, int] = {}
        for entry in sorted_entries:
            grade = _grade(entry)
            counts[grade] = counts.get(grade, 0) + 1
            yield f"{grade}{counts[grade]}"


class SourceStyle(PlainStyle):
    """pybtex's plain style with every field as written, sorted by grade and labelled with it."""

    default_sorting_style = STYLE
    default_label_style = STYLE

    def get_misc_template(self, e):
        return toplevel[
            sentence[_raw("publisher")],
            sentence[_raw("title")],
            sentence[optional[date]],
            sentence[_raw("note")],
            self.format_web_refs(e),
        ]


register_plugin("pybtex.style.sorting", STYLE, ByGrade, force=True)
register_plugin("pybtex.style.labels", STYLE, GradeLabels, force=True)
register_plugin("pybtex.style.formatting", STYLE, SourceStyle, force=True)
