"""Hostile text that passes `make check-data` must reach the site, the LaTeX and the downloads only as
inert text; and the build must never publish a failed, stale or interrupted result.

One scratch checkout (a copy of the repository with this .venv) is built once with hostile text in
cells that the report displays: script and event-handler HTML, javascript: links, MyST roles and
directives that would copy or include a file from outside the repository, raw LaTeX, HTML comments,
substitutions, table pipes. The same checkout then serves the build-fault cases.
"""
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from gpuipo.build import inputs
from gpuipo.build import seals
from gpuipo.build.driver import PDF_NAME, pdf_record

from .csvedit import find_row, set_cell
from .serving import chromium, serve, skip_without_chromium
from .site import ROOT, ensure_site, html_pages

pytestmark = [pytest.mark.hostile, pytest.mark.build]

SECRET = "SECRET-c41d-outside-the-repository"


def payloads(secret: Path) -> list[tuple]:
    """(table, row key, column, hostile text); every cell is displayed somewhere in the book. The scripts
    take numbers, not quoted strings, so that Sphinx's smart quotes could not defuse them by accident."""
    s = str(secret)
    return [
        ("claims", {"claim_id": "C01-03"}, "claim",
            f'<script>alert(101)</script> {{raw}}`latex` \\input{{{s}}} **t18** _t18_ `t18`'),
        ("claims", {"claim_id": "C01-04"}, "claim",
            '[t04](javascript:alert(104)) &lt;b&gt;t12&lt;/b&gt; {{ t15 }} | t19 | pipe |'),
        ("claims", {"claim_id": "C01-05"}, "claim", "% t16 a MyST comment would hide this line"),
        ("claims", {"claim_id": "C01-06"}, "claim", "(t17)= a MyST target would swallow this"),
        ("claims", {"claim_id": "C02-02"}, "check_against",
            f"```{{literalinclude}} {s} ``` :::{{raw}} html <script>alert(114)</script> :::"),
        ("claims", {"claim_id": "C01-03"}, "excerpt_zh", '<img src=x onerror=alert(131)> 区间涨幅'),
        ("companies", {"company_id": "metax"}, "name_en", 'MetaX <img src=x onerror=alert(102)>'),
        ("companies", {"company_id": "moore-threads"}, "name_zh", "摩尔线程 <!-- t11"),
        ("companies", {"company_id": "cambricon"}, "name_en", 'Cambricon <b onmouseover=alert(127)>t27</b>'),
        ("mlperf_results", {"benchmark": "ResNet-50"}, "system", f'<svg onload=alert(103)> ![t20](file://{s})'),
        ("mlperf_results", {"benchmark": "ResNet-50"}, "accelerator", f'{{download}}`t06 <{s}>` ${{alert(130)}}'),
        ("sources", {"source_id": "hkex-biren-allotment"}, "title",
            '<a href="javascript:alert(105)">t05</a> "><script>alert(128)</script> \\write18{touch t24} $x$ -- t32 {'),
        ("sources", {"source_id": "hkex-biren-allotment"}, "publisher", "'onmouseover='alert(129)' \\def\\x{t25} }"),
        ("sources", {"source_id": "hkex-biren-allotment"}, "note", f'$\\input{{{s}}}$ javascript:alert(126)'),
        ("biren_milestones", {"product": "BR104"}, "event",
            '</script><script>alert(113)</script> \\u003cscript\\u003ealert(122)'),
        ("largest_hk_ipos_2025", {"company": "Zijin Gold International"}, "company",
            'Zijin <iframe src="http://127.0.0.2/t21"></iframe>'),
        ("largest_hk_ipos_2025", {"company": "Sany Heavy Industry"}, "name_zh",
            "三一 <style>@import url(http://127.0.0.2/t23.css)</style>"),
    ]


def run(command, checkout, env, **kwargs):
    return subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, timeout=900, **kwargs)


def build_site(checkout, env):
    return run([sys.executable, "-m", "gpuipo", "build", "site"], checkout, env)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    base = tmp_path_factory.mktemp("scratch")
    secret = base / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    checkout = base / "report"
    shutil.copytree(ROOT, checkout, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "test-artifacts", "__pycache__", ".pytest_cache", "*.egg-info"))
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    text = payloads(secret)
    for table, key, column, value in text:
        set_cell(checkout / "data", table, find_row(checkout / "data", table, **key), column, value)
    # A stale PDF (built from other inputs) and files leaked into the published and staged downloads.
    (checkout / "_build").mkdir()
    (checkout / "_build" / PDF_NAME).write_bytes(b"%PDF-1.4 stale")
    # A well-formed record, the PDF's own hash, but other inputs: only the inputs can keep it out.
    (checkout / "_build" / f"{PDF_NAME}.inputs").write_text(pdf_record(checkout, "0" * 64), encoding="utf-8")
    for folder in ("html", "stage/_build/html"):
        leak = checkout / "_build" / folder / "_downloads" / "leak" / "leaked.txt"
        leak.parent.mkdir(parents=True)
        leak.write_text(SECRET, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(checkout), "GPUIPO_LOCK_TIMEOUT": "3600"}
    checked = run([sys.executable, "-m", "gpuipo", "check-data", "data"], checkout, env)
    assert checked.returncode == 0, checked.stderr
    built = build_site(checkout, env)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    return checkout, env, text


@pytest.fixture(scope="module")
def site(scratch):
    return scratch[0] / "_build" / "html"


@pytest.fixture(scope="module")
def reference():
    """The site built from the committed data, by the same code."""
    return ensure_site()


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attributes, self.scripts, self.specs = Counter(), [], [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        # The front page's PDF link exists only where a PDF of the same inputs was built.
        if ("class", "pdf-download") not in attrs and ("href", PDF_NAME) not in attrs:
            self.tags[tag] += 1
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            attrs, parts = self._script
            body = "".join(parts)
            (self.specs if attrs.get("type") == "application/json" else self.scripts).append(body)
            self._script = None

    def handle_data(self, data):
        if self._script:
            self._script[1].append(data)
        else:
            self.text.append(data)


def pages(site_dir: Path) -> dict[str, Page]:
    parsed = {}
    for path in html_pages(site_dir):
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        parsed[str(path.relative_to(site_dir))] = page
    return parsed


def typographic(text: str) -> str:
    """Undo Sphinx's smart quotes and dashes, the only change it makes to text."""
    for fancy, plain in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("—", "---"), ("–", "--"), ("…", "...")):
        text = text.replace(fancy, plain)
    return " ".join(text.split())


# --- the hostile text ----------------------------------------------------------------------------

def test_hostile_text_changes_no_page_structure(site, reference):
    hostile, normal = pages(site), pages(reference)
    assert sorted(hostile) == sorted(normal)
    for name in normal:
        assert hostile[name].tags == normal[name].tags, f"{name}: {hostile[name].tags - normal[name].tags} " \
                                                        f"added, {normal[name].tags - hostile[name].tags} removed"


def test_hostile_text_is_shown_as_written(scratch, site):
    _checkout, _env, text = scratch
    shown = []
    for page in pages(site).values():
        shown.append(typographic(" ".join(page.text)))
        shown += [typographic(value) for _tag, name, value in page.attributes if name == "title"]
        for spec in page.specs:
            shown.append(typographic(json.dumps(json.loads(spec), ensure_ascii=False)))
    corpus = "\n".join(shown)
    for table, _key, column, value in text:
        if column == "excerpt_zh":
            continue  # published in claims_audit.csv only (checked below)
        if table == "biren_milestones" or (table == "companies" and column == "name_en") or table == "largest_hk_ipos_2025":
            value = json.dumps(value, ensure_ascii=False)[1:-1]  # chart labels: inside a JSON spec
        assert typographic(value) in corpus, f"{table}.{column} is not shown as written: {value}"


def test_no_executable_markup_reaches_a_page(site):
    for name, page in pages(site).items():
        handlers = [(tag, attr) for tag, attr, _ in page.attributes if attr.startswith("on")]
        assert handlers == [], f"{name}: event handlers {handlers}"
        # The one data: address allowed is a chart's static SVG as an <img>: an image runs no script.
        links = [value for tag, attr, value in page.attributes if attr in ("href", "src", "action", "formaction")
                 and urlparse(value.strip()).scheme not in ("", "http", "https", "mailto")
                 and not (tag == "img" and attr == "src" and value.startswith("data:image/svg+xml;charset=utf-8,%3Csvg "))]
        assert links == [], f"{name}: links with other schemes {links}"
        assert not [s for s in page.scripts if "alert(" in s], f"{name}: a script carries hostile text"
        for spec in page.specs:
            assert "<" not in spec and ">" not in spec, f"{name}: a chart spec can close its <script>"
            json.loads(spec)


def test_no_file_from_outside_the_repository_is_published(site, reference):
    leaked = [p for p in site.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert leaked == []
    downloads = sorted(p.relative_to(site / "_downloads").parts[-1] for p in (site / "_downloads").rglob("*") if p.is_file())
    expected = sorted(p.relative_to(reference / "_downloads").parts[-1] for p in (reference / "_downloads").rglob("*")
                      if p.is_file())
    assert downloads == expected, "outputs no longer produced must not survive a rebuild"


def test_a_stale_pdf_is_not_shipped(site):
    assert not (site / PDF_NAME).exists()
    assert PDF_NAME not in (site / "index.html").read_text(encoding="utf-8")


def test_published_audit_keeps_text_and_is_spreadsheet_safe(scratch, site):
    _checkout, _env, text = scratch
    audit = next(site.rglob("claims_audit.csv")).read_text(encoding="utf-8")
    rows = {row["claim_id"]: row for row in csv.DictReader(io.StringIO(audit))}
    for table, key, column, value in text:
        if table == "claims" and column in ("claim", "excerpt_zh"):
            assert rows[key["claim_id"]][column] == value
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) or re.fullmatch(r"[+-][0-9.,]+", value), value


@pytest.fixture(scope="module")
def latex(scratch):
    checkout, env, _text = scratch
    out = checkout / "_build" / "latex-check"
    built = run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(checkout), "--builder", "latex",
                 "--path-output", str(out)], checkout, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return (out / "_build" / "latex" / "china-gpu-ipo-report.tex").read_text(encoding="utf-8")


def test_latex_carries_hostile_text_escaped(latex):
    assert SECRET not in latex, "a file from outside the repository was included"
    for command in (r"\input{/", r"\write18", r"\def\x", r"\begin{sphinxVerbatim}"):
        assert command not in latex, command
    for escaped in (r"\textbackslash{}input\{", r"\textbackslash{}write18", r"\$\textbackslash{}input", r"\{\{ t15 \}\}",
                    r"\{raw\}`latex`"):
        assert escaped in latex, escaped


# --- in a browser ----------------------------------------------------------------------------------

def test_hostile_pages_run_nothing_in_chromium(site):
    skip_without_chromium(pytest)
    with serve(site) as url, chromium() as browser:
        for name in pages(site):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            dialogs, requests = [], []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"{url}/{name}", wait_until="load")
            # Reach for every chart (it becomes interactive) and open every "data behind this chart".
            page.evaluate("() => { document.querySelectorAll('.vega-chart').forEach(c => c.dispatchEvent(new Event('focusin')));"
                          " document.querySelectorAll('details.chart-data').forEach(d => { d.open = true; }); }")
            page.wait_for_function("() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg'))",
                                   timeout=20_000)
            for mark in page.query_selector_all(".vega-chart svg .mark-rect path, .vega-chart svg .mark-symbol path")[:40]:
                mark.hover(force=True)
            live = page.evaluate("() => document.querySelectorAll('iframe, object, embed, [onerror], [onload], "
                                 "[onmouseover], a[href^=\"javascript\"]').length")
            tooltip = page.evaluate("() => (document.getElementById('vg-tooltip-element') || {innerHTML: ''}).innerHTML")
            page.close()
            assert dialogs == [], f"{name}: {dialogs}"
            assert live == 0, name
            assert "<script" not in tooltip and "<img" not in tooltip and "<iframe" not in tooltip, tooltip
            foreign = [r for r in requests if urlparse(r).hostname != "127.0.0.1" and not r.startswith("data:")]
            assert foreign == [], f"{name}: {foreign}"


# --- build faults ----------------------------------------------------------------------------------

def snapshot(site_dir: Path) -> dict:
    return {str(p.relative_to(site_dir)): p.read_bytes() for p in site_dir.rglob("*") if p.is_file()}


def test_a_pdf_from_the_same_inputs_is_shipped_and_linked(scratch, site):
    checkout, env, _ = scratch
    (checkout / "_build" / PDF_NAME).write_bytes(b"%PDF-1.4 current")
    (checkout / "_build" / f"{PDF_NAME}.inputs").write_text(pdf_record(checkout, inputs.book(checkout)), encoding="utf-8")
    built = build_site(checkout, env)
    assert built.returncode == 0, built.stderr[-3000:]
    assert (site / PDF_NAME).read_bytes() == b"%PDF-1.4 current"
    assert f'href="{PDF_NAME}"' in (site / "index.html").read_text(encoding="utf-8")


def test_an_unchanged_site_is_not_rebuilt(scratch, site):
    checkout, env, _ = scratch
    before = snapshot(site)
    built = build_site(checkout, env)
    assert built.returncode == 0 and "up to date" in built.stdout
    assert snapshot(site) == before


def test_a_missing_vendored_runtime_fails_and_publishes_nothing(scratch, site):
    checkout, env, _ = scratch
    runtime = checkout / "_static" / "vega" / "vega.min.js"
    kept = runtime.read_bytes()
    before = snapshot(site)
    runtime.unlink()
    try:
        built = build_site(checkout, env)
    finally:
        runtime.write_bytes(kept)
    assert built.returncode != 0
    assert "vega/vega.min.js" in built.stdout + built.stderr
    assert snapshot(site) == before


def test_a_failed_build_publishes_nothing(scratch, site):
    """A warning at the end of the build (after every page was written) fails it; _build/html stays."""
    checkout, env, _ = scratch
    glossary = checkout / "appendix" / "glossary.md"
    kept = glossary.read_text(encoding="utf-8")
    before = snapshot(site)
    glossary.write_text(kept + "\nSee {ref}`no-such-section`.\n", encoding="utf-8")
    try:
        built = build_site(checkout, env)
        # The same inputs again: the page that warned is parsed again and fails again, not skipped as read.
        again = build_site(checkout, env)
    finally:
        glossary.write_text(kept, encoding="utf-8")
    assert built.returncode != 0 and again.returncode != 0
    assert "last good site" in built.stderr and "no-such-section" in again.stdout + again.stderr
    assert snapshot(site) == before


def test_a_second_build_waits_then_stops_with_a_message(scratch):
    import fcntl

    checkout, env, _ = scratch
    lock = checkout / "_build" / ".build.lock"
    with lock.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("pid 1: a build started by the test")
        handle.flush()
        started = time.monotonic()
        blocked = run([sys.executable, "-m", "gpuipo", "build", "site"], checkout, {**env, "GPUIPO_LOCK_TIMEOUT": "2"})
    assert blocked.returncode != 0
    assert "Another build is running in this checkout (pid 1: a build started by the test)" in blocked.stderr
    assert "still running" in blocked.stderr and time.monotonic() - started >= 2


def sealed_inputs(folder: Path) -> str:
    return json.loads((folder / seals.SEAL).read_text(encoding="utf-8"))["inputs"]


def _processes_in(folder: Path) -> list[str]:
    """Processes whose working directory is inside `folder` (the build, Sphinx, the kernels)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd == str(folder) or cwd.startswith(str(folder) + os.sep):
            found.append(f"{proc.name}: {command}")
    return found


# --- the build owns its outputs --------------------------------------------------------------------

PLANTED = f"<script>alert(140)</script>{SECRET}"


def test_the_published_site_is_put_right_when_a_file_is_deleted_added_or_edited(scratch, site):
    """"Up to date" compares the published site with what the last build published, not only the inputs."""
    checkout, env, _ = scratch
    before = snapshot(site)
    (site / "_static" / "vega" / "vega.min.js").unlink()
    (site / "planted.html").write_text(PLANTED, encoding="utf-8")
    (site / "index.html").write_text("<p>edited</p>", encoding="utf-8")
    built = build_site(checkout, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "not as the last build published it" in built.stdout
    assert snapshot(site) == before


def test_no_build_folder_is_copied_whole_into_the_site(scratch, site):
    """Sphinx copies html_extra_path (and the static folders) whole: naming a build folder there is refused."""
    checkout, env, _ = scratch
    config = checkout / "_config.yml"
    kept = config.read_text(encoding="utf-8")
    before = snapshot(site)
    extra = '    html_extra_path: ["_build/generated/social"]\n'
    config.write_text(kept.replace("    html_css_files:", extra + "    html_css_files:"),
                      encoding="utf-8")
    try:
        built = build_site(checkout, env)
    finally:
        config.write_text(kept, encoding="utf-8")
    assert built.returncode != 0
    assert "would copy into the site whole" in built.stdout + built.stderr
    assert snapshot(site) == before


def test_ctrl_c_stops_the_whole_build_and_publishes_nothing(scratch, site):
    """A chapter's code changes (its cached outputs no longer fit), `make book` starts executing it, and
    Ctrl-C stops it as a terminal would. (The next build recovers: the next test's build does.)"""
    checkout, env, _ = scratch
    before = snapshot(site)
    chapter = checkout / "chapters" / "02_biren.ipynb"
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    next(c for c in notebook["cells"] if c["cell_type"] == "code")["source"].append("\n# edited by the test\n")
    chapter.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # As from a terminal: Ctrl-C is not ignored (a test run started in the background inherits SIGINT ignored,
    # and so would the build, which would then run to its end).
    make = subprocess.Popen(["make", "-o", ".venv/.installed", "book"], cwd=checkout, env={**env, "PYTHONUNBUFFERED": "1"},
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any("ipykernel" in p for p in _processes_in(checkout)):
        time.sleep(0.2)  # until a notebook kernel runs
    assert make.poll() is None, "the build ended before it could be interrupted"
    os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the foreground process group
    output, _ = make.communicate(timeout=60)
    assert make.returncode != 0, output
    assert "interrupted" in output, output
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _processes_in(checkout):
        time.sleep(0.5)
    assert _processes_in(checkout) == [], "processes of the build outlived Ctrl-C"
    assert snapshot(site) == before


def test_nothing_planted_in_a_build_folder_and_no_edited_cached_output_reaches_the_site(scratch, site):
    """A file left in any folder of the build, a preview image of a page that does not exist, a cached
    notebook whose outputs were edited (still valid JSON), a damaged cache database, and whatever a build
    stopped half-way left: the build empties its state, runs every chapter again and publishes."""
    from gpuipo.extension.state import CACHE_DIGESTS

    checkout, env, _ = scratch
    build = checkout / "_build"
    before = snapshot(site)
    planted = [build / "generated", build / "generated" / "social", build / "generated" / "social" / "og",
               build / "generated" / "ledger", build / ".jupyter_cache", build / ".jupyter_cache" / "executed",
               build / "stage", build / "stage" / "_build", build / "stage" / "_build" / "html",
               build / "stage" / "_build" / ".doctrees", build / "stage" / "_build" / "jupyter_execute"]
    for folder in planted:
        (folder / "planted.html").write_text(PLANTED, encoding="utf-8")
    (build / "generated" / "social" / "og" / "chapters__99_gone.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    # Every glued value in the cached notebooks, edited.
    edited = 0
    for cached in (build / ".jupyter_cache" / "executed").rglob("base.ipynb"):
        notebook = json.loads(cached.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            for output in cell.get("outputs", []):
                glued = "application/papermill.record/text/plain"
                if "scrapbook" in output.get("metadata", {}) and glued in output.get("data", {}):
                    output["data"][glued] = "'EDITED-IN-THE-CACHE'"
                    edited += 1
        cached.write_text(json.dumps(notebook), encoding="utf-8")
    assert edited > 100
    # And the cache's database damaged (half of it cut off).
    database = build / ".jupyter_cache" / "global.db"
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])
    assert "cannot be read" in seals.broken(database.parent, sealed_inputs(database.parent), digests=CACHE_DIGESTS)
    # A prose edit: the site must be built again, and the chapter read again (from the cache, if it were trusted).
    chapter = checkout / "chapters" / "02_biren.ipynb"
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    next(c for c in notebook["cells"] if c["cell_type"] == "markdown")["source"].append("\n")
    chapter.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    built = build_site(checkout, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    for name in ("execution cache", "generated files", "parsed pages", "executed notebooks"):
        assert f"the {name} (" in built.stdout and "cannot be reused" in built.stdout, name
    assert "cannot be reused: it cannot be read" in built.stdout
    assert seals.broken(database.parent, sealed_inputs(database.parent), digests=CACHE_DIGESTS) is None
    published = {path: content for path, content in snapshot(site).items()}
    # The same files (the PDF aside: built before the chapter edit of the test above, it no longer ships).
    assert sorted(set(published) - {PDF_NAME}) == sorted(set(before) - {PDF_NAME})
    for path, content in published.items():
        assert SECRET.encode() not in content and b"EDITED-IN-THE-CACHE" not in content, path
    owned = [build / "generated", build / ".jupyter_cache", build / "stage" / "_build" / ".doctrees",
             build / "stage" / "_build" / "jupyter_execute", build / "html"]
    assert not [p for folder in owned for p in folder.rglob("planted.html")], "the build kept planted files in its folders"


def test_an_edit_to_one_table_runs_only_the_pages_that_read_it(scratch, site):
    """Each page's execution recorded what it read (gpuipo.reads); a note edited in stock_daily.csv runs
    again the pages whose record names that table, and no other."""
    checkout, env, _ = scratch
    records = {json.loads(p.read_text(encoding="utf-8"))["page"]: json.loads(p.read_text(encoding="utf-8"))["files"]
               for p in (checkout / "_build" / "generated" / "reads").glob("*.json")}
    readers = {page for page, files in records.items() if "data/stock_daily.csv" in files}
    assert "chapters/04_after_listing" in readers
    assert readers.isdisjoint({"chapters/01_pricing_logic", "chapters/02_biren", "chapters/03_hong_kong_ipo"})
    row = find_row(checkout / "data", "stock_daily", company_id="zhipu", date="2026-01-09")
    set_cell(checkout / "data", "stock_daily", row, "note", "edited by the test")
    built = build_site(checkout, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    ran = set(re.findall(r"^(\S+) runs again: data/stock_daily\.csv changed", built.stdout, re.M))
    executed = {Path(p).relative_to(checkout).with_suffix("").as_posix()
                for p in re.findall(r"^(\S+\.ipynb): Executing notebook", built.stdout + built.stderr, re.M)}
    assert ran == readers == executed, (ran, readers, executed)


def test_a_build_folder_that_is_not_a_folder_stops_the_build_in_one_line(scratch, site):
    checkout, env, _ = scratch
    before = snapshot(site)
    build, aside = checkout / "_build", checkout / "_build.aside"
    build.rename(aside)
    try:
        build.write_text("", encoding="utf-8")
        stopped = build_site(checkout, env)
        build.unlink()
    finally:
        aside.rename(build)
    assert stopped.returncode == 1
    assert stopped.stderr.strip().splitlines() == ["Build stopped: cannot write to _build: it is not a folder"]
    assert snapshot(site) == before


def _in_a_mount_namespace(checkout, env, mount_options):
    """Build with a fresh tmpfs over _build (full or read-only), seen only by this build: a user and mount
    namespace lets a test do as root what a full disk or a read-only mount would."""
    script = f'mount -t tmpfs -o {mount_options} tmpfs "$1/_build" && cd "$1" && exec "$2" -m gpuipo build site'
    return run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", str(checkout),
                sys.executable], checkout, env)


@pytest.mark.parametrize("mount_options, cause", [
    ("size=64k", r"cannot write to _build: (the disk is full|0 MB free on its disk, and a build needs about 200 MB)"),
    ("ro", r"cannot write to _build: the file system is read-only"),
])
def test_a_full_or_read_only_build_folder_stops_the_build_in_one_line(scratch, mount_options, cause):
    checkout, env, _ = scratch
    probe = run(["unshare", "--user", "--map-root-user", "--mount", "true"], checkout, env)
    if probe.returncode != 0:
        pytest.skip(f"this machine allows no user namespaces: {probe.stderr.strip()}")
    stopped = _in_a_mount_namespace(checkout, env, mount_options)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    lines = stopped.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(f"Build stopped: {cause}", lines[0]), stopped.stderr
