"""Every page in a real browser (Debian's Chromium through Playwright), served from localhost with no
network: charts show at once as static images and no page loads the Vega runtime up front; a chart a
reader reaches for becomes interactive; nothing logs an error, nothing is requested from another host,
and axe-core finds no serious or critical accessibility violation. Screenshots land in
test-artifacts/screenshots/.
"""
from urllib.parse import urlparse

import pytest

from .serving import chromium, serve, skip_without_chromium
from .site import ROOT, ensure_site, toc_pages

pytestmark = [pytest.mark.browser]

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"

skip_without_chromium(pytest)
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server():
    with serve(ensure_site()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def visit(browser, url, shot_name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    charts = page.eval_on_selector_all(".vega-chart", """els => els.map(e => {
        const img = e.querySelector('img.chart-static');
        return {shown: !!img && img.complete && img.naturalWidth > 0, label: e.getAttribute('aria-label')};})""")
    runtime_at_load = [r for r in requests if "/vega/" in r]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot_name}.png"), full_page=True)
    # A reader reaches for every chart: each is redrawn live by the Vega runtime.
    page.evaluate("() => document.querySelectorAll('.vega-chart').forEach(c => c.dispatchEvent(new Event('focusin')))")
    page.wait_for_function("() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg'))",
                           timeout=20_000)
    live = page.eval_on_selector_all(".vega-chart svg", "els => els.map(e => e.getAttribute('aria-label'))")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    page.close()
    return requests, errors, charts, violations, runtime_at_load, live


@pytest.mark.parametrize("name", toc_pages())
def test_page_in_a_real_browser(browser, server, name):
    requests, errors, charts, violations, runtime_at_load, live = visit(browser, f"{server}/{name}.html",
                                                                       name.replace("/", "__"))
    foreign = [url for url in requests if urlparse(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:")]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == [], f"console errors: {errors}"
    assert all(chart["shown"] for chart in charts), charts
    assert all(chart["label"] for chart in charts), "every chart needs alt text"
    assert runtime_at_load == [], "the Vega runtime must load only when a reader reaches for a chart"
    # The written description survives embedding (Vega names its SVG after the spec's description).
    assert live == [chart["label"] for chart in charts]
    assert violations == [], violations


def test_a_chart_shows_its_data_as_a_table_and_a_csv(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/chapters/02_biren.html", wait_until="load")
    summary = page.locator("details.chart-data summary").first
    summary.focus()
    page.keyboard.press("Enter")   # reachable by keyboard
    page.wait_for_selector("details.chart-data[open] table.chart-values-table")
    table = page.eval_on_selector("details.chart-data[open] table",
                                  "t => [t.tHead.rows[0].cells.length, t.tBodies[0].rows.length]")
    with page.expect_download() as download:
        page.locator("details.chart-data[open] a[download]").click()
    csv = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    # The chart fits the phone's column: no sideways scroll.
    widths = page.evaluate("() => [...document.querySelectorAll('.vega-chart')].map(c => [c.scrollWidth, c.clientWidth])")
    page.close()
    assert table[0] >= 2 and table[1] >= 3
    assert len(csv) == table[1] + 1
    assert all(scroll <= client + 1 for scroll, client in widths), widths


@pytest.mark.parametrize("name", ["chapters/01_pricing_logic", "chapters/02_biren", "chapters/03_hong_kong_ipo",
                                  "chapters/04_after_listing"])
def test_on_a_phone_live_charts_are_laid_out_for_the_column_with_legible_text(browser, server, name):
    """At 390 px a chart a reader reaches is drawn again across the column (not a 600-px drawing scaled
    down to axis labels of 6 px): every text of every chart on these pages is at least 10 px on screen."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/{name}.html", wait_until="load")
    page.evaluate("() => document.querySelectorAll('.vega-chart').forEach(c => c.dispatchEvent(new Event('focusin')))")
    page.wait_for_function("() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg'))",
                           timeout=20_000)
    charts = page.eval_on_selector_all(".vega-chart svg", """svgs => svgs.map(svg => {
        const scale = svg.getBoundingClientRect().width / parseFloat(svg.getAttribute('width'));
        const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
            .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        return {label: svg.getAttribute('aria-label').slice(0, 40), scale: scale, smallest: Math.min(...sizes),
                overflow: svg.getBoundingClientRect().right > document.documentElement.clientWidth + 1};})""")
    page.close()
    assert len(charts) >= 3
    assert [c for c in charts if c["smallest"] < 10 or c["overflow"]] == [], charts


@pytest.mark.parametrize("name", ["index", "chapters/03_hong_kong_ipo"])
def test_the_theme_icons_are_drawn_from_its_cut_down_font(browser, server, name):
    """Without the theme's FontAwesome script the icons come from its webfont, which the build subsets:
    the font loads, and every icon glyph the page draws (buttons, and the bell of each hindsight box on
    chapter 3) is in it; a missing glyph would draw an empty box of the same size."""
    from fontTools.ttLib import TTFont

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/{name}.html", wait_until="load")
    page.evaluate("() => document.fonts.ready")
    fonts = page.evaluate("""() => [...document.fonts].filter(f => f.family.includes('Font Awesome') && f.weight === '900')
                                  .map(f => f.status)""")
    drawn = page.evaluate("""() => {
        const glyphs = new Set();
        for (const element of document.querySelectorAll('*')) {
            for (const part of ['::before', '::after']) {
                const style = getComputedStyle(element, part);
                if (!style.fontFamily.includes('Font Awesome')) continue;
                for (const ch of style.content) {
                    const code = ch.codePointAt(0);
                    if (code >= 0xe000 && code <= 0xf8ff) glyphs.add(code);
                }
            }
        }
        return [...glyphs];}""")
    hindsight_bells = page.eval_on_selector_all(".admonition.hindsight", "els => els.length")
    page.close()
    cmap = set(TTFont(ensure_site() / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2")
               .getBestCmap())
    assert fonts == ["loaded"]
    assert len(drawn) >= 3
    assert sorted(hex(code) for code in set(drawn) - cmap) == []
    if name.startswith("chapters/03"):
        assert hindsight_bells and 0xF0F3 in drawn


# Every page's tables fit the column at 1280 px.
FITTED = toc_pages()


@pytest.mark.parametrize("name", FITTED)
def test_tables_fit_the_column_at_1280_px(browser, server, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/{name}.html", wait_until="load")
    wide = page.evaluate("""() => [...document.querySelectorAll('table')].map((t, i) => {
        const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
        return [i, t.scrollWidth, box.clientWidth];}).filter(([i, table, column]) => table > column + 1)""")
    page.close()
    assert wide == [], f"tables wider than the column (index, table px, column px): {wide}"


def test_on_a_phone_the_claims_audit_shows_each_verdict_first_and_fits(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/chapters/05_claims_audit.html", wait_until="load")
    rows = page.evaluate("""() => [...document.querySelectorAll('table[id^="tab-claims"] tbody tr')].map(r => {
        const claim = r.cells[0].getBoundingClientRect(), verdict = r.cells[r.cells.length - 1].getBoundingClientRect();
        return [verdict.top < claim.top, r.cells[0].dataset.label, r.getBoundingClientRect().right];})""")
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    page.close()
    assert len(rows) >= 40
    assert all(first and label == "Claim" for first, label, _ in rows), rows[:3]
    assert all(right <= 390 for *_, right in rows) and page_width <= 390
