"""Sphinx extension: keeps the book in step with data/ and the gpuipo package.

- Writes the bibliography (BibTeX) from data/sources.csv before sphinxcontrib-bibtex reads it, and
  the claims audit as a CSV for download.
- Links the PDF from the front page, and ships it with the site, when `make pdf` has built it.
- Keeps _build/html/_static in step with _static/ on incremental builds.
- Removes the unused Thebe scripts from every page (see _drop_thebe).
- Jupyter-cache keys notebooks on their code only; when data/ or this package changes, the cached
  outputs are stale although no notebook changed. So the inputs are fingerprinted, and on a change
  the execution cache is dropped and every document is re-read.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from . import data

PACKAGE_DIR = Path(__file__).resolve().parent
FINGERPRINT_FILE = "gpuipo-inputs.sha256"


def inputs_fingerprint() -> str:
    digest = hashlib.sha256()
    files = sorted(data.DATA_DIR.glob("*")) + sorted(PACKAGE_DIR.glob("*.py"))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_if_changed(target: Path, text: str) -> None:
    # An unchanged file keeps its mtime, so Sphinx and latexmk see nothing new.
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _write_bibliography(app, config):
    from .bibliography import bibtex

    _write_if_changed(Path(app.srcdir) / config.bibtex_bibfiles[0], bibtex(data.load("sources")))


def _write_claims_audit(app, config):
    """Publish the audit as data: _build/generated/claims_audit.csv, linked from the audit chapter."""
    from .claims import audit, published
    from .facts import Facts
    from .publish import csv_text

    _write_if_changed(Path(app.srcdir) / "_build" / "generated" / "claims_audit.csv", csv_text(published(audit(Facts()))))


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
    from .catalog import latest_date

    as_of = latest_date().strftime("%d %B %Y").lstrip("0")
    title = (config.html_title or config.project).replace("&", r"\&")
    config.latex_elements["maketitle"] = (
        r"\begin{titlepage}\centering\vspace*{3cm}"
        r"{\Huge\bfseries " + title + r"\par}\vspace{1cm}"
        r"{\Large A reproducible research report on Biren Technology's Hong Kong IPO and China's GPU stocks\par}"
        r"\vspace{2cm}{\large Examines: Yunzhang Caijing 云掌财经, 22 December 2025\par}\vspace{1cm}"
        r"{\large Data as of " + as_of + r"\par}\vspace{0.3cm}"
        r"{\large Built from commit of " + _commit_date(app.srcdir) + r"\par}\vfill"
        r"{\normalsize Every figure is computed from the sourced data package; sources are listed at the end.\par}"
        r"\end{titlepage}")


def _execution_cache(app, config) -> Path:
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    return cache if cache.is_absolute() else Path(app.srcdir) / cache


def _drop_stale_outputs(app, config):
    # Two stamps: one beside the execution cache (shared by the site and the PDF builds), one in
    # this build's doctree folder (its parsed pages).
    current = inputs_fingerprint()
    cache = _execution_cache(app, config)
    cache_stamp = cache / FINGERPRINT_FILE
    if not cache_stamp.exists() or cache_stamp.read_text() != current:
        shutil.rmtree(cache, ignore_errors=True)
    doctree_stamp = Path(app.doctreedir) / FINGERPRINT_FILE
    app.gpuipo_inputs_changed = not doctree_stamp.exists() or doctree_stamp.read_text() != current
    app.gpuipo_fingerprint = current


PDF_NAME = "china-gpu-ipo-report.pdf"
PDF_MARKER = '<span class="pdf-download"></span>'


def _pdf(app) -> Path:
    return Path(app.srcdir) / "_build" / PDF_NAME


def _pdf_state(app) -> str:
    pdf = _pdf(app)
    return hashlib.sha256(pdf.read_bytes()).hexdigest() if pdf.exists() else "absent"


def _reread_all(app, env, added, changed, removed):
    if getattr(app, "gpuipo_inputs_changed", False):
        return sorted(set(env.found_docs) - set(added) - set(changed))
    # The front page links the PDF only when one has been built; re-render it when that changes.
    if app.builder.format == "html" and getattr(env, "gpuipo_pdf_state", None) != _pdf_state(app):
        env.gpuipo_pdf_state = _pdf_state(app)
        return [env.config.root_doc]
    return []


def _link_pdf(app, pagename, templatename, context, doctree):
    if pagename == app.config.root_doc and "body" in context and _pdf(app).exists():
        context["body"] = context["body"].replace(
            PDF_MARKER, f'<a class="reference download" href="{PDF_NAME}">Download the report as a PDF</a> '
                        "(print layout, same figures).")


def _save_fingerprint(app, exception):
    if exception is None:
        for folder in (Path(app.doctreedir), _execution_cache(app, app.config)):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / FINGERPRINT_FILE).write_text(app.gpuipo_fingerprint)


def _drop_thebe(app, pagename, templatename, context, doctree):
    # Jupyter Book always loads sphinx-thebe; the book has no live kernels, and its inline config is
    # emitted twice ("THEBE_JS_URL has already been declared") and names a CDN.
    scripts = context.get("script_files", [])
    context["script_files"] = [
        js for js in scripts
        if "thebe" not in str(getattr(js, "filename", js) or "")
        and "THEBE" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]


def _sync_static(app, exception):
    if exception is None and app.builder.format == "html" and _pdf(app).exists():
        shutil.copyfile(_pdf(app), Path(app.outdir) / PDF_NAME)
    # When no document is outdated Sphinx skips copying html_static_path, so an edited file in
    # _static/ (CSS, the chart loader) would not reach the site until a full rebuild.
    if exception is not None or app.builder.format != "html":
        return
    source_root = Path(app.confdir) / "_static"
    target_root = Path(app.outdir) / "_static"
    for source in source_root.rglob("*"):
        target = target_root / source.relative_to(source_root)
        if source.is_file() and (not target.exists() or target.read_bytes() != source.read_bytes()):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def setup(app):
    app.connect("build-finished", _sync_static)
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _link_pdf)
    app.connect("config-inited", _write_bibliography, priority=400)
    app.connect("config-inited", _write_claims_audit, priority=410)
    app.connect("config-inited", _title_page, priority=420)
    app.connect("config-inited", _drop_stale_outputs, priority=450)
    app.connect("env-get-outdated", _reread_all)
    app.connect("build-finished", _save_fingerprint)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
