"""Build the site and the PDF so that nothing failed, stale or half-written is ever published.

    python -m gpuipo build site   # what `make book` runs
    python -m gpuipo build pdf    # what `make pdf` runs

- The site is built aside, in _build/stage, from an empty output folder (so outputs no longer
  produced disappear), and replaces _build/html only when the whole build succeeded, the inputs
  did not change while it ran, and the staged site holds nothing but what this build wrote (the
  record gpuipo.extension.outputs keeps). A failed build leaves the published site as it was.
- The published site is sealed (gpuipo.build.seals): "up to date" means built from the current inputs
  and unchanged since, so a file deleted from, added to or edited in _build/html is put right by
  the next build.
- The PDF records the fingerprint of the inputs it was built from and its own hash; the site ships
  it, and links it, only when both hold (see gpuipo.extension.outputs).
- A build folder that cannot be written (read-only, full, not a folder) stops the build with one
  line naming it and the cause.
- One build at a time per checkout: a second one waits for the first (GPUIPO_LOCK_TIMEOUT seconds,
  default 3600), saying so, then stops with a clear message.
- Ctrl-C (or SIGTERM) stops Jupyter Book, Sphinx and the notebook kernels, and publishes nothing.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from gpuipo.build import inputs, seals
from gpuipo.paths import BUILD, ROOT

SITE = BUILD / "html"
STAGE = BUILD / "stage"
STAGED_SITE = STAGE / "_build" / "html"
WRITTEN_RECORD = "site-written.json"   # beside the staged site: what the build wrote into it (gpuipo.extension.outputs)
PDF_NAME = "china-gpu-ipo-report.pdf"
PDF = BUILD / PDF_NAME
PDF_INPUTS = BUILD / f"{PDF_NAME}.inputs"
PDF_BUILD = BUILD / "pdf"
LATEX_DIR = PDF_BUILD / "_build" / "latex"
SITE_SEAL = BUILD / "html.seal.json"   # beside the site, not in it: the site holds only what readers get
LOCK = BUILD / ".build.lock"
# Room a build needs in _build (a site is about 10 MB, its stage and state 30 MB, the PDF's LaTeX more).
NEEDED_BYTES = 200 * 2**20


class BuildStopped(Exception):
    pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_record(root: Path, fingerprint: str) -> str:
    """What the PDF build records beside the PDF: the inputs it was built from, and the PDF's own hash."""
    return json.dumps({"inputs": fingerprint, "sha256": _sha256(root / "_build" / PDF_NAME)})


def shipped_pdf(root: Path = ROOT) -> Path | None:
    """The PDF, if it was built from exactly the inputs the site is being built from and is the very
    file that build wrote."""
    pdf, recorded = root / "_build" / PDF_NAME, root / "_build" / f"{PDF_NAME}.inputs"
    if not (pdf.is_file() and recorded.is_file()):
        return None
    try:
        record = json.loads(recorded.read_text(encoding="utf-8"))
        if record == json.loads(pdf_record(root, inputs.book(root))):
            return pdf
    except (ValueError, OSError):
        pass
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
    return inputs.book() + (f" pdf:{_sha256(pdf)}" if pdf else " no-pdf")


def foreign_files(site: Path, written: set[str]) -> list[str]:
    """Files in a built site that the build did not write. Only _static/ is copied whole, from the
    project's _static and the theme's and extensions' own folders, never from a build folder
    (gpuipo.extension.outputs refuses that)."""
    return sorted(path for path in seals.contents(site) if not path.startswith("_static/") and path not in written)


def build_site() -> None:
    stamp = _site_stamp()
    if SITE.is_dir():
        reason = seals.broken(SITE, stamp, SITE_SEAL)
        if reason is None:
            print("The site in _build/html is up to date with its inputs.")
            return
        if reason != "it was built from other inputs":
            print(f"The site in _build/html is not as the last build published it ({reason}): building it again.")
    shutil.rmtree(STAGED_SITE, ignore_errors=True)
    record = STAGED_SITE.parent / WRITTEN_RECORD
    record.unlink(missing_ok=True)
    code = run([_jupyter_book(), "build", str(ROOT), "--path-output", str(STAGE), "-W", "-n", "--keep-going"])
    if code != 0:
        raise BuildStopped(output_problem(STAGE) or
                           f"the site build failed (exit {code}); _build/html still holds the last good site")
    if _site_stamp() != stamp:
        raise BuildStopped("the inputs changed while the site was building; nothing was published: build again")
    try:
        written = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        raise BuildStopped(f"the build left no readable record of the files it wrote ({record.name}); "
                           "nothing was published: build again") from None
    foreign = foreign_files(STAGED_SITE, written)
    if foreign:
        raise BuildStopped(f"the staged site holds {len(foreign)} file(s) this build did not write "
                           f"({', '.join(foreign[:5])}); nothing was published")
    manifest = seals.contents(STAGED_SITE)
    previous = BUILD / "html.previous"
    shutil.rmtree(previous, ignore_errors=True)
    SITE_SEAL.unlink(missing_ok=True)
    if SITE.exists():
        SITE.rename(previous)
    STAGED_SITE.rename(SITE)
    shutil.rmtree(previous, ignore_errors=True)
    if seals.seal(SITE, stamp, SITE_SEAL) != manifest:
        SITE_SEAL.unlink()
        raise BuildStopped("the site changed while it was being published; build again")
    print(f"Site: {SITE.relative_to(ROOT)}/index.html" + (" (with the PDF)" if shipped_pdf() else ""))


def build_pdf() -> None:
    fingerprint = inputs.book()
    shutil.rmtree(PDF_BUILD, ignore_errors=True)
    code = run([_jupyter_book(), "build", str(ROOT), "--builder", "pdflatex", "--path-output", str(PDF_BUILD)])
    if code != 0:
        raise BuildStopped(output_problem(PDF_BUILD) or f"the PDF build failed (exit {code})")
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
    PDF_INPUTS.unlink(missing_ok=True)
    staged.replace(PDF)
    PDF_INPUTS.write_text(pdf_record(ROOT, fingerprint), encoding="utf-8")
    print(f"PDF: {PDF.relative_to(ROOT)}")


def output_problem(folder: Path) -> str | None:
    """Why a build cannot write into `folder` (the nearest existing folder on its path), or None."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    where = existing.relative_to(ROOT) if existing.is_relative_to(ROOT) else existing
    if not existing.is_dir():
        return f"cannot write to {where}: it is not a folder"
    probe = existing / f".gpuipo-write-test-{os.getpid()}"
    try:
        with probe.open("wb") as handle:
            handle.write(b"\0" * 2**16)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        return f"cannot write to {where}: {_cause(error)}"
    finally:
        try:
            probe.unlink(missing_ok=True)
        except OSError:
            pass
    free = shutil.disk_usage(existing).free
    if free < NEEDED_BYTES:
        return (f"cannot write to {where}: {free / 2**20:.0f} MB free on its disk, and a build needs about "
                f"{NEEDED_BYTES / 2**20:.0f} MB")
    return None


def _cause(error: OSError) -> str:
    return {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only"}.get(
        error.errno, error.strerror or str(error))


def _write_failure(error: OSError) -> str:
    where = Path(error.filename) if error.filename else BUILD
    if where.is_relative_to(ROOT):
        where = where.relative_to(ROOT)
    return f"cannot write to {where}: {_cause(error)}"


def main(target: str) -> int:
    from gpuipo.contract.validation import DataValidationError, read_package

    steps = {"site": [build_site], "pdf": [build_pdf] + ([build_site] if SITE.exists() else [])}
    if target not in steps:
        print("usage: python -m gpuipo build site|pdf", file=sys.stderr)
        return 2
    try:
        problem = output_problem(BUILD)
        if problem:
            raise BuildStopped(problem)
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
    except OSError as error:   # the build's own folders: the lock, the stage, the swap
        print(f"Build stopped: {_write_failure(error)}; nothing was published", file=sys.stderr)
        return 1
    return 0
