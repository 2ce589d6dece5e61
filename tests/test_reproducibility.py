"""Two builds from clean must show readers the same thing: glued values, computed tables, chart
specifications and data downloads. Only build timestamps may differ (the pages carry none).

Slow (a full clean build): runs with `make repro`, which CI runs after `make test`.
"""
import hashlib
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .site import ROOT, ensure_site, html_pages

pytestmark = [pytest.mark.build,
              pytest.mark.skipif(not os.environ.get("GPUIPO_REPRO"), reason="slow: run with make repro")]


class ReaderView(HTMLParser):
    """What a reader sees that the data determines: glued text, tables, chart specs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.glued, self.tables, self.specs = [], [], []
        self._capture = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = a.get("class", "").split()
        if tag == "span" and {"pasted-text", "pasted-inline"} & set(classes):
            self._capture = ("glued", [])
        elif tag == "table":
            self._capture = ("tables", [])
        elif tag == "script" and "vega-spec" in classes:
            self._capture = ("specs", [])

    def handle_endtag(self, tag):
        if self._capture and ((tag == "span" and self._capture[0] == "glued") or (tag == "table" and self._capture[0] == "tables")
                              or (tag == "script" and self._capture[0] == "specs")):
            kind, parts = self._capture
            getattr(self, kind).append(" ".join("".join(parts).split()))
            self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._capture[1].append(data)


def reader_view(site: Path) -> dict:
    view = {}
    for page in html_pages(site):
        parser = ReaderView()
        parser.feed(page.read_text(encoding="utf-8"))
        view[str(page.relative_to(site))] = {"glued": parser.glued, "tables": parser.tables, "specs": parser.specs}
    downloads = {}
    for path in sorted((site / "_downloads").rglob("*")) + [site / "key_figures.csv", site / "key_figures.schema.json"]:
        if path.is_file():
            downloads[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    view["_downloads"] = downloads
    return view


def test_two_clean_builds_show_readers_the_same(tmp_path):
    first = ensure_site()
    # The same configuration but its own, empty execution cache: a build from clean.
    config = (ROOT / "_config.yml").read_text(encoding="utf-8").replace(
        "cache: _build/.jupyter_cache", f"cache: {tmp_path / 'jupyter_cache'}")
    assert str(tmp_path) in config
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    jb = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jb), "build", str(ROOT), "--path-output", str(tmp_path), "--config", str(tmp_path / "_config.yml"),
                    "-W", "-n", "--keep-going"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    second = tmp_path / "_build" / "html"
    a, b = reader_view(first), reader_view(second)
    assert sorted(a) == sorted(b)
    for page in a:
        assert a[page] == b[page], f"{page} differs between two builds"
    assert sum(len(v["glued"]) for k, v in a.items() if k != "_downloads") > 100
    assert sum(len(v["specs"]) for k, v in a.items() if k != "_downloads") >= 12
