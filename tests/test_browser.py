"""Every page in a real browser (Debian's Chromium through Playwright), served from localhost with no
network: charts draw, nothing logs an error, nothing is requested from another host, and axe-core
finds no serious or critical accessibility violation. Screenshots land in test-artifacts/screenshots/.
"""
from urllib.parse import urlparse

import pytest

from .serving import chromium, serve, skip_without_chromium
from .site import ROOT, ensure_site, toc_pages

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
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg, canvas'))",
        timeout=20_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot_name}.png"), full_page=True)
    charts = page.eval_on_selector_all(
        ".vega-chart", "els => els.map(e => ({drawn: !!e.querySelector('svg, canvas'), label: e.getAttribute('aria-label')}))")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    page.close()
    return requests, errors, charts, violations


@pytest.mark.parametrize("name", toc_pages())
def test_page_in_a_real_browser(browser, server, name):
    requests, errors, charts, violations = visit(browser, f"{server}/{name}.html", name.replace("/", "__"))
    foreign = [url for url in requests if urlparse(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:")]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == [], f"console errors: {errors}"
    assert all(chart["drawn"] for chart in charts), charts
    assert all(chart["label"] for chart in charts), "every chart needs alt text"
    assert violations == [], violations


# Pages whose tables are laid out to fit the column at 1280 px (the others are issue 14's).
FITTED = ["index", "chapters/04_after_listing"]


@pytest.mark.parametrize("name", FITTED)
def test_tables_fit_the_column_at_1280_px(browser, server, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/{name}.html", wait_until="load")
    wide = page.evaluate("""() => [...document.querySelectorAll('table')].map((t, i) => {
        const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
        return [i, t.scrollWidth, box.clientWidth];}).filter(([i, table, column]) => table > column + 1)""")
    page.close()
    assert wide == [], f"tables wider than the column (index, table px, column px): {wide}"
