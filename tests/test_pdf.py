"""The PDF: built by `make pdf` (make test builds it when TeX is installed, and .ci/run installs TeX)."""
import os
import re
import subprocess
from html.parser import HTMLParser

import pytest

from gpuipo.chapters import aftermarket
from gpuipo.chapters import biren
from gpuipo.chapters import claims
from gpuipo.chapters import hkmarket
from gpuipo.build.driver import shipped_pdf
from gpuipo.facts import Facts
from gpuipo.facts.dates import written

from .site import ROOT, SITE, html_pages, parse

pytestmark = [pytest.mark.pdf]

PDF = ROOT / "_build" / "china-gpu-ipo-report.pdf"
LOG = ROOT / "_build" / "pdf" / "_build" / "latex" / "china-gpu-ipo-report.log"

if shipped_pdf() is None:   # none, or one built from other inputs: the tests would read a stale PDF
    why = "no PDF" if not PDF.exists() else "the PDF was built from other inputs"
    if os.environ.get("CI"):
        raise RuntimeError(f"{why}: make test builds it when TeX is installed (see make pdf)")
    pytest.skip(f"{why}: run make pdf (needs TeX)", allow_module_level=True)


def pdf_text():
    return subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def text():
    return " ".join(pdf_text().split())


def test_pdf_has_every_chapter_and_appendix(text):
    for heading in ("THE PRICING LOGIC OF", "BIREN: TECHNOLOGY AND COMMERCIALIZATION", "THE HONG KONG MARKET AND THE IPO",
                    "THE FIRST YEAR", "CLAIMS AUDIT", "DATA AND SOURCES", "METHODOLOGY", "GLOSSARY"):
        assert heading in text.upper(), heading


def test_pdf_carries_glued_figures_and_chinese_names(text):
    f = Facts()
    assert f"{biren.figures(f)['rev_fy2024']:,.1f}" in text
    assert f"{hkmarket.hindsight(f)['h_biren_cs_upsized']:.2%}" in text
    assert f"{aftermarket.figures(f)['close']:.2f}" in text
    assert f"{len(claims.audit(f))} checkable" in text
    for name in ("壁仞科技", "寒武纪", "摩尔线程", "沐曦股份", "云掌财经"):
        assert name in text, name


def test_pdf_marks_low_authority_figures_as_the_site_does(text):
    """A value resting only on grade C or D sources carries ◇ in the PDF too (the LaTeX build merges every
    page into one document, so the mark must find each value's own page)."""
    f = Facts(as_known_on="2025-12-22")
    weak, strong = biren.figures(f)["cash_cash_like_jun2025"], biren.figures(f)["cash_equivalents_jun2025"]
    assert f"{weak:,.1f}◇" in text
    assert f"{strong:,.1f}◇" not in text and f"{strong:,.1f}" in text


def test_pdf_embeds_a_cjk_font():
    fonts = subprocess.run(["pdffonts", str(PDF)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts


def test_chinese_is_set_in_the_simplified_chinese_faces():
    """Noto's CJK collections share one glyph table (pdffonts names it 'jp' for every face); the face is the
    collection index fontspec loaded: 2 is Simplified Chinese, 0 Japanese."""
    log = LOG.read_text(encoding="utf-8", errors="replace")
    loaded = set(re.findall(r'"\[(Noto\w+CJK-\w+\.ttc):(\d+)\]', log))
    assert loaded and {index for _, index in loaded} <= {"2", "7"}, loaded


def test_latex_log_has_no_missing_glyph_and_no_error():
    log = LOG.read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert not re.search(r"^! ", log, flags=re.M)


def test_pdf_has_an_image_for_every_chart():
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.strip()]
    charts = sum(len(parse(page).charts) for page in html_pages(SITE))
    assert len(images) >= charts >= 12


def test_pdf_is_a4_with_a_title_page():
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    assert "595.28 x 841.89" in info
    first_page = subprocess.run(["pdftotext", "-l", "1", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    assert "Data as of" in first_page and "Edition of" in first_page


def test_site_links_the_pdf():
    assert (SITE / PDF.name).exists()
    assert PDF.name in parse(SITE / "index.html").links


def test_every_claim_id_is_intact_in_the_pdf():
    """Each claim id appears whole (not hyphenated across lines) in the PDF's text."""
    raw = pdf_text()
    ids = Facts().rows("claims")["claim_id"].tolist()
    missing = [i for i in ids if not re.search(rf"(?<![\w-]){i}(?![\w-])", raw)]
    assert missing == [], missing


def test_no_overfull_box_wider_than_a_few_points():
    """The LaTeX log's overfull boxes: none wider than 5pt (628 before the print work, most of them tables)."""
    log = LOG.read_text(encoding="utf-8", errors="replace")
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]
    assert [w for w in widths if w > 5] == [], f"{len(widths)} overfull boxes, widest {max(widths, default=0)}pt"
    # A page too full (a table run into the footer, as Table 5.2 once did) is an overfull \vbox.
    assert "Overfull \\vbox" not in log


def test_print_has_no_web_only_wording_and_a_condensed_dictionary(text):
    lowered = text.lower()
    assert not re.search(r"\bhover|\bclick", lowered)
    assert "fields of" not in lowered          # the field-by-field dictionary is on the site only
    assert "dictionary, field by field" in lowered


def test_title_page_names_the_ticker_the_data_date_and_the_edition():
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(PDF), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert Facts().company("biren")["ticker"] in first
    assert "Data as of " + written(Facts().data_as_of()) in first
    assert re.search(r"Edition of \d{1,2} [A-Z][a-z]+ \d{4}", first)


class NumberedTables(HTMLParser):
    """The site's numbered tables: {"Table 4.2": [first cell of each body row, ...]}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._number, self._cell, self._in = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class", "") or ""
        if tag == "span" and "caption-number" in classes:
            self._in = "number"
            self._number = ""
        elif tag == "tbody" and self._number:
            self.tables[self._number] = []
        elif tag == "tr" and self._number in self.tables:
            self._cell = ""
        elif tag == "td" and self._cell == "":
            self._in = "cell"

    def handle_endtag(self, tag):
        if tag == "span" and self._in == "number":
            self._number = self._number.strip() if self._number.strip().startswith("Table") else None
            self._in = None
        elif tag == "td" and self._in == "cell":
            self.tables[self._number].append(" ".join(self._cell.split()))
            self._in, self._cell = None, None
        elif tag == "table":
            self._number = None

    def handle_data(self, data):
        if self._in == "number":
            self._number += data
        elif self._in == "cell":
            self._cell += data


def site_tables() -> dict:
    parser = NumberedTables()
    for page in html_pages(SITE):
        parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def test_each_table_has_as_many_rows_in_the_pdf_as_on_the_site():
    """Every numbered table's rows reach the printed page: after the table's caption and before the next
    table's, the first word of each row's first cell is found, in order (a row lost at a page foot, or
    dropped, leaves its word unfound). Before the print work, Table 5.2 lost three rows at a page foot."""
    tables = site_tables()
    assert len(tables) >= 20 and sum(len(rows) for rows in tables.values()) >= 140
    text = " ".join(pdf_text().replace("\u00ad", "").split())
    captions = {m.group(1): m.start() for m in re.finditer(r"(Table \d+\.\d+): ", text)}   # a caption, not a reference
    starts = sorted(captions.values())
    for number, rows in tables.items():
        assert number in captions, f"{number} is not in the PDF"
        start = captions[number]
        end = next((s for s in starts if s > start), len(text))
        at, lost = start, []
        for row, cell in enumerate(rows, 1):
            word = cell.split()[0][:10] if cell.split() else ""   # a long name may wrap in its cell
            found = text.find(word, at, end)
            if found < 0:
                lost.append((row, word))
            else:
                at = found + len(word)
        assert lost == [], f"{number}: {len(rows)} rows on the site; not found in print: {lost}"


def test_figures_and_tables_carry_the_same_numbers_and_captions_in_print_and_on_the_site():
    """Sphinx numbers both outputs (numfig): each site caption's number opens the same caption in print."""
    text = " ".join(pdf_text().split())
    captions = []
    for page in html_pages(SITE):
        html = page.read_text(encoding="utf-8")
        for number, caption in re.findall(r'<span class="caption-number">((?:Figure|Table) [\d.]+) </span>'
                                          r'<span class="caption-text">(.*?)</span>', html, flags=re.S):
            words = " ".join(re.sub(r"<[^>]+>", "", caption).split()[:3])
            captions.append((number, words))
    assert len([c for c in captions if c[0].startswith("Figure")]) >= 18 and len(captions) >= 38
    assert len({number for number, _ in captions}) == len(captions)
    missing = [(number, words) for number, words in captions if f"{number}: {words}" not in text]
    assert missing == [], missing


# "5.2 Every claim", "§01 The pricing logic …": short, capitalised, no full stop (running marks read "5.2. …").
HEADING_LINE = re.compile(r"(\d+\.\d+(\.\d+)? [A-Z][^.]{0,80}|§\d\d [A-Z][^.]{0,80})")
RUNNING_FOOT = re.compile(r"\d+|\d+\.\d+(\.\d+)?\. .*|CHAPTER \w+")


def test_no_page_ends_with_a_heading():
    """A heading is printed with what follows it: no page's text ends with a section heading or a
    rubric (a long table under a heading once left "5.2 Every claim" and "§01 …" at a page foot)."""
    pages = pdf_text_by_page()
    stranded = []
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        while lines and RUNNING_FOOT.fullmatch(lines[-1]):
            lines.pop()
        if lines and HEADING_LINE.fullmatch(lines[-1]):
            stranded.append(f"p. {number}: {lines[-1]}")
    assert len(pages) > 40
    assert stranded == []


def pdf_text_by_page() -> list[str]:
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_chinese_names_are_not_broken_across_lines():
    """xeCJK may break between any two Chinese characters; a company's Chinese name is printed whole
    (a narrow table column printed 沐 on one line and 曦股份 on the next)."""
    import pandas as pd

    raw = subprocess.run(["pdftotext", "-raw", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    joined = re.sub(r"\n", "", raw)
    names = [name for name in pd.read_csv(ROOT / "data" / "companies.csv")["name_zh"].dropna() if len(name) >= 3]
    broken = {name: joined.count(name) - raw.count(name) for name in names if joined.count(name) > raw.count(name)}
    assert sum(raw.count(name) for name in names) > 20
    assert broken == {}
