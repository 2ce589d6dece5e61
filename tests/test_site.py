"""The built site: every page, no broken internal link, nothing fetched from another host."""
import html as html_module
import json
import re
from urllib.parse import urldefrag, urlparse

import pytest

from gpuipo.chapters import aftermarket
from gpuipo.chapters import biren
from gpuipo.chapters import hkmarket
from gpuipo.chapters import pricing
from gpuipo.facts import Facts

from .site import ROOT, html_pages, parse, toc_pages

pytestmark = [pytest.mark.build]

MIN_CHARTS = 12
PAGE_BUDGET = 80_000  # bytes of HTML per page as sent compressed (gzip), shared assets excluded


@pytest.fixture(scope="module")
def pages(site):
    return {path: parse(path) for path in html_pages(site)}


def test_every_toc_page_is_built(site):
    for name in toc_pages():
        assert (site / f"{name}.html").exists(), name


def test_no_broken_internal_links(site, pages):
    broken = []
    for path, page in pages.items():
        for href in page.links + [src for _, src in page.resources]:
            if urlparse(href).scheme or href.startswith(("mailto:", "data:", "javascript:")):
                continue
            target, fragment = urldefrag(href)
            target_path = (path.parent / target.split("?")[0]).resolve() if target else path
            if target_path.is_dir():
                target_path = target_path / "index.html"
            if not target_path.exists():
                broken.append(f"{path.relative_to(site)} -> {href}")
            elif fragment and target_path.suffix == ".html":
                target_page = pages.get(target_path) or parse(target_path)
                if fragment not in target_page.ids:
                    broken.append(f"{path.relative_to(site)} -> {href} (no such anchor)")
    assert broken == []


def test_nothing_is_fetched_from_another_host(pages, site):
    external = [f"{path.relative_to(site)}: <{tag}> {url}" for path, page in pages.items()
                for tag, url in page.resources if urlparse(url).scheme in ("http", "https") or url.startswith("//")]
    assert external == []


def test_vega_runtime_is_shipped_once_loaded_by_no_page_and_pages_stay_light(site, pages):
    """The runtime ships once; no page loads it up front (charts.js fetches it when a reader reaches for a
    chart), every script a page loads is deferred, and each page is light on the wire."""
    import gzip

    runtimes = sorted(p.name for p in site.rglob("vega*.min.js"))
    assert runtimes == ["vega-embed.min.js", "vega-lite.min.js", "vega.min.js"]
    for path, page in pages.items():
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="[^"]*vega[^"]*"', html), path.name
        assert re.search(r'<script defer="defer" src="[^"]*_static/charts\.js[^"]*"></script>', html), path.name
        size = len(gzip.compress(path.read_bytes(), mtime=0))
        assert size <= PAGE_BUDGET, f"{path.relative_to(site)} is {size} bytes compressed"


def test_no_script_holds_up_the_first_paint(site, pages):
    """Every script file a page names is deferred (the theme's search scripts too, in their order), and the
    theme's FontAwesome script, half a megabyte that only turned icons into SVG, is neither loaded nor shipped."""
    blocking = [f"{path.relative_to(site)}: {src}" for path in pages
                for src in re.findall(r'<script(?![^>]*\sdefer(?=[\s=>]))[^>]*\ssrc="([^"]+)"', path.read_text(encoding="utf-8"))]
    assert blocking == []
    assert not [path.name for path in pages if "fontawesome.js" in path.read_text(encoding="utf-8")]
    assert not list(site.rglob("fontawesome.js"))
    searching = [re.search(r'src="[^"]*' + re.escape(name), (site / "index.html").read_text(encoding="utf-8")).start()
                 for name in ("documentation_options.js", "doctools.js", "searchtools.js", "searchindex.js")]
    assert searching == sorted(searching)


def test_icon_font_holds_the_icons_the_site_can_show_and_little_else(site):
    from fontTools.ttLib import TTFont

    from gpuipo.extension import icon_font

    codepoints = icon_font.icon_codepoints((site / icon_font.THEME_CSS).read_text(encoding="utf-8"))
    shown = {name for name in icon_font.icons_named(site) if name in codepoints}
    assert {"fa-magnifying-glass", "fa-bars", "fa-sun", "fa-moon", "fa-xmark"} <= shown
    solid = site / icon_font.WEBFONTS / "fa-solid-900.woff2"
    drawn_by_css = icon_font.glyphs_drawn_by_stylesheets(site)
    assert 0xF0F3 in drawn_by_css   # the bell of the hindsight boxes, drawn through the theme's --pst-icon-bell
    # Each glyph in the face that has it: brand icons (the theme's GitHub and GitLab variables) in the brands font.
    held = set().union(*(TTFont(font).getBestCmap() for font in (site / icon_font.WEBFONTS).glob("*.woff2")))
    assert {codepoints[name] for name in shown} <= set(TTFont(solid).getBestCmap())
    assert drawn_by_css <= held
    assert solid.stat().st_size < 5_000   # the theme's whole font is 156 kB


def test_charts_have_specs_alt_text_and_stable_ids(pages):
    charts = [(path, chart) for path, page in pages.items() for chart in page.charts]
    assert len(charts) >= MIN_CHARTS
    for path, chart in charts:
        assert chart["id"].startswith("vega-") and len(chart["id"]) == len("vega-") + 16
        assert chart.get("aria-label"), f"chart without alt text in {path}"
        assert f'data-target="{chart["id"]}"' in path.read_text(encoding="utf-8")


def test_glued_figures_reach_the_pages(site):
    f = Facts()
    index = parse(site / "index.html").plain
    assert f"{pricing.figures(f)['mt_ps']:,.0f}" in index
    assert f"{hkmarket.hindsight(f)['h_biren_cs_upsized']:.2%}" in index
    ch2 = parse(site / "chapters" / "02_biren.html").plain
    assert f"{biren.figures(f)['rev_fy2024']:,.1f}" in ch2
    ch4 = parse(site / "chapters" / "04_after_listing.html").plain
    assert f"{aftermarket.figures(f)['close']:.2f}" in ch4


def test_every_data_file_is_offered_for_download(site):
    downloaded = {p.name for p in (site / "_downloads").rglob("*") if p.is_file()}
    for path in (ROOT / "data").iterdir():
        assert path.name in downloaded, path.name
    assert "claims_audit.csv" in downloaded


def test_bibliography_lists_every_source(site):
    page = parse(site / "appendix" / "data_and_sources.html").plain
    f = Facts()
    for title in f.sources()["title"]:
        assert " ".join(title.split())[:40] in page, title


CHAPTERS = ["chapters/01_pricing_logic", "chapters/02_biren", "chapters/03_hong_kong_ipo",
            "chapters/04_after_listing", "chapters/05_claims_audit"]


def _as_of(text: str):
    import re

    import pandas as pd

    found = re.search(r"Data as of\.? ?(\d{1,2} [A-Z][a-z]+ \d{4})", text)
    assert found, "no 'Data as of' date"
    return pd.Timestamp(found.group(1))


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_states_the_date_its_data_runs_to(site, name):
    import pandas as pd

    text = parse(site / f"{name}.html").plain
    opening = text[text.find("Data as of"):]
    day = _as_of(opening)
    # the opening and the closing source list give the same day
    assert _as_of(text[text.rfind("Data as of."):]) == day
    if name < "chapters/04":
        assert day <= pd.Timestamp("2025-12-22")      # chapters 1-3 rest on the article's date
    if name == "chapters/04_after_listing":
        assert day == pd.Timestamp(Facts().data_as_of())   # chapter 4 uses the newest observation in the package


def test_front_page_opens_with_where_biren_stands(site):
    text = parse(site / "index.html").plain
    start = text.find("Where it stands now")
    box = text[start:]
    assert start >= 0 and box.find("Return since the offer") < box.find("Key findings")
    v = aftermarket.figures(Facts())
    assert f"{v['now_from_offer']:+.1%}" in box[:box.find("Key findings")]
    assert "Data as of" in box[:box.find("Key findings")]
    chapter4 = parse(site / "chapters" / "04_after_listing.html").plain
    import re

    import pandas as pd

    boxed = re.search(r"Data as of (\d{1,2}\s[A-Z][a-z]{2}\s\d{4})", box).group(1)
    assert pd.Timestamp(boxed) == _as_of(chapter4)    # one "data as of" for the box and chapter 4
    assert "hover" not in text.lower()


def test_the_chapters_link_to_the_deal_timeline(site):
    for name in ("chapters/02_biren", "chapters/03_hong_kong_ipo"):
        assert "04_after_listing.html#deal-timeline" in parse(site / f"{name}.html").links, name
    assert 'id="deal-timeline"' in (site / "chapters" / "04_after_listing.html").read_text(encoding="utf-8")


def test_dates_in_the_first_year_tables_do_not_break(site):
    html = (site / "chapters" / "04_after_listing.html").read_text(encoding="utf-8")
    assert "22\u00a0Dec\u00a02025" in html or "22&nbsp;Dec&nbsp;2025" in html


@pytest.mark.parametrize("name", CHAPTERS)
def test_negative_numbers_carry_a_minus_sign(site, name):
    """Glued values come formatted with a hyphen; the page shows the minus sign, which never breaks from its digits."""
    import re

    text = parse(site / f"{name}.html").plain
    assert re.findall(r"(?<![\w\-\u2212/.])-\d[\d.,]*%?", text) == []


def test_glossary_is_sorted_and_has_the_terms_the_report_uses(site):
    import re

    html = (site / "appendix" / "glossary.html").read_text(encoding="utf-8")
    terms = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<dt[^>]*>(.*?)<a class=\"headerlink", html, flags=re.S)]
    for needed in ("亿 (yi)", "万 (wan)", "Non-IFRS (adjusted) loss", "Redemption liabilities", "Lock-up", "H share",
                   "Chapter 18C", "Abnormal return"):
        assert needed in terms, (needed, terms)
    assert terms == sorted(terms, key=str.lower)


def test_the_site_keeps_the_full_data_dictionary(site):
    from gpuipo.contract import loader as data

    text = parse(site / "appendix" / "data_and_sources.html").plain
    assert all(f"Fields of {name}.csv." in text for name in data.table_names())


def test_every_page_has_a_description_a_preview_card_and_a_sitemap_entry(site):
    """Search results and shared links: a meta description from the page's opening prose, Open Graph tags
    with the page's own headline chart as image (a chapter's; an appendix shows the front page's), shipped
    with the site and described by that chart's description; the sitemap lists every page and no other."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == len(toc_pages())
    images = set()
    for name in toc_pages():
        html = (site / f"{name}.html").read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert description and 100 <= len(description.group(1)) <= 205, name
        assert not description.group(1).startswith(("Where Biren stands", "Data as of", "Sources")), name
        image = re.search(r'<meta property="og:image" content="https?://[^"]+/(og/[a-z0-9_]+\.png)"', html)
        owner = name if name.startswith(("index", "chapters/")) else "index"
        assert image and image.group(1) == "og/" + owner.replace("/", "__") + ".png", name
        assert (site / image.group(1)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        alt = html_module.unescape(re.search(r'<meta property="og:image:alt" content="([^"]+)"', html).group(1))
        owner_page = (site / f"{owner}.html").read_text(encoding="utf-8")
        charts_described = map(html_module.unescape, re.findall(r'class="vega-chart"[^>]*aria-label="([^"]+)"', owner_page))
        assert alt in charts_described, name
        assert f"/{name}.html</loc>" in sitemap, name
        images.add(image.group(1))
    assert len(images) == 6   # the front page and five chapters


def test_the_site_ships_exactly_the_preview_images_the_ledgers_name(site):
    """A preview image is written as its chapter runs; the build copies into the site each one a page's
    ledger names, and nothing else (no build folder is copied whole)."""
    ledgers = [json.loads(path.read_text(encoding="utf-8")) for path in (ROOT / "_build" / "generated" / "ledger").glob("*.json")]
    named = {ledger["preview"]["image"] for ledger in ledgers if ledger.get("preview")}
    assert len(named) == 6
    assert named == {path.relative_to(site).as_posix() for path in (site / "og").rglob("*") if path.is_file()}


def test_chinese_runs_carry_their_language(site):
    """Every run of Chinese characters in a chapter's text (scripts and attributes aside) is a zh-Hans span."""
    html = (site / "chapters" / "05_claims_audit.html").read_text(encoding="utf-8")
    assert '<span lang="zh-Hans">壁仞科技</span>' in (site / "index.html").read_text(encoding="utf-8")
    article = html[html.index('<article class="bd-article"'):html.index("</article>")]
    body = re.sub(r"<script.*?</script>", "", article, flags=re.S)
    spans = re.findall(r'<span lang="zh-Hans">([^<]*)</span>', body)
    text_runs = re.findall(r">([^<]*[\u4e00-\u9fff][^<]*)<", body)
    assert spans and all(re.fullmatch(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+", s) for s in spans)
    assert all(run in spans for run in text_runs), [r for r in text_runs if r not in spans][:5]


def test_preview_card_text_reaches_its_attribute_as_text():
    """sphinxext-opengraph escapes only the double quote of what it writes into a meta tag's content; a
    page's opening words (data text among them) are escaped before, so the attribute reads back as written."""
    from html.parser import HTMLParser

    from sphinxext.opengraph import make_tag

    from gpuipo.extension.head import as_attribute_text as _as_attribute_text

    hostile = 'Biren "壁仞" <script>alert(1)</script> & R&amp;D > 0'
    read = []

    class Meta(HTMLParser):
        def handle_starttag(self, tag, attrs):
            read.append(dict(attrs).get("content"))

    Meta().feed(make_tag("og:description", _as_attribute_text(hostile)))
    assert read == [hostile]
