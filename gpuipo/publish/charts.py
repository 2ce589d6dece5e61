"""One chart style for the whole book, and the output every chart carries.

Each chart is displayed as one bundle holding
- text/html: the chart as a static SVG rendered by vl-convert at build time (shown at once, scaled to
  the column), its Vega-Lite spec in a <script type="application/json">, which _static/charts.js hands
  to the vendored Vega runtime (loaded only when a reader reaches for a chart) to make it interactive,
  and a "data behind this chart" disclosure: the plotted values as a table and as a CSV. All under an
  id derived from the spec, so reruns give identical pages;
- image/png: a static rendering by vl-convert, which the PDF build uses;
- text/plain: the chart's title, for anything that cannot show either.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from urllib.parse import quote

import altair as alt

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
ACCENT = PALETTE[0]   # the report's subject (Biren)
MUTED = "#8c8c8c"     # context series
FONT = "Noto Sans SC, Noto Sans CJK SC, Noto Sans, DejaVu Sans, Arial, sans-serif"
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
            # No strokeWidth here: a configured one overrides a chart's strokeWidth encoding (which marks
            # Biren's line); Vega-Lite's default is the same 2 px.
            "line": {"color": ACCENT},
            "point": {"color": ACCENT, "filled": True, "size": 60},
            "background": "white",
        }
    }


SUBJECT_LINE, CONTEXT_LINE = 3.5, 1.5   # stroke widths (px) of the report's subject and of the others


def subject_on_top(lines: alt.Chart, field: str, subject: str) -> alt.LayerChart:
    """A line chart with one series per value of `field`, the `subject`'s line heavier and drawn again as
    the top layer, so that no other line crosses over it. (`order` cannot do it: on a line mark it sorts
    the points within each line.)"""
    # Expressions, not field predicates: a field named in the spec would become a column of the chart's data table.
    is_subject = f"datum[{json.dumps(field)}] === {json.dumps(subject)}"
    weighted = lines.encode(strokeWidth=alt.StrokeWidth("weight:Q", scale=None, legend=None)).transform_calculate(
        weight=f"{is_subject} ? {SUBJECT_LINE} : {CONTEXT_LINE}")
    return weighted + weighted.transform_filter(is_subject)


def spec_of(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict()


def element_id(spec: dict) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"vega-{digest[:16]}"


def _script_json(value) -> str:
    """JSON inside <script>: with <, > and & as \\u escapes no text in it can close the element or open
    a comment, whatever a data label says."""
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def svg_image(spec: dict) -> str:
    """The chart as an <img> of its static SVG (a data: address, so that the ids inside one chart's SVG
    cannot clash with another's on the page), at its natural size; CSS scales it to the column."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    width, height = (round(float(size.group(1))), round(float(size.group(2)))) if size else (WIDTH, HEIGHT)
    source = "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" /:=,;.()-")   # a "#" would end the address
    return f'<img class="chart-static" src="{source}" width="{width}" height="{height}" alt="">'


def plotted_values(spec: dict) -> tuple[list[str], list[list[str]]]:
    """The values a chart plots: each encoded field of its data, headed by the field's title, as text."""
    titles: dict[str, str] = {}

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("field"), str):
                title = node.get("title")
                titles.setdefault(node["field"], title if isinstance(title, str) and title else "")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect({key: value for key, value in spec.items() if key != "datasets"})
    records = [record for dataset in spec.get("datasets", {}).values() for record in dataset]
    fields = [field for field in titles if any(field in record for record in records)]
    header = [titles[field] or field.replace("_", " ") for field in fields]
    return header, [[_shown(record.get(field)) for field in fields] for record in records]


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def html_snippet(spec: dict, alt_text: str, rows: list[list[str]] | None = None, csv_name: str = "chart.csv") -> str:
    """The chart's HTML. `rows` are its plotted values as published (spreadsheet-safe text, the header
    first); charts.js shows them as a table and offers them as a CSV when the reader opens the disclosure."""
    chart_id = element_id(spec)
    data = ""
    if rows and len(rows) > 1:
        data = (f'<details class="chart-data" data-csv-name="{html.escape(csv_name, quote=True)}">'
                f"<summary>Data behind this chart</summary><p>The {len(rows) - 1} values it plots.</p>"
                f'<script type="application/json" class="chart-values">{_script_json(rows)}</script></details>')
    return (f'<div class="vega-chart" id="{chart_id}" role="img" aria-label="{html.escape(alt_text, quote=True)}">'
            f"{svg_image(spec)}</div>\n"
            f'<script type="application/json" class="vega-spec" data-target="{chart_id}">{_script_json(spec)}</script>'
            f"{data}")


def png_bytes(spec: dict) -> bytes:
    import vl_convert as vlc

    # vl-convert multiplies its scale by ppi / 72: this keeps PNG_SCALE pixels per CSS pixel.
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE * 72 / PNG_PPI, ppi=PNG_PPI)


def bundle(chart_spec: dict, alt_text: str, rows: list[list[str]] | None = None,
           csv_name: str = "chart.csv") -> dict:
    """The outputs of a chart, given its spec (`spec_of`). The written description is also the spec's,
    which Vega gives the SVG it draws."""
    spec = {**chart_spec, "description": alt_text}
    title = spec.get("title", {})
    title_text = title.get("text") if isinstance(title, dict) else title
    return {
        "text/html": html_snippet(spec, alt_text, rows, csv_name),
        "image/png": base64.b64encode(png_bytes(spec)).decode("ascii"),
        "text/plain": f"Chart: {title_text}",
    }
