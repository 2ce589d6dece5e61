"""The fingerprint of everything the site and the PDF are built from, so that outputs are never mixed
across inputs: the PDF records it, and the site ships the PDF only when they match; the published site is
sealed with it. (What each page's execution depends on is recorded page by page: gpuipo.reads.)
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from gpuipo.paths import ROOT

BOOK_INPUTS = ("data", "gpuipo", "index.ipynb", "chapters", "appendix", "_config.yml", "_toc.yml", "_static",
               "_templates", "requirements.txt")
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


def book(root: Path = ROOT) -> str:
    return fingerprint(BOOK_INPUTS, root)
