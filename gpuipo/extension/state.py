"""The build folders one build fills and the next reuses: the execution cache, the files the chapters
write as they run, the parsed pages and the executed notebooks. jupyter-cache keys a notebook on its code
only, so when data/ or the gpuipo package changes its cached outputs are stale although no notebook
changed: the folders are sealed with the inputs' fingerprint (gpuipo.build.seals) and trusted only as
sealed, or all emptied, so that every chapter runs and every page is parsed again."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from sphinx.util import logging

from gpuipo.build import inputs, seals

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


def own_build_state(app, config):
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


def seal_build_state(app, exception):
    if exception is None:
        for name, folder in build_state(app).items():
            folder.mkdir(parents=True, exist_ok=True)
            seals.seal(folder, app.gpuipo_fingerprint, digests=_digests(name))
