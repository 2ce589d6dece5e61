"""One chart style for the whole book: the palette, the sizes and the theme every chart is drawn with,
and the subject's line on top. The chapters draw with it; gpuipo.publish.charts renders what they draw."""
from __future__ import annotations

import json

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
