"""Helpers to read the built site (used by the site and browser tests)."""
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"


_checked = False


def ensure_site() -> Path:
    """The site built from the current inputs: the build runs (as `make book` does) once per test run, and
    only checks, in a second, when the site is up to date. A test never reads a stale site."""
    global _checked
    if not _checked:
        subprocess.run([sys.executable, "-m", "gpuipo", "build", "site"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        _checked = True
    return SITE


def html_pages(site: Path) -> list[Path]:
    """The site's pages, in a stable order (the shipped runtime under _static is not a page)."""
    return [path for path in sorted(site.rglob("*.html")) if "_static" not in path.parts]


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.resources, self.ids, self.charts, self.text = [], [], set(), [], []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "script" and a.get("src"):
            self.resources.append(("script", a["src"]))
        if tag == "link" and a.get("href") and a.get("rel") and {"stylesheet", "preload", "icon"} & set(a["rel"].split()):
            self.resources.append(("link", a["href"]))
        if tag in ("img", "iframe", "source", "video", "audio") and a.get("src"):
            self.resources.append((tag, a["src"]))
        if tag == "div" and "vega-chart" in a.get("class", "").split():
            self.charts.append(a)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.plain = " ".join(" ".join(parser.text).split())
    return parser


def cells_text(notebook: Path, kind: str = "markdown") -> str:
    """The text of a notebook's cells of one kind: its prose (markdown) or its code."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == kind)
