"""Build folders the build owns: a folder one build fills and a later one reuses is reused only exactly
as the build that filled it left it.

At the end of a build each such folder (the execution cache, the chapters' generated files, Sphinx's
parsed pages, the published site) is sealed: a manifest of every file's content, and a fingerprint: of
the book's inputs for the published site, of the code that parses the pages for the build's own folders
(a data edit is followed page by page, gpuipo.reads). A later build trusts the folder only when both hold. A file added,
removed or changed since (by hand, by another program, by a build stopped half-way) or other inputs, and
the folder is emptied and filled again, or for the published site, built again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

SEAL = ".gpuipo-seal.json"


def contents(folder: Path, seal_file: Path | None = None, digests: dict | None = None) -> dict[str, str]:
    """Every file under `folder` (its seal aside) by path, with the SHA-256 of its content, or for a file
    named in `digests`, what that function makes of it (a database whose reader rewrites it as it reads
    is sealed by what it holds). A link is never followed: it stands as where it points, which no file's
    hash can equal."""
    seal_file, digests = seal_file or folder / SEAL, digests or {}
    found = {}
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort()
        for name in sorted(files) + [d for d in subdirectories if os.path.islink(os.path.join(directory, d))]:
            path = Path(directory, name)
            if path == seal_file:
                continue
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
            elif relative in digests:
                found[relative] = digests[relative](path)
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def seal(folder: Path, inputs: str, seal_file: Path | None = None, digests: dict | None = None) -> dict[str, str]:
    """Record what `folder` holds now and the inputs it was built from; returns the manifest."""
    seal_file = seal_file or folder / SEAL
    files = contents(folder, seal_file, digests)
    partial = seal_file.with_name(seal_file.name + ".partial")
    partial.write_text(json.dumps({"inputs": inputs, "files": files}, indent=0, sort_keys=True) + "\n",
                       encoding="utf-8")
    partial.replace(seal_file)
    return files


def broken(folder: Path, inputs: str, seal_file: Path | None = None, digests: dict | None = None) -> str | None:
    """Why `folder` cannot be reused as it is, or None: it does not exist (nothing to distrust) or it is
    exactly as it was sealed, from these inputs."""
    seal_file = seal_file or folder / SEAL
    if not folder.exists() and not folder.is_symlink():
        return None
    if folder.is_symlink() or not folder.is_dir():
        return f"{folder} is not a folder of its own"
    try:
        recorded = json.loads(seal_file.read_text(encoding="utf-8"))
        sealed_inputs, sealed_files = recorded["inputs"], dict(recorded["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return "no build sealed it"
    if sealed_inputs != inputs:
        return "it was built from other inputs"
    try:
        found = contents(folder, seal_file, digests)
    except Exception as error:  # noqa: BLE001 — a file that cannot be read cannot be trusted
        return f"it cannot be read ({type(error).__name__}: {error})"
    return differences(sealed_files, found)


def differences(expected: dict[str, str], found: dict[str, str]) -> str | None:
    """What differs between two manifests, in words (a few paths named), or None."""
    added = sorted(set(found) - set(expected))
    missing = sorted(set(expected) - set(found))
    changed = sorted(path for path in set(expected) & set(found) if expected[path] != found[path])
    parts = [f"{len(paths)} file(s) {what} since it was sealed ({', '.join(paths[:3])}{', ...' if len(paths) > 3 else ''})"
             for what, paths in (("added", added), ("missing", missing), ("changed", changed)) if paths]
    return "; ".join(parts) or None


def empty(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)
