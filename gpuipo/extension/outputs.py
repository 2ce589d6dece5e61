"""What the build writes besides the pages: the bibliography from data/sources.csv (before
sphinxcontrib-bibtex reads it), key_figures.csv, each page's preview image, the PDF (shipped and linked
only when built from the same inputs, gpuipo.build.driver.shipped_pdf), the icon font cut to what the
site draws, and the record of everything this build wrote into the site, which gpuipo.build.driver checks
before it publishes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

from gpuipo.build.driver import PDF_NAME, WRITTEN_RECORD, shipped_pdf
from gpuipo.contract import loader as data
from gpuipo.extension.head import own_preview
from gpuipo.extension.icon_font import subset_icon_fonts
from gpuipo.publish.bibliography import bibtex_by_grade


def _write_if_changed(target: Path, text: str) -> None:
    # An unchanged file keeps its mtime, so Sphinx and latexmk see nothing new.
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def write_bibliography(app, config):
    files = bibtex_by_grade(data.load("sources"))
    if sorted(files) != sorted(config.bibtex_bibfiles):
        raise ExtensionError(f"_config.yml's bibtex_bibfiles must be the files of the grades: {sorted(files)}")
    for name, text in files.items():
        _write_if_changed(Path(app.srcdir) / name, text)


def cut_icon_fonts(app, exception):
    if exception is None and app.builder.format == "html":
        subset_icon_fonts(Path(app.outdir))


PDF_MARKER = '<span class="pdf-download"></span>'


def write_key_figures(app, exception):
    if exception is None and app.builder.format == "html":
        from gpuipo.publish.keyfigures import write

        printed = {page: values for page, values in app.env.gpuipo_printed.items() if page in app.env.found_docs}
        write(Path(app.srcdir), Path(app.outdir), figure_numbers(app.env), printed)


def figure_numbers(env) -> dict:
    """Each named figure's and table's number as Sphinx assigned it: {"fig_path": "Figure 4.2", ...}."""
    numbers = {}
    for name, (docname, label_id, _) in env.get_domain("std").labels.items():
        for kind, numbered in env.toc_fignumbers.get(docname, {}).items():
            if label_id in numbered and kind in ("figure", "table"):
                numbers[name] = f"{kind.capitalize()} " + ".".join(str(n) for n in numbered[label_id])
    return numbers


def link_pdf(app, pagename, templatename, context, doctree):
    if pagename == app.config.root_doc and "body" in context and shipped_pdf(Path(app.srcdir)):
        context["body"] = context["body"].replace(
            PDF_MARKER, f'<a class="reference download" href="{PDF_NAME}">Download the report as a PDF</a> '
                        "(print layout, same figures).")


def ship_pdf(app, exception):
    pdf = shipped_pdf(Path(app.srcdir))
    if exception is None and app.builder.format == "html" and pdf:
        shutil.copyfile(pdf, Path(app.outdir) / PDF_NAME)
        app.gpuipo_written.add(PDF_NAME)


def ship_preview_images(app, exception):
    """Each page's preview image as its ledger names it, copied into the site one by one: a folder of the
    build copied whole (html_extra_path) would ship whatever else lay in it."""
    if exception is None and app.builder.format == "html":
        for page in sorted(app.env.found_docs):
            preview = own_preview(app, page)
            if preview:
                target = Path(app.outdir) / preview["image"]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(app.srcdir) / "_build" / "generated" / "social" / preview["image"], target)
                app.gpuipo_written.add(preview["image"])


# Written by Sphinx and sphinx-sitemap on every HTML build, besides the pages, downloads and images.
SPHINX_FILES = (".buildinfo", "objects.inv", "searchindex.js", "sitemap.xml")


def no_build_folder_is_copied_whole(app):
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


def record_page(app, pagename, templatename, context, doctree):
    app.gpuipo_written.add(Path(app.builder.get_outfilename(pagename)).relative_to(app.outdir).as_posix())
    if context.get("sourcename") and app.config.html_copy_source:
        app.gpuipo_written.add("_sources/" + context["sourcename"])


def write_record(app, exception):
    """What this build wrote into the site, for gpuipo.build.driver to check the staged site against before it
    publishes it: a file it does not name came from somewhere else."""
    if exception is None and app.builder.format == "html":
        written = set(app.gpuipo_written) | set(SPHINX_FILES) | {"key_figures.csv", "key_figures.schema.json"}
        written |= {"_downloads/" + destination for _docs, destination in app.env.dlfiles.values()}
        written |= {"_images/" + name for name in app.builder.images.values()}
        (Path(app.outdir).parent / WRITTEN_RECORD).write_text(json.dumps(sorted(written), indent=0) + "\n",
                                                              encoding="utf-8")
