"""Build the site and the PDF so that nothing failed, stale or half-written is ever published.

    python -m gpuipo build site   # what `make book` runs
    python -m gpuipo build pdf    # what `make pdf` runs

- The site is built aside, in _build/stage, from an empty output folder (so outputs no longer
  produced disappear), and replaces _build/html only when the whole build succeeded and the inputs
  did not change while it ran. A failed build leaves the published site as it was.
- The PDF records the fingerprint of the inputs it was built from; the site ships it, and links it,
  only when that fingerprint is the site's own (see sphinx_ext).
- One build at a time per checkout: a second one waits for the first (GPUIPO_LOCK_TIMEOUT seconds,
  default 3600), saying so, then stops with a clear message.
- Ctrl-C (or SIGTERM) stops Jupyter Book, Sphinx and the notebook kernels, and publishes nothing.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from . import inputs

ROOT = inputs.ROOT
BUILD = ROOT / "_build"
SITE = BUILD / "html"
STAGE = BUILD / "stage"
STAGED_SITE = STAGE / "_build" / "html"
PDF_NAME = "china-gpu-ipo-report.pdf"
PDF = BUILD / PDF_NAME
PDF_INPUTS = BUILD / f"{PDF_NAME}.inputs"
PDF_BUILD = BUILD / "pdf"
LATEX_DIR = PDF_BUILD / "_build" / "latex"
SITE_STAMP = ".gpuipo-inputs"
LOCK = BUILD / ".build.lock"


class BuildStopped(Exception):
    pass


def shipped_pdf(root: Path = ROOT) -> Path | None:
    """The PDF, if it was built from exactly the inputs the site is being built from."""
    pdf, recorded = root / "_build" / PDF_NAME, root / "_build" / f"{PDF_NAME}.inputs"
    if pdf.is_file() and recorded.is_file() and recorded.read_text(encoding="utf-8") == inputs.book(root):
        return pdf
    return None


@contextmanager
def build_lock():
    BUILD.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            timeout = float(os.environ.get("GPUIPO_LOCK_TIMEOUT", "3600"))
            print(f"Another build is running in this checkout ({holder}); waiting up to {timeout:.0f} s "
                  "for it to finish (Ctrl-C to stop).", file=sys.stderr, flush=True)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise BuildStopped(f"another build in this checkout ({holder}) is still running after "
                                           f"{timeout:.0f} s; stopped without building. Run it again when it has finished.")
                    time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}: {' '.join(sys.argv)}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run(command: list[str]) -> int:
    """Run a build command in its own process group, and stop all of it on Ctrl-C or SIGTERM."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        # Kernels run in sessions of their own and exit within a second of their parent's death.
        raise BuildStopped("interrupted: the build was stopped and nothing was published")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _jupyter_book() -> str:
    return str(Path(sys.executable).parent / "jupyter-book")


def _site_stamp() -> str:
    pdf = shipped_pdf()
    return inputs.book() + (f" pdf:{inputs.fingerprint([pdf.relative_to(ROOT)])}" if pdf else " no-pdf")


def build_site() -> None:
    stamp = _site_stamp()
    published = SITE / SITE_STAMP
    if published.is_file() and published.read_text(encoding="utf-8") == stamp:
        print("The site in _build/html is up to date with its inputs.")
        return
    shutil.rmtree(STAGED_SITE, ignore_errors=True)
    code = run([_jupyter_book(), "build", str(ROOT), "--path-output", str(STAGE), "-W", "-n", "--keep-going"])
    if code != 0:
        raise BuildStopped(f"the site build failed (exit {code}); _build/html still holds the last good site")
    if _site_stamp() != stamp:
        raise BuildStopped("the inputs changed while the site was building; nothing was published: build again")
    (STAGED_SITE / SITE_STAMP).write_text(stamp, encoding="utf-8")
    previous = BUILD / "html.previous"
    shutil.rmtree(previous, ignore_errors=True)
    if SITE.exists():
        SITE.rename(previous)
    STAGED_SITE.rename(SITE)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Site: {SITE.relative_to(ROOT)}/index.html" + (" (with the PDF)" if shipped_pdf() else ""))


def build_pdf() -> None:
    fingerprint = inputs.book()
    shutil.rmtree(PDF_BUILD, ignore_errors=True)
    code = run([_jupyter_book(), "build", str(ROOT), "--builder", "pdflatex", "--path-output", str(PDF_BUILD)])
    if code != 0:
        raise BuildStopped(f"the PDF build failed (exit {code})")
    # XeLaTeX exits 0 when it drops glyphs, so the log is read for them.
    missing = sorted({line.strip() for log in LATEX_DIR.glob("*.log")
                      for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                      if "Missing character" in line})
    if missing:
        raise BuildStopped("the PDF lacks glyphs:\n  " + "\n  ".join(missing))
    if inputs.book() != fingerprint:
        raise BuildStopped("the inputs changed while the PDF was building; it was not kept: build again")
    staged = PDF.with_suffix(".pdf.partial")
    shutil.copyfile(LATEX_DIR / PDF_NAME, staged)
    staged.replace(PDF)
    PDF_INPUTS.write_text(fingerprint, encoding="utf-8")
    print(f"PDF: {PDF.relative_to(ROOT)}")


def main(target: str) -> int:
    from .validation import DataValidationError, read_package

    steps = {"site": [build_site], "pdf": [build_pdf] + ([build_site] if SITE.exists() else [])}
    if target not in steps:
        print("usage: python -m gpuipo build site|pdf", file=sys.stderr)
        return 2
    try:
        with build_lock():
            read_package(ROOT / "data")
            for step in steps[target]:
                step()
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    except BuildStopped as stopped:
        print(f"Build stopped: {stopped}", file=sys.stderr)
        return 130 if "interrupted" in str(stopped) else 1
    except KeyboardInterrupt:
        print("Build stopped: interrupted before it started building; nothing was published", file=sys.stderr)
        return 130
    return 0
