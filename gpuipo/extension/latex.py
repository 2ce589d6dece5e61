"""The PDF: its title page, with the dates a reader needs, and the transforms of its layout (a heading
before each grade's first entry in the bibliography, headings kept with the table under them)."""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from gpuipo.contract import loader as data
from gpuipo.facts import Facts
from gpuipo.facts.dates import written


def _commit_date(srcdir) -> str:
    """Date of the last commit: the 'build date' printed in the PDF, the same on every rebuild."""
    import subprocess

    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=srcdir, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def title_page(app, config):
    """A title page for the PDF with the dates a reader needs: data as of, and build (commit) date."""
    as_of = written(Facts().data_as_of())
    biren = data.load("companies").set_index("company_id").loc["biren"]
    # Data text on the title page: only a ticker's characters (digits, letters, a dot) are let through.
    ticker = re.sub(r"[^0-9A-Za-z.]", "", str(biren["ticker"]))
    committed = _commit_date(app.srcdir)
    edition = written(committed) if committed != "unknown" else committed
    title = (config.html_title or config.project).replace("&", r"\&")
    config.latex_elements["maketitle"] = (
        r"\begin{titlepage}\centering\vspace*{3cm}"
        r"{\Huge\bfseries " + title + r"\par}\vspace{1cm}"
        r"{\Large A reproducible research report on Biren Technology's Hong Kong IPO and China's GPU stocks\par}"
        r"\vspace{1cm}{\large Biren Technology 壁仞科技, " + ticker + r"\par}"
        r"\vspace{1cm}{\large Examines: Yunzhang Caijing 云掌财经, 22 December 2025\par}\vspace{1cm}"
        r"{\large Data as of " + as_of + r"\par}\vspace{0.3cm}"
        r"{\large Edition of " + edition + r" (the date of its last commit)\par}\vfill"
        r"{\normalsize Every figure is computed from the sourced data package; sources are listed at the end.\par}"
        r"\end{titlepage}")


class GradeHeadings(SphinxPostTransform):
    """In print every citation ends in one bibliography; a heading goes before each grade's first entry
    (labels are A1, A2, …, B1, …, in that order), as the site's source registry has."""

    default_priority = 800   # after Sphinx gathered the citations (BibliographyTransform, 750)
    formats = ("latex",)

    def apply(self, **kwargs):
        from sphinx.builders.latex.nodes import thebibliography

        from gpuipo.contract.vocabulary import GRADES

        for bibliography in self.document.findall(thebibliography):
            seen = set()
            for citation in list(bibliography.children):
                grade = citation.next_node(nodes.label).astext()[:1] if isinstance(citation, nodes.citation) else ""
                if grade in GRADES and grade not in seen:
                    seen.add(grade)
                    heading = _latex_text(f"Grade {grade}. {GRADES[grade][:1].upper()}{GRADES[grade][1:]}")
                    bibliography.insert(bibliography.index(citation), nodes.raw(
                        "", f"\\item[]\\hspace*{{-\\leftmargin}}\\textbf{{{heading}}}\\par\\smallskip\n", format="latex"))


class KeepHeadingsWithTables(SphinxPostTransform):
    """In print a heading never ends a page. The preamble keeps eight lines below every heading, but a
    long table's first chunk (caption, header, first row) is more, and a heading chain with a table right
    under it ("5.2 Every claim", "§01 ...", Table 5.1) was left at a page foot while the table started
    overleaf. Before the chain's first heading, room is asked for all of it."""

    default_priority = 810
    formats = ("latex",)
    TABLE_START_LINES = 10   # a long table's caption, header and first two rows
    HEADING_LINES = 3

    def apply(self, **kwargs):
        for section in list(self.document.findall(nodes.section)):
            if isinstance(section.parent, nodes.section) and _first_content(section.parent) is section:
                continue   # the enclosing heading asks for the whole chain
            headings = _headings_above_table(section)
            if headings:
                lines = self.TABLE_START_LINES + self.HEADING_LINES * headings
                section.parent.insert(section.parent.index(section),
                                      nodes.raw("", f"\\needspace{{{lines}\\baselineskip}}\n", format="latex"))


SILENT = (nodes.title, nodes.target, nodes.comment, nodes.raw)   # a heading's own title, and what prints nothing


def _first_content(node):
    """A node's first child that prints something (its title aside)."""
    return next((child for child in node.children if not isinstance(child, SILENT)), None)


def _headings_above_table(section) -> int:
    """How many headings (this section's, then nested sections' and rubrics such as chapter 5's "§01 ...")
    stand one after another right above a table, in reading order; 0 when anything else comes first."""
    headings, pending = 1, list(reversed(section.children))
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.table):
            return headings
        if isinstance(node, nodes.section):
            headings += 1
            pending.extend(reversed(node.children))
        elif isinstance(node, nodes.rubric):
            headings += 1
        elif isinstance(node, nodes.container):   # notebook cells and their outputs
            pending.extend(reversed(node.children))
        elif not isinstance(node, SILENT):
            return 0
    return 0


def _latex_text(words: str) -> str:
    """Vocabulary written by this package as LaTeX text (letters, digits and plain punctuation only)."""
    if not re.fullmatch(r"[A-Za-z0-9 .,;:'’()\-]+", words):
        raise ValueError(f"not plain words for LaTeX: {words!r}")
    return words
