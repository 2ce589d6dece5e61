"""What the page being executed has read: the data package's tables it loaded and the modules of this
package it imported, each with the hash of its content.

The build executes each notebook with GPUIPO_PAGE set to its page (gpuipo.extension.state); as the
notebook runs, this keeps _build/generated/reads/<page>.json up to date. At the next build a page is
executed again only when one of those files no longer hashes the same (or its notebook's code changed,
which the execution cache sees): only what changed re-executes. Outside a build (a notebook run by hand,
nbval) GPUIPO_PAGE is unset and nothing is written.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from gpuipo.paths import DATA_DIR, GENERATED, ROOT

PAGE = "GPUIPO_PAGE"
_tables: dict[str, str] = {}                 # data/<table>.csv -> hash of the bytes the loader parsed
_recorded: dict[str, str | None] = {}        # module file -> its hash when first recorded in this run
_hashes: dict[Path, tuple[tuple, str]] = {}   # a file's (mtime, size) and hash, so a check hashes each file once
_written: str | None = None


def record_path(page: str, generated: Path | None = None) -> Path:
    return (generated or GENERATED) / "reads" / (page.replace("/", "__") + ".json")


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a file's content, or None when it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    if path not in _hashes or _hashes[path][0] != stamp:
        _hashes[path] = (stamp, hashlib.sha256(path.read_bytes()).hexdigest())
    return _hashes[path][1]


def _name(path: Path) -> str:
    """A file as the record names it: its place in the checkout, not where a symlink points (data/ may be a
    link, and what it links to is outside the checkout)."""
    return path.absolute().relative_to(ROOT).as_posix()


def table(name: str, data_dir: Path | str, digest: str) -> None:
    """A table of the data package was loaded, parsed from bytes hashing `digest` (only the package the
    build reads is recorded). The first load in a run is what the page's outputs came from, so it stays."""
    if Path(data_dir).resolve() == DATA_DIR.resolve():
        _tables.setdefault(_name(DATA_DIR / f"{name}.csv"), digest)
        flush()


def _modules() -> dict[str, str | None]:
    """This package's modules the page has imported, each hashed once, when first recorded: an edit saved
    while the page runs did not reach its outputs, so the record must not claim it did."""
    for module_name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if (module_name == "gpuipo" or module_name.startswith("gpuipo.")) and path:
            name = _name(Path(path))
            if name not in _recorded:
                _recorded[name] = file_hash(Path(path).resolve())
    return _recorded


def flush() -> None:
    """Write the page's record of what it has read so far (if it changed)."""
    global _written
    page = os.environ.get(PAGE)
    if not page:
        return
    files = {**_modules(), **_tables}
    text = json.dumps({"page": page, "files": dict(sorted(files.items()))}, indent=0, sort_keys=True) + "\n"
    if text != _written:
        target = record_path(page)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
        _written = text


def changed(record: dict, root: Path = ROOT) -> list[str]:
    """The files of a page's record that no longer hash as they did when it ran."""
    return sorted(name for name, digest in record["files"].items() if file_hash(root / name) != digest)
