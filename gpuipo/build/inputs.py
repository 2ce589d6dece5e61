"""Fingerprints of what the book is built from, so that outputs are never mixed across inputs.

- `execution()` covers what notebook outputs depend on beyond their own code (jupyter-cache keys
  on code only): the data and this package. The build folders are sealed with it (gpuipo.build.seals), so a
  change empties the execution cache and the pages parsed from it.
- `book()` covers everything the site and the PDF are built from. The PDF records it, and the site
  ships the PDF only when they match.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from gpuipo.paths import ROOT

EXECUTION_INPUTS = ("data", "gpuipo")
BOOK_INPUTS = EXECUTION_INPUTS + ("index.ipynb", "chapters", "appendix", "_config.yml", "_toc.yml", "_static", "_templates",
                                  "requirements.txt")
IGNORED = {"__pycache__", ".ipynb_checkpoints"}


def _files(root: Path, names) -> list[tuple[str, Path]]:
    """(name as seen from the root, path) of every input file. Links are followed, so an input is its
    content wherever a link puts it: an edit behind a linked data/ or a linked file changes the
    fingerprint. A folder reached twice through links is read once."""
    files, seen = [], set()
    for name in names:
        path = root / name
        if path.is_dir():
            for directory, subdirectories, found in os.walk(path, followlinks=True):
                real = os.path.realpath(directory)
                if real in seen:
                    subdirectories[:] = []
                    continue
                seen.add(real)
                subdirectories[:] = sorted(d for d in subdirectories if d not in IGNORED)
                files += [(Path(directory, f).relative_to(root).as_posix(), Path(directory, f)) for f in found]
        elif path.exists() or path.is_symlink():
            files.append((name, path))
    return sorted(files)


def fingerprint(names, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name, path in _files(root, names):
        digest.update(name.encode() + b"\0")
        # A dangling link has no content; where it points is what there is to fingerprint.
        digest.update(path.read_bytes() if path.exists() else b"dangling:" + os.readlink(path).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def execution(root: Path = ROOT) -> str:
    return fingerprint(EXECUTION_INPUTS, root)


def book(root: Path = ROOT) -> str:
    return fingerprint(BOOK_INPUTS, root)
