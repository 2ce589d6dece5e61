"""One chart style for the whole book, and the output every chart carries.

Each chart is displayed as one bundle holding
- text/html: the Vega-Lite spec in a <script type="application/json">, drawn in the browser by the
  Vega runtime vendored in _static/vega (see _static/vega-init.js), under an id derived from the
  spec so reruns give identical pages;
- image/png: a static rendering by vl-convert, which the PDF build uses;
- text/plain: the chart's title, for anything that cannot show either.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json

import altair as alt

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
ACCENT = PALETTE[0]   # the report's subject (Biren)
MUTED = "#8c8c8c"     # context series
FONT = "Noto Sans CJK SC, Noto Sans, DejaVu Sans, Arial, sans-serif"
WIDTH = 560
HEIGHT = 300
NARROW = 360  # horizontal bar charts, whose long category labels take the rest of the column
PNG_SCALE = 2
# The PNG's stated resolution makes its printed size the chart's size on screen (96 CSS pixels to the
# inch): a narrow chart prints narrow instead of being blown up to the text width.
PNG_PPI = 96 * PNG_SCALE


@alt.theme.register("gpuipo", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": FONT,
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": "bold", "subtitleFontSize": 12,
                      "subtitleColor": "#444444", "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6", "domainColor": "#888888",
                     "tickColor": "#888888", "titleFontWeight": "normal"},
            "axisY": {"labelLimit": 320},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "columns": 3, "labelLimit": 260},
            "bar": {"color": ACCENT},
            "line": {"color": ACCENT, "strokeWidth": 2},
            "point": {"color": ACCENT, "filled": True, "size": 60},
            "background": "white",
        }
    }


def spec_of(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict()


def element_id(spec: dict) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"vega-{digest[:16]}"


def html_snippet(spec: dict, alt_text: str) -> str:
    chart_id = element_id(spec)
    # JSON inside <script>: with <, > and & as \u escapes no text in the spec can close the element
    # or open a comment, whatever a data label says.
    payload = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # tabindex: a chart wider than the column scrolls, and a scrollable region must be reachable by keyboard.
    return (f'<div class="vega-chart" id="{chart_id}" role="img" tabindex="0" aria-label="{html.escape(alt_text, quote=True)}">'
            f"</div>\n"
            f'<script type="application/json" class="vega-spec" data-target="{chart_id}">{payload}</script>')


def png_bytes(spec: dict) -> bytes:
    import vl_convert as vlc

    # vl-convert multiplies its scale by ppi / 72: this keeps PNG_SCALE pixels per CSS pixel.
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE * 72 / PNG_PPI, ppi=PNG_PPI)


def bundle(chart: alt.TopLevelMixin, alt_text: str) -> dict:
    spec = spec_of(chart)
    title = spec.get("title", {})
    title_text = title.get("text") if isinstance(title, dict) else title
    return {
        "text/html": html_snippet(spec, alt_text),
        "image/png": base64.b64encode(png_bytes(spec)).decode("ascii"),
        "text/plain": f"Chart: {title_text}",
    }
