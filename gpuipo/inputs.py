"""Fingerprints of what the book is built from, so that outputs are never mixed across inputs.

- `execution()` covers what notebook outputs depend on beyond their own code (jupyter-cache keys
  on code only): the data and this package. A change drops the execution cache.
- `book()` covers everything the site and the PDF are built from. The PDF records it, and the site
  ships the PDF only when they match.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXECUTION_INPUTS = ("data", "gpuipo")
BOOK_INPUTS = EXECUTION_INPUTS + ("index.ipynb", "chapters", "appendix", "_config.yml", "_toc.yml", "_static", "_templates",
                                  "requirements.txt")
IGNORED = {"__pycache__", ".ipynb_checkpoints"}


def _files(root: Path, names) -> list[Path]:
    files = []
    for name in names:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            files += [p for p in path.rglob("*") if not IGNORED & set(p.relative_to(root).parts)
                      and (p.is_symlink() or p.is_file())]
        elif path.exists() or path.is_symlink():
            files.append(path)
    return sorted(files)


def fingerprint(names, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in _files(root, names):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        # A link is fingerprinted by where it points, never followed.
        digest.update(os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def execution(root: Path = ROOT) -> str:
    return fingerprint(EXECUTION_INPUTS, root)


def book(root: Path = ROOT) -> str:
    return fingerprint(BOOK_INPUTS, root)


def cells_text(notebook: Path, kind: str = "markdown") -> str:
    """The text of a notebook's cells of one kind: its prose (markdown) or its code."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == kind)
