"""Compare two builds of the report as a reader gets them: every page, the key figures and the PDF's text.

    python tools/compare_builds.py OLD_BUILD NEW_BUILD

Each argument is a `_build` folder (or a copy of one) holding `html/` and, optionally, the PDF. For a
refactoring that should change nothing a reader sees: it lists every file that differs and exits 1 if
any does. The notebooks' own sources (`_sources/`, where a moved import shows) and Sphinx's build
record (`.buildinfo`) are not compared; a page's asset version tags (`?v=…`) are left out, since the
assets themselves are compared; the PDF is compared as text (pdftotext), since its bytes carry a
creation date.
"""
import hashlib
import re
import subprocess
import sys
from pathlib import Path

PDF = "china-gpu-ipo-report.pdf"
SKIPPED = ("_sources/", ".buildinfo")
VERSION_TAG = re.compile(rb"\?v=[0-9a-f]{8}")


def digest(path: Path) -> str:
    content = path.read_bytes()
    if path.suffix == ".html":
        content = VERSION_TAG.sub(b"", content)
    return hashlib.sha256(content).hexdigest()


def reader_files(build: Path) -> dict[str, str]:
    site = build / "html"
    files = {path.relative_to(site).as_posix(): digest(path)
             for path in sorted(site.rglob("*")) if path.is_file()}
    files = {name: digest for name, digest in files.items() if not name.startswith(SKIPPED)}
    if (build / PDF).is_file():
        text = subprocess.run(["pdftotext", "-layout", str(build / PDF), "-"], capture_output=True, check=True).stdout
        files["(PDF text)"] = hashlib.sha256(text).hexdigest()
    return files


def main(old: str, new: str) -> int:
    a, b = reader_files(Path(old)), reader_files(Path(new))
    differ = sorted(name for name in set(a) | set(b) if a.get(name) != b.get(name))
    for name in differ:
        print(f"{'only in ' + old if name not in b else 'only in ' + new if name not in a else 'differs'}: {name}")
    print(f"{len(set(a) | set(b))} files compared, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
