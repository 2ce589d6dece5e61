"""Sphinx extension: keeps the book in step with data/ and the gpuipo package. It wires events and
computes no figure of the report.

- Writes the bibliography (BibTeX) from data/sources.csv before sphinxcontrib-bibtex reads it.
- Collects the chapters' ledgers into key_figures.csv beside the pages (gpuipo.publish.keyfigures).
- The chapters write generated files as they run (ledgers, claims_audit.csv); when one is missing
  while the execution cache would skip running its chapter, the cache is dropped so it runs again.
- Refuses to build a site whose scripts or styles are missing from _static (the vendored Vega
  runtime above all: without it no chart draws, and nothing else would notice).
- Jupyter-cache keys notebooks on their code only; when data/ or this package changes, the cached
  outputs are stale although no notebook changed. So the inputs are fingerprinted, and on a change
  the execution cache is dropped and every document is re-read. A damaged cache is discarded too.
- Ships the PDF with the site, and links it from the front page, only when it was built from the
  same inputs (gpuipo.build.driver.shipped_pdf).
- Removes the unused Thebe scripts from every page (see _drop_thebe), and the theme's FontAwesome
  script (_templates/layout.html, _register_template_filters); and cuts the theme's icon font down to
  the icons the site can draw (gpuipo.extension.icon_font).
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from gpuipo.contract import loader as data
from gpuipo.build import inputs
from gpuipo.build import seals
from gpuipo.publish.bibliography import bibtex_by_grade  # also registers the bibliography style _config.yml names
from gpuipo.build.driver import PDF_NAME, WRITTEN_RECORD, shipped_pdf
from gpuipo.extension.icon_font import subset_icon_fonts
from gpuipo.publish import ledger_path, preview_image
from gpuipo.contract.vocabulary import CHINESE_RUN

logger = logging.getLogger(__name__)


def _write_if_changed(target: Path, text: str) -> None:
    # An unchanged file keeps its mtime, so Sphinx and latexmk see nothing new.
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _write_bibliography(app, config):
    files = bibtex_by_grade(data.load("sources"))
    if sorted(files) != sorted(config.bibtex_bibfiles):
        raise ExtensionError(f"_config.yml's bibtex_bibfiles must be the files of the grades: {sorted(files)}")
    for name, text in files.items():
        _write_if_changed(Path(app.srcdir) / name, text)


def _commit_date(srcdir) -> str:
    """Date of the last commit: the 'build date' printed in the PDF, the same on every rebuild."""
    import subprocess

    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=srcdir, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _title_page(app, config):
    """A title page for the PDF with the dates a reader needs: data as of, and build (commit) date."""
    as_of = data.latest_date().strftime("%d %B %Y").lstrip("0")
    biren = data.load("companies").set_index("company_id").loc["biren"]
    # Data text on the title page: only a ticker's characters (digits, letters, a dot) are let through.
    ticker = re.sub(r"[^0-9A-Za-z.]", "", str(biren["ticker"]))
    committed = _commit_date(app.srcdir)
    edition = pd.Timestamp(committed).strftime("%d %B %Y").lstrip("0") if committed != "unknown" else committed
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


# Loaded by _static/charts.js on pages with charts, in this order.
VEGA_RUNTIME = ["vega/vega.min.js", "vega/vega-lite.min.js", "vega/vega-embed.min.js"]


DESCRIPTION_LENGTH = 200   # characters: what search results and preview cards show


def page_description(doctree) -> str:
    """A page's description for search results and preview cards: its opening paragraph of prose (the
    first of at least a hundred characters outside tables, figures, captions and notes, and not itself a
    caption: those open in bold), cut at a word."""
    for paragraph in doctree.findall(nodes.paragraph):
        opening = next((c for c in paragraph.children if not (isinstance(c, nodes.Text) and not c.strip())), None)
        if isinstance(opening, nodes.strong):
            continue
        if any(isinstance(a, (nodes.table, nodes.figure, nodes.caption, nodes.Admonition, nodes.citation,
                              nodes.field_list, nodes.bullet_list)) for a in _ancestors(paragraph)):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) >= 100:
            return text if len(text) <= DESCRIPTION_LENGTH else text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + " …"
    return ""


def _own_preview(app, page: str) -> dict | None:
    """The preview image a page's chapter chose (publish.show_chart(..., preview=True)), from its ledger."""
    ledger = ledger_path(Path(app.srcdir) / "_build" / "generated", page)
    preview = json.loads(ledger.read_text(encoding="utf-8")).get("preview") if ledger.is_file() else None
    if preview and preview.get("image") != preview_image(page):
        raise ExtensionError(f"the ledger of {page} names the preview image {preview.get('image')!r}, "
                             f"not {preview_image(page)!r}")
    return preview


def _page_preview(app, pagename: str) -> dict | None:
    """A page's preview image: its own, or (an appendix) the front page's."""
    return _own_preview(app, pagename) or _own_preview(app, "index")


def _as_attribute_text(words: str) -> str:
    """Text for sphinxext-opengraph, which writes it into an attribute escaping only the double quote: a
    page's opening words can hold data text, so &, < and > are escaped here (the quote is left to it)."""
    return html.escape(words, quote=False)


def _describe_page(app, pagename, templatename, context, doctree):
    """A meta description and the preview card's description, from the page's opening paragraph; the
    preview card's image, the page's own headline chart where it has one."""
    if doctree is None:
        return
    description = page_description(doctree)
    meta = context["meta"] = dict(context.get("meta") or {})
    preview = _page_preview(app, pagename)
    if preview:
        meta.update({"og:image": preview["image"], "og:image:alt": _as_attribute_text(preview["alt"])})
    if description:
        meta["og:description"] = _as_attribute_text(description)
        context["metatags"] = (context.get("metatags") or "") + (
            f'<meta name="description" content="{html.escape(description, quote=True)}" />\n')


def _defer_scripts(app, pagename, templatename, context, doctree):
    """Script files run after the page is parsed (`defer`, which keeps their order), so none delays the
    first paint on a phone. No inline script of a page reads what they define; the theme's search scripts,
    written into its template after these and needing Sphinx's three, are deferred there too
    (_templates/layout.html), so the order holds."""
    from sphinx.builders.html._assets import _JavaScript

    scripts = []
    for script in context.get("script_files", []):
        if isinstance(script, _JavaScript) and script.filename and "async" not in script.attributes:
            script = _JavaScript(script.filename, priority=script.priority, **{**script.attributes, "defer": "defer"})
        scripts.append(script)
    context["script_files"] = scripts


ICON_SCRIPT = re.compile(r'\s*<script\b[^>]*\bsrc="[^"]*/fontawesome\.js[^"]*"[^>]*>\s*</script>')


def without_icon_script(head: str) -> str:
    """The theme's head without its FontAwesome script. Fails when the script is not there to remove, so a
    theme upgrade that moves it cannot silently bring back half a megabyte on every page."""
    from markupsafe import Markup

    stripped, removed = ICON_SCRIPT.subn("", str(head))
    if removed != 1:
        raise ExtensionError("the theme's head no longer loads fontawesome.js as _templates/layout.html "
                             f"expects ({removed} found): check the theme's webpack-macros.html")
    return Markup(stripped)


# A <script> with a src and neither a defer nor an async attribute (names, not words inside a value).
BLOCKING_SCRIPT = re.compile(r'<script(?![^>]*\s(?:defer|async)(?=[\s=>]))([^>]*\ssrc="[^"]+"[^>]*)>')


def with_deferred_scripts(markup: str) -> str:
    """Every external script in the markup deferred (inline ones cannot be, and are left as they are)."""
    from markupsafe import Markup

    return Markup(BLOCKING_SCRIPT.sub(r"<script defer\1>", str(markup)))


def _register_template_filters(app):
    if hasattr(app.builder, "templates"):
        filters = app.builder.templates.environment.filters
        filters["without_icon_script"] = without_icon_script
        filters["with_deferred_scripts"] = with_deferred_scripts


def _subset_icon_fonts(app, exception):
    if exception is None and app.builder.format == "html":
        subset_icon_fonts(Path(app.outdir))


def _base_url(app, config):
    """The address the site is served from (GPUIPO_BASE_URL overrides _config.yml), for the sitemap, the
    canonical links and the preview cards."""
    url = os.environ.get("GPUIPO_BASE_URL", "").strip() or config.html_baseurl
    if not re.fullmatch(r"https?://[^\s\"'<>]+", url):
        raise ExtensionError(f"GPUIPO_BASE_URL must be an http(s) address, not {url!r}")
    config.html_baseurl = config.ogp_site_url = url.rstrip("/") + "/"


def _deferred_scripts_only(app, config):
    """Jupyter Book adds every .js file under _static to every page as a blocking script: the Vega
    runtime too (which charts.js loads only when needed), and ours a second time without `defer`.
    Keep the scripts _config.yml lists, as it lists them."""
    listed = {entry[0] for entry in config.html_js_files if isinstance(entry, (list, tuple))}
    config.html_js_files = [entry for entry in config.html_js_files
                            if isinstance(entry, (list, tuple)) or (entry not in listed and entry not in VEGA_RUNTIME)]


def _require_static_files(app):
    if app.builder.format != "html":
        return
    static = Path(app.confdir) / "_static"
    listed = [entry[0] if isinstance(entry, (list, tuple)) else entry
              for entry in list(app.config.html_js_files) + list(app.config.html_css_files)] + VEGA_RUNTIME
    missing = [name for name in listed if "://" not in str(name) and not (static / name).is_file()]
    empty = [name for name in listed if (static / name).is_file() and not (static / name).stat().st_size]
    if missing or empty:
        raise ExtensionError(f"_static/ lacks {', '.join(missing + empty)}, which the pages load (the vendored Vega "
                             "runtime makes the charts interactive offline): restore it, e.g. git checkout -- _static")


def _execution_cache(app, config) -> Path:
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    return cache if cache.is_absolute() else Path(app.srcdir) / cache


def database_digest(database: Path) -> str:
    """What jupyter-cache's database holds, less the time each record was last read (which every build
    rewrites): the notebooks cached and their keys. Reading it checks the whole file; damage raises."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"integrity check: {check}")
        for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")') if row[1] != "accessed"]
            selected = ", ".join(f'"{c}"' for c in columns)
            for row in connection.execute(f'SELECT {selected} FROM "{table}" ORDER BY 1'):
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


CACHE_DIGESTS = {"global.db": database_digest}


def build_state(app) -> dict[str, Path]:
    """The folders one build fills and the next reuses: the execution cache and the files the chapters
    write as they run (shared by the site and the PDF builds), and this build's parsed pages and executed
    notebooks. They hold one state: trusted together, or emptied together (so every chapter runs and every
    page is parsed again, and the chapters fill their folder anew)."""
    return {"execution cache": _execution_cache(app, app.config),
            "generated files": Path(app.srcdir) / "_build" / "generated",
            "parsed pages": Path(app.doctreedir),
            "executed notebooks": Path(app.outdir).parent / "jupyter_execute"}


def _digests(name: str) -> dict:
    return CACHE_DIGESTS if name == "execution cache" else {}


def _own_build_state(app, config):
    """Reuse the build folders only as the last build sealed them, from the current inputs (gpuipo.build.seals)."""
    current = inputs.execution(Path(app.srcdir))
    folders = build_state(app)
    reasons = {name: seals.broken(folder, current, digests=_digests(name)) for name, folder in folders.items()}
    if any(reasons.values()):
        for name, reason in reasons.items():
            if reason and reason != "it was built from other inputs":
                # Not a Sphinx warning: -W would turn it into an error, and the build recovers by itself.
                logger.info(f"warning: the {name} ({folders[name]}) cannot be reused: {reason}; emptied it with the "
                            "rest of the build's state, so every chapter runs again", color="red")
        for folder in folders.values():
            seals.empty(folder)
    app.gpuipo_fingerprint = current


def _seal_build_state(app, exception):
    if exception is None:
        for name, folder in build_state(app).items():
            folder.mkdir(parents=True, exist_ok=True)
            seals.seal(folder, app.gpuipo_fingerprint, digests=_digests(name))


PDF_MARKER = '<span class="pdf-download"></span>'


class KeyedPasteText(PasteTextRole):
    """myst-nb's {glue:text} role, keeping the glue key on the node it makes, so that a value resting only
    on grade C or D sources can be marked where it is printed (MarkLowAuthority)."""

    def run(self):
        made, messages = super().run()
        key = self.text.rsplit("::", 1)[-1]
        key = key.split(":", 1)[0]
        for node in made:
            # The page as well: the LaTeX builder post-transforms one merged document, named after the root.
            node["glue_key"], node["glue_page"] = key, self.document.settings.env.docname
        return made, messages


class MarkLowAuthority(SphinxPostTransform):
    """Put the low-authority mark after every printed value whose sources are all of grade C or D."""

    default_priority = 4  # before myst-nb resolves cross-page glue (5), while the pending nodes name their key

    def apply(self, **kwargs):
        from myst_nb.ext.glue.utils import PendingGlueReference

        from gpuipo.publish.keyfigures import low_authority_keys
        from gpuipo.contract.vocabulary import LOW_GRADE_MARK

        weak = low_authority_keys(Path(self.env.srcdir))
        for node in list(self.document.findall(nodes.Element)):
            if isinstance(node, PendingGlueReference):
                page, key = node.refdoc, node.key
            elif "glue_key" in node.attributes:
                page, key = node["glue_page"], node["glue_key"]
            else:
                continue
            if key in weak.get(page, ()):
                node.parent.insert(node.parent.index(node) + 1,
                                   nodes.superscript(LOW_GRADE_MARK, LOW_GRADE_MARK, classes=["low-authority"]))


class MinusSigns(SphinxPostTransform):
    """A negative number's sign is the minus sign (U+2212), not a hyphen: it reads as one, and neither a
    browser nor TeX breaks a line between it and its digits, as they do after a hyphen. Glued values are
    formatted by Python, which writes a hyphen; code and addresses are left as they are."""

    default_priority = 900  # after every glued value is in place
    NEGATIVE = re.compile(r"(?<![\w\-\u2212/.])-(?=\d)")

    def apply(self, **kwargs):
        for text in _prose_texts(self.document):
            if "-" not in text or any(isinstance(a, nodes.reference) and a.get("refuri", "").startswith("http")
                                      for a in _ancestors(text)):
                continue
            changed = self.NEGATIVE.sub("\u2212", str(text))
            if changed != str(text):
                text.parent.replace(text, nodes.Text(changed))


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


class ChineseText(nodes.inline):
    """A run of Chinese characters, which the site marks lang="zh-Hans" (for screen readers' voice and
    the browser's choice of font). Print sets them with xeCJK, which may break between any two
    characters: a name (a short run) is kept on one line there, as the site's CSS keeps it, so a narrow
    table column no longer prints 沐 on one line and 曦股份 on the next."""

    NAME_LENGTH = 8   # longer runs are text, which may break


def _visit_chinese_latex(self, node):
    if node.get("unbroken"):
        self.body.append(r"\mbox{")


def _depart_chinese_latex(self, node):
    if node.get("unbroken"):
        self.body.append("}")


def _visit_chinese_html(self, node):
    self.body.append(self.starttag(node, "span", "", lang="zh-Hans"))


def _depart_chinese_html(self, node):
    self.body.append("</span>")


def _pass(self, node):
    pass


class MarkChinese(SphinxPostTransform):
    """Wrap each run of Chinese characters (and their punctuation) in the text in a ChineseText node."""

    default_priority = 950   # after every glued value is in place
    formats = ("html", "latex")
    RUN = re.compile(CHINESE_RUN)

    def apply(self, **kwargs):
        for text in _prose_texts(self.document):
            if not self.RUN.search(str(text)) or isinstance(text.parent, ChineseText):
                continue
            pieces, at = [], 0
            for run in self.RUN.finditer(str(text)):
                if run.start() > at:
                    pieces.append(nodes.Text(str(text)[at:run.start()]))
                # Not in a heading or caption, whose text LaTeX also writes to bookmarks and lists.
                unbroken = len(run.group()) <= ChineseText.NAME_LENGTH and not any(
                    isinstance(a, (nodes.title, nodes.caption, nodes.rubric)) for a in _ancestors(text))
                pieces.append(ChineseText("", run.group(), unbroken=unbroken))
                at = run.end()
            if at < len(str(text)):
                pieces.append(nodes.Text(str(text)[at:]))
            text.parent.replace(text, pieces)


def _prose_texts(document) -> list:
    """The document's text nodes, code and raw markup aside (a list: the transforms replace them)."""
    return [text for text in document.findall(nodes.Text)
            if not isinstance(text.parent, (nodes.literal, nodes.literal_block, nodes.raw))]


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _write_key_figures(app, exception):
    if exception is None and app.builder.format == "html":
        from gpuipo.publish.keyfigures import write

        write(Path(app.srcdir), Path(app.outdir), figure_numbers(app.env), pages=app.env.found_docs)


def figure_numbers(env) -> dict:
    """Each named figure's and table's number as Sphinx assigned it: {"fig_path": "Figure 4.2", ...}."""
    numbers = {}
    for name, (docname, label_id, _) in env.get_domain("std").labels.items():
        for kind, numbered in env.toc_fignumbers.get(docname, {}).items():
            if label_id in numbered and kind in ("figure", "table"):
                numbers[name] = f"{kind.capitalize()} " + ".".join(str(n) for n in numbered[label_id])
    return numbers


def _link_pdf(app, pagename, templatename, context, doctree):
    if pagename == app.config.root_doc and "body" in context and shipped_pdf(Path(app.srcdir)):
        context["body"] = context["body"].replace(
            PDF_MARKER, f'<a class="reference download" href="{PDF_NAME}">Download the report as a PDF</a> '
                        "(print layout, same figures).")


def _ship_pdf(app, exception):
    pdf = shipped_pdf(Path(app.srcdir))
    if exception is None and app.builder.format == "html" and pdf:
        shutil.copyfile(pdf, Path(app.outdir) / PDF_NAME)
        app.gpuipo_written.add(PDF_NAME)


def _ship_preview_images(app, exception):
    """Each page's preview image as its ledger names it, copied into the site one by one: a folder of the
    build copied whole (html_extra_path) would ship whatever else lay in it."""
    if exception is None and app.builder.format == "html":
        for page in sorted(app.env.found_docs):
            preview = _own_preview(app, page)
            if preview:
                target = Path(app.outdir) / preview["image"]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(app.srcdir) / "_build" / "generated" / "social" / preview["image"], target)
                app.gpuipo_written.add(preview["image"])


# Written by Sphinx and sphinx-sitemap on every HTML build, besides the pages, downloads and images.
SPHINX_FILES = (".buildinfo", "objects.inv", "searchindex.js", "sitemap.xml")


def _no_build_folder_is_copied_whole(app):
    """Sphinx copies the static and extra folders into the site whole: none may be a folder of the build,
    where a file left behind (by anyone) would ship."""
    if app.builder.format != "html":
        return
    build = (Path(app.srcdir) / "_build").resolve()
    confdir = Path(app.confdir)
    whole = [(confdir / folder).resolve() for folder in list(app.config.html_static_path) + list(app.config.html_extra_path)]
    inside = [str(folder) for folder in whole if folder == build or build in folder.parents]
    if inside:
        raise ExtensionError(f"html_static_path/html_extra_path name build folders ({', '.join(inside)}), which Sphinx "
                             "would copy into the site whole: ship generated files one by one")


def _record_page(app, pagename, templatename, context, doctree):
    app.gpuipo_written.add(Path(app.builder.get_outfilename(pagename)).relative_to(app.outdir).as_posix())
    if context.get("sourcename") and app.config.html_copy_source:
        app.gpuipo_written.add("_sources/" + context["sourcename"])


def _write_record(app, exception):
    """What this build wrote into the site, for gpuipo.build.driver to check the staged site against before it
    publishes it: a file it does not name came from somewhere else."""
    if exception is None and app.builder.format == "html":
        written = set(app.gpuipo_written) | set(SPHINX_FILES) | {"key_figures.csv", "key_figures.schema.json"}
        written |= {"_downloads/" + destination for _docs, destination in app.env.dlfiles.values()}
        written |= {"_images/" + name for name in app.builder.images.values()}
        (Path(app.outdir).parent / WRITTEN_RECORD).write_text(json.dumps(sorted(written), indent=0) + "\n",
                                                              encoding="utf-8")


def _drop_thebe(app, pagename, templatename, context, doctree):
    # Jupyter Book always loads sphinx-thebe; the book has no live kernels, and its inline config is
    # emitted twice ("THEBE_JS_URL has already been declared") and names a CDN.
    scripts = context.get("script_files", [])
    context["script_files"] = [
        js for js in scripts
        if "thebe" not in str(getattr(js, "filename", js) or "")
        and "THEBE" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]


def setup(app):
    app.add_role_to_domain("glue", "text", KeyedPasteText(), override=True)
    app.add_post_transform(MarkLowAuthority)
    app.add_post_transform(MinusSigns)
    app.add_post_transform(GradeHeadings)
    app.add_post_transform(KeepHeadingsWithTables)
    app.add_node(ChineseText, html=(_visit_chinese_html, _depart_chinese_html),
                 latex=(_visit_chinese_latex, _depart_chinese_latex), text=(_pass, _pass))
    app.add_post_transform(MarkChinese)
    app.connect("builder-inited", _require_static_files)
    app.connect("builder-inited", _no_build_folder_is_copied_whole)
    app.connect("builder-inited", lambda app: setattr(app, "gpuipo_written", set()))
    app.connect("html-page-context", _record_page, priority=900)
    app.connect("build-finished", _ship_preview_images)
    app.connect("build-finished", _write_record, priority=950)   # after every other writer (sitemap: 500)
    app.connect("builder-inited", _register_template_filters)
    app.connect("build-finished", _ship_pdf)
    app.connect("build-finished", _write_key_figures)
    app.connect("build-finished", _subset_icon_fonts)
    app.connect("html-page-context", _describe_page, priority=400)   # before sphinxext-opengraph (500)
    app.connect("html-page-context", _defer_scripts)
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _link_pdf)
    app.connect("config-inited", _deferred_scripts_only)   # before Sphinx reads html_js_files (800)
    app.connect("config-inited", _base_url)
    app.connect("config-inited", _write_bibliography, priority=400)
    app.connect("config-inited", _title_page, priority=420)
    # Before anything is written to the build folders (the bibliography goes into the generated files).
    app.connect("config-inited", _own_build_state, priority=390)
    app.connect("build-finished", _seal_build_state, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
