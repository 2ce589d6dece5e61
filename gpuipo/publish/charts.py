"""The output every chart carries (its style is gpuipo.shared.style).

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

from gpuipo.shared.style import HEIGHT, PNG_PPI, PNG_SCALE, WIDTH


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
