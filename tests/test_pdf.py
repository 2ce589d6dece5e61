"""The PDF: built by `make pdf` (make test builds it when TeX is installed, and .ci/run installs TeX)."""
import os
import re
import subprocess

import pytest

from gpuipo import aftermarket, biren, claims, hkmarket
from gpuipo.facts import Facts

from .site import ROOT, SITE, html_pages, parse

PDF = ROOT / "_build" / "china-gpu-ipo-report.pdf"
LOG = ROOT / "_build" / "pdf" / "_build" / "latex" / "china-gpu-ipo-report.log"

if not PDF.exists():
    if os.environ.get("CI"):
        raise RuntimeError("the PDF was not built: make test builds it when TeX is installed (see make pdf)")
    pytest.skip("no PDF: run make pdf (needs TeX)", allow_module_level=True)


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


def test_print_has_no_web_only_wording_and_a_condensed_dictionary(text):
    lowered = text.lower()
    assert not re.search(r"\bhover|\bclick", lowered)
    assert "fields of" not in lowered          # the field-by-field dictionary is on the site only
    assert "dictionary, field by field" in lowered


def test_title_page_names_the_ticker_the_data_date_and_the_edition():
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(PDF), "-"], capture_output=True, text=True,
                           check=True).stdout
    from gpuipo import data

    assert Facts().company("biren")["ticker"] in first
    assert "Data as of " + data.latest_date().strftime("%d %B %Y").lstrip("0") in first
    assert re.search(r"Edition of \d{1,2} [A-Z][a-z]+ \d{4}", first)
