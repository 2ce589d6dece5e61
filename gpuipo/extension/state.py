"""The build folders one build fills and the next reuses (the execution cache, the files the chapters
write as they run, the parsed pages and the executed notebooks), and which pages run again.

- The folders are sealed at the end of a build (gpuipo.build.seals) with the fingerprint of the code that
  parses the pages (this extension and what it imports); they are trusted only exactly as sealed, or all
  emptied, so that every chapter runs and every page is parsed again.
- jupyter-cache keys a notebook on its code only. What else a page's outputs depend on, the tables it
  read and the modules it imported, its execution recorded as it ran (gpuipo.reads); a page one of whose
  files changed since is dropped from the cache and parsed again, so it runs again. Only what changed
  re-executes: an edit to a table only chapter 4 reads runs chapter 4 and the pages that read that table.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path

from sphinx.util import logging

from gpuipo import reads
from gpuipo.build import seals
from gpuipo.paths import ROOT

logger = logging.getLogger(__name__)

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


def parsing_code() -> str:
    """The fingerprint of this package's code that parses the pages: every gpuipo module this Sphinx process
    has loaded when the build starts (the extension and what it imports). The notebooks' own imports are
    recorded page by page (gpuipo.reads)."""
    digest = hashlib.sha256()
    files = sorted({Path(module.__file__).resolve() for name, module in list(sys.modules.items())
                    if (name == "gpuipo" or name.startswith("gpuipo.")) and getattr(module, "__file__", None)})
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    # The libraries compute the numbers and draw the charts too: a new pin (make lock) or Python runs every page.
    digest.update(sys.version.encode() + b"\0" + (ROOT / "requirements.txt").read_bytes())
    return digest.hexdigest()


def own_build_state(app, config):
    """Reuse the build folders only as the last build sealed them, with the same code parsing the pages
    (gpuipo.build.seals); then drop from the execution cache the pages whose reads changed."""
    current = parsing_code()
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
    app.gpuipo_stale = drop_stale_pages(app, folders["execution cache"], folders["generated files"])


def drop_stale_pages(app, cache: Path, generated: Path) -> set[str]:
    """Drop from the execution cache each notebook whose record of what it read names a file that changed
    (or that has no record): it runs again when its page is parsed again. Returns those pages."""
    if not (cache / "global.db").exists():
        return set()
    from jupyter_cache import get_cache

    store, srcdir, stale = get_cache(cache), Path(app.srcdir).resolve(), set()
    newest = {}
    # jupyter-cache keeps a run per version of a notebook's code, but the record of what was read is the
    # newest run's: an older run (served again if the notebook's code is put back) is checked by nothing.
    for record in sorted(store.list_cache_records(), key=lambda r: (r.created, r.pk), reverse=True):
        if record.uri in newest:
            store.remove_cache(record.pk)
        else:
            newest[record.uri] = record
    for record in newest.values():
        notebook = Path(record.uri).resolve()
        if not notebook.is_relative_to(srcdir):
            continue
        page = notebook.relative_to(srcdir).with_suffix("").as_posix()
        try:
            changed = reads.changed(json.loads(reads.record_path(page, generated).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError):
            changed = ["(no record of what it read)"]
        if changed:
            logger.info(f"{page} runs again: {', '.join(changed[:3])}{', ...' if len(changed) > 3 else ''} changed")
            store.remove_cache(record.pk)
            stale.add(page)
    return stale


def _run_record(app, docname: str) -> str | None:
    """The hash of the record of what the page's last run read (which every run rewrites)."""
    return reads.file_hash(reads.record_path(docname, Path(app.srcdir) / "_build" / "generated"))


def remember_the_run_parsed(app, doctree):
    """Which run of its notebook a parsed page shows: the site and the PDF share one execution cache but
    parse apart, so a page another build ran again must be parsed again here too."""
    app.env.gpuipo_parsed_run = getattr(app.env, "gpuipo_parsed_run", {})
    app.env.gpuipo_parsed_run[app.env.docname] = _run_record(app, app.env.docname)


def merge_the_runs_parsed(app, env, docnames, other):
    """Pages parsed in parallel (-j) bring their record back to the main environment."""
    theirs = getattr(other, "gpuipo_parsed_run", {})
    env.gpuipo_parsed_run = getattr(env, "gpuipo_parsed_run", {})
    env.gpuipo_parsed_run.update({name: theirs[name] for name in docnames if name in theirs})


def forget_the_run_parsed(app, env, docname):
    getattr(env, "gpuipo_parsed_run", {}).pop(docname, None)


def reread_stale_pages(app, env, added, changed, removed):
    """Pages dropped from the execution cache are parsed again, which runs them; and so are pages whose
    notebook ran again since they were parsed (in the other build)."""
    parsed = getattr(env, "gpuipo_parsed_run", {})
    rerun = {doc for doc in env.found_docs if doc in parsed and parsed[doc] != _run_record(app, doc)}
    stale = set(getattr(app, "gpuipo_stale", ())) | rerun
    return sorted(stale & set(env.found_docs) - set(added) - set(changed))


def name_the_page_being_read(app, docname, source):
    """The notebook about to run is this page: its kernel inherits the name and records what it reads."""
    os.environ[reads.PAGE] = docname


def seal_build_state(app, exception):
    """Seal what this build leaves for the next. After a build that warned (which -W fails) the parsed pages
    are emptied: Sphinx would otherwise find nothing outdated next time, skip the pages that warned and
    publish them without a word. The execution cache is kept, so re-parsing reruns nothing."""
    if exception is None:
        for name, folder in build_state(app).items():
            if name == "parsed pages" and app._warncount:
                seals.empty(folder)
            folder.mkdir(parents=True, exist_ok=True)
            seals.seal(folder, app.gpuipo_fingerprint, digests=_digests(name))
