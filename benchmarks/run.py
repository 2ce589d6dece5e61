"""Measure the report's build and test times and page weights on this machine.

    .venv/bin/python benchmarks/run.py [--skip-test] [--skip-pdf]

Prints a table and writes it to benchmarks/results/latest.md. Targets (2 cores): clean HTML build
<= 60 s, unchanged rebuild <= 10 % of clean, a one-table or one-module edit runs only the notebooks that
read it, make test-fast <= 60 s, each chapter page <= 300 kB of HTML besides shared assets, the Vega
runtime shipped once per site.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BUILD = ROOT / "_build"
SITE = BUILD / "html"
CHAPTER = ROOT / "chapters" / "04_after_listing.ipynb"


def timed(command, **kwargs):
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def jb_build():
    """What make book runs: the build driver (built aside, published when whole)."""
    return timed([sys.executable, "-m", "gpuipo", "build", "site"])


def build_after(path: Path, edit) -> tuple[float, int]:
    """Seconds and notebooks run by a build after `edit(text)` of one file (put back afterwards)."""
    original = path.read_text(encoding="utf-8")
    path.write_text(edit(original), encoding="utf-8")
    try:
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "gpuipo", "build", "site"], cwd=ROOT, check=True,
                             capture_output=True, text=True)
        seconds = time.perf_counter() - started
    finally:
        path.write_text(original, encoding="utf-8")
    return seconds, (out.stdout + out.stderr).count(": Executing notebook")


def one_note_edited(text: str) -> str:
    """stock_daily.csv with one row's note changed (a table only chapter 4 among the chapters reads)."""
    lines = text.split("\n")
    assert lines[1].endswith(","), "the first row's note is expected blank"
    lines[1] += "benchmark edit"
    return "\n".join(lines)


def page_weights():
    rows = []
    for page in sorted(SITE.rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        assets = set(re.findall(r'(?:src|href)="([^"#?]+\.(?:js|css))', text))
        shared = sum((page.parent / a).resolve().stat().st_size for a in assets if (page.parent / a).resolve().exists())
        rows.append((str(page.relative_to(SITE)), page.stat().st_size, page.stat().st_size + shared))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-test", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()
    results = []
    shutil.rmtree(BUILD, ignore_errors=True)
    clean = jb_build()
    results.append(("clean HTML build", clean, "<= 60 s"))
    unchanged = jb_build()
    results.append(("unchanged rebuild (nothing to do)", unchanged, f"<= {0.1 * clean:.1f} s (10 % of clean)"))
    check = timed([sys.executable, "-m", "gpuipo", "check-data"])
    results.append(("make check-data (validation only)", check, "<= 1 s"))
    original = CHAPTER.read_text(encoding="utf-8")
    notebook = json.loads(original)
    notebook["cells"][0]["source"] = "".join(notebook["cells"][0]["source"]) + "\n"
    CHAPTER.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        one = jb_build()
    finally:
        CHAPTER.write_text(original, encoding="utf-8")
    jb_build()
    results.append(("rebuild after one chapter's text changes", one, "-"))
    seconds, ran = build_after(ROOT / "data" / "stock_daily.csv", one_note_edited)
    jb_build()
    results.append((f"rebuild after a note in stock_daily.csv changes ({ran} of 8 notebooks run)", seconds,
                    "only the pages that read it"))
    seconds, ran = build_after(ROOT / "gpuipo" / "chapters" / "biren.py", lambda text: text + "\n# benchmark edit\n")
    jb_build()
    results.append((f"rebuild after gpuipo/chapters/biren.py changes ({ran} of 8 notebooks run)", seconds,
                    "chapter 2 only"))
    results.append(("make test-fast (no build, no browser)", timed(["make", "test-fast"]), "<= 60 s"))
    if not args.skip_test:
        results.append(("make test (site already built)", timed(["make", "test"]), "-"))
    if not args.skip_pdf and (ROOT / "Makefile").read_text().count("\npdf:"):
        try:
            results.append(("make pdf", timed(["make", "pdf"]), "-"))
        except subprocess.CalledProcessError:
            results.append(("make pdf", float("nan"), "failed"))
    runtimes = sorted(p.name for p in SITE.rglob("vega*.min.js"))
    lines = ["| step | seconds | target |", "| --- | ---: | --- |"]
    lines += [f"| {name} | {seconds:.1f} | {target} |" for name, seconds, target in results]
    lines += ["", f"Vega runtime files in the site: {', '.join(runtimes)} (one copy each)", "",
              "| page | HTML (kB) | with its JS and CSS (kB) |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {own / 1000:.0f} | {total / 1000:.0f} |" for name, own, total in page_weights()]
    lines += ["", f"Machine: {os.cpu_count()} cores."]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
