"""Chapter 2: Biren Technology's technology and business, from its filings."""
from __future__ import annotations

import altair as alt
import pandas as pd

from gpuipo.contract.vocabulary import LOW_GRADES, LOW_GRADE_MARK
from gpuipo.facts import Facts, Text, metrics, served_by, shown
from gpuipo.facts.dates import CHART_YEAR, written_to
from gpuipo.facts.units import convert
from gpuipo.shared.style import ACCENT, MUTED, NARROW, PALETTE, WIDTH
from gpuipo.shared.words import listing, number, percent

PERIODS = ["FY2022", "FY2023", "FY2024", "H1-2024", "H1-2025"]
PERIOD_LABEL = {"FY2022": "2022", "FY2023": "2023", "FY2024": "2024", "H1-2024": "H1 2024", "H1-2025": "H1 2025"}


def _said(period: str) -> str:
    """A period as a description says it: '2024', 'the first half of 2025'."""
    label = PERIOD_LABEL[period]
    return f"the first half of {label[3:]}" if label.startswith("H1") else label


def _by_period(values: dict, say) -> str:
    """'2022: x, 2023: y; the first half of 2024: z' for {period: value}, each value said by `say`."""
    return listing(f"{say(value)} in {_said(period)}" for period, value in values.items())


def _fin_rows(f: Facts, metrics_: list[str], periods=PERIODS) -> pd.DataFrame:
    """Biren's rows for these metrics and periods; amounts also in CNY million (`amount_m`), whatever unit
    the filing printed them in."""
    rows = f.rows("financials", company_id="biren", metric=list(metrics_), period=list(periods))
    rows["period_label"] = rows["period"].map(PERIOD_LABEL)
    money = rows["currency"].notna()
    rows["amount_m"] = [convert(v, u, "million") if m else v for v, u, m in zip(rows["value"], rows["unit"], money)]
    return rows


def _fin(f: Facts, period: str, metric: str):
    """One of Biren's figures: amounts in CNY million, shares and counts as reported."""
    return f.fin("biren", period, metric, currency="CNY")


def _key(period: str) -> str:
    return period.replace("-", "_").lower()


REPORTED = ["FY2022", "FY2023", "FY2024", "H1-2025"]   # the track record, without the overlapping H1 2024


def figures(f: Facts) -> dict:
    rev = {p: _fin(f, p, "revenue") for p in PERIODS}
    gp = {p: _fin(f, p, "gross_profit") for p in PERIODS}
    v = {f"rev_{_key(p)}": rev[p] for p in PERIODS}
    v.update({f"gm_{_key(p)}": gp[p] / rev[p] for p in PERIODS})
    v["rev_multiple_22_24"] = metrics.multiple(rev["FY2022"], rev["FY2024"])
    v["rev_cagr_22_24"] = metrics.cagr(rev["FY2022"], rev["FY2024"], 2)
    v["rev_growth_h1"] = metrics.change(rev["H1-2024"], rev["H1-2025"])
    for p in REPORTED:
        key = _key(p)
        v[f"loss_{key}"] = -_fin(f, p, "net_profit")
        v[f"adj_loss_{key}"] = -_fin(f, p, "adjusted_net_profit")
        v[f"redemption_{key}"] = _fin(f, p, "redemption_liability_charge")
        v[f"gap_{key}"] = v[f"loss_{key}"] - v[f"adj_loss_{key}"]
        v[f"gap_share_redemption_{key}"] = v[f"redemption_{key}"] / v[f"gap_{key}"]
        v[f"rd_{key}"] = _fin(f, p, "rd_expense")
        v[f"rd_to_rev_{key}"] = v[f"rd_{key}"] / rev[p]
    v["adj_loss_h1_2024"] = -_fin(f, "H1-2024", "adjusted_net_profit")
    v["cum_net_loss"] = sum(v[f"loss_{_key(p)}"] for p in REPORTED)
    v["rd_cumulative"] = sum(v[f"rd_{_key(p)}"] for p in REPORTED)
    v["rd_to_revenue_cum"] = v["rd_cumulative"] / sum(rev[p] for p in REPORTED)
    v["rd_share_floor"] = _fin(f, "FY2022-H1-2025", "rd_share_of_opex") / 100
    v["rd_headcount"] = f.snapshot("biren", "rd_headcount")
    v["patents_granted"] = f.snapshot("biren", "patents_granted")
    v["patents_pending"] = f.snapshot("biren", "patent_applications_pending")
    v["patents_total"] = v["patents_granted"] + v["patents_pending"]
    v["orders"] = f.snapshot("biren", "binding_orders_value", unit="million", currency="CNY")
    v["orders_count"] = f.snapshot("biren", "binding_orders_count")
    v["framework"] = f.snapshot("biren", "framework_and_contracts_value", unit="million", currency="CNY")
    v["orders_to_rev_2024"] = v["orders"] / rev["FY2024"]
    v["framework_to_rev_2024"] = v["framework"] / rev["FY2024"]
    v["orders_plus_framework"] = v["orders"] + v["framework"]
    v["customers_fy2024"] = _fin(f, "FY2024", "customers")
    v["customers_h1_2025"] = _fin(f, "H1-2025", "customers")
    for p in ["FY2023", "FY2024", "H1-2025"]:
        v[f"top5_{_key(p)}"] = _fin(f, p, "top5_customer_share") / 100
    v["borrowings_jun2025"] = f.snapshot("biren", "bank_borrowings", "2025-06-30", unit="million", currency="CNY")
    v["current_ratio_jun2025"] = f.snapshot("biren", "current_ratio", "2025-06-30")
    v["net_current_liabilities_jun2025"] = -f.snapshot("biren", "net_current_assets", "2025-06-30", unit="million",
                                                       currency="CNY")
    v.update(runway(f))
    v["pre_ipo_funding"] = f.snapshot("biren", "pre_ipo_funding", currency="CNY")
    v["mlperf_resnet"] = f.number("mlperf_results", benchmark="ResNet-50", scenario="Offline")
    v["mlperf_bert"] = f.number("mlperf_results", benchmark="BERT-99.9", scenario="Offline")
    v["mlperf_cards"] = f.number("mlperf_results", "accelerator_count", benchmark="ResNet-50", scenario="Offline")
    v["mlperf_resnet_per_card"] = v["mlperf_resnet"] / v["mlperf_cards"]
    v["mlperf_bert_per_card"] = v["mlperf_bert"] / v["mlperf_cards"]
    return v


# --- cash runway --------------------------------------------------------------------------------------
# Three monthly burns from the first half of 2025, the last period before the IPO, against two cash bases at
# the last balance sheet (30 June 2025). Runway = cash ÷ monthly burn, counted from that balance sheet.
# The IPO's net proceeds enter only with hindsight: the prospectus estimates them in HK dollars, and no
# HKD rate known on the article's date is in the data; the annual report later gives them in yuan.

LAST_BALANCE_SHEET = "2025-06-30"
BURNS = {  # key: how the monthly burn is read (all from the first half of 2025)
    "adj": "Adjusted net loss (non-IFRS)",
    "stated": "Burn rate the filer states",
    "cash": "Operating cash outflow plus capital expenditure",
}


def burns(f: Facts) -> dict:
    """CNY million a month, by basis (see BURNS)."""
    return {
        "adj": -_fin(f, "H1-2025", "adjusted_net_profit") / 6,
        "stated": _fin(f, "H1-2025", "cash_burn_rate_stated"),
        "cash": (-_fin(f, "H1-2025", "operating_cash_flow") + _fin(f, "H1-2025", "capital_expenditure")) / 6,
    }


def cash_bases(f: Facts) -> dict:
    """CNY million at the last balance sheet: cash and cash equivalents (the filing's balance sheet) and
    cash plus cash-like assets (the broader base the filer's burn-rate statement uses)."""
    return {
        "equivalents": f.snapshot("biren", "cash_and_equivalents", LAST_BALANCE_SHEET, unit="million", currency="CNY"),
        "cash_like": f.snapshot("biren", "cash_and_liquid_assets", LAST_BALANCE_SHEET, unit="million", currency="CNY"),
    }


def runway(f: Facts) -> dict:
    b, cash = burns(f), cash_bases(f)
    v = {f"burn_{k}": value for k, value in b.items()}
    v.update({f"cash_{k}_jun2025": value for k, value in cash.items()})
    for k, burn in b.items():
        v[f"runway_{k}_equivalents"] = cash["equivalents"] / burn
        v[f"runway_{k}_cash_like"] = cash["cash_like"] / burn
    v["stated_to_adj_burn"] = b["stated"] / b["adj"]
    v["cash_to_stated_burn"] = b["cash"] / b["stated"]
    # Without the IPO: the longest runway on a burn that counts cash actually spent (not the adjusted loss).
    longest = max(v["runway_stated_cash_like"], v["runway_cash_cash_like"])
    v["runway_without_ipo"] = Text("less than a year" if longest < 12 else "a year or more",
                                   served_by(v["runway_stated_cash_like"] + v["runway_cash_cash_like"]))
    return v


def runway_table(f: Facts) -> pd.DataFrame:
    v = runway(f)
    return pd.DataFrame({
        "Monthly burn, first half of 2025": list(BURNS.values()),
        "CNY m a month": [shown(v[f"burn_{k}"], ",.1f") for k in BURNS],
        "Cash and equivalents (months)": [shown(v[f"runway_{k}_equivalents"], ".1f") for k in BURNS],
        "Cash and cash-like assets (months)": [shown(v[f"runway_{k}_cash_like"], ".1f") for k in BURNS],
    })


def hindsight(f: Facts) -> dict:
    """What later sources add to the chapter (for its hindsight notes)."""
    v = {"h_employees": f.snapshot("biren", "employees")}
    v["h_rd_staff_share"] = f.snapshot("biren", "rd_headcount") / v["h_employees"]
    rev, rev_before = _fin(f, "FY2025", "revenue"), _fin(f, "FY2024", "revenue")
    v["h_rev_fy2025"] = rev
    v["h_rev_growth_fy2025"] = metrics.change(rev_before, rev)
    v["h_gm_fy2025"] = _fin(f, "FY2025", "gross_profit") / rev
    v["h_rd_fy2025"] = _fin(f, "FY2025", "rd_expense")
    v["h_rd_growth_fy2025"] = metrics.change(_fin(f, "FY2024", "rd_expense"), v["h_rd_fy2025"])
    v["h_top5_fy2025"] = _fin(f, "FY2025", "top5_customer_share") / 100
    v["h_net_proceeds_cny"] = f.term("biren-hk-ipo", "net_proceeds_cny", unit="million", currency="CNY")
    b, cash = burns(f), cash_bases(f)
    for k in BURNS:
        v[f"h_runway_{k}_with_proceeds"] = (cash["cash_like"] + v["h_net_proceeds_cny"]) / b[k]
    return v


def milestones_chart(f: Facts):
    """One row per dated event, in date order, named on the axis: events months apart (BR100/BR104 and
    BR104's MLPerf entry) no longer print their labels over each other."""
    rows = f.rows("biren_milestones").sort_values("date", kind="stable")
    rows["when"] = [written_to(d, p)
                    for d, p in zip(rows["date"], rows["date_precision"])]
    rows["lane"] = rows["product"].replace({"results": "company"}).where(
        rows["product"].isin(["company", "results", "IPO"]), "chips")
    rows["row"] = [f"{when}: {product}" for when, product in zip(rows["when"], rows["product"])]
    chart = alt.Chart(rows).mark_point(size=120, filled=True).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format=CHART_YEAR, tickCount="year")),
        y=alt.Y("row:N", title=None, sort=list(rows["row"])),
        color=alt.Color("lane:N", title=None, sort=["company", "chips", "IPO"],
                        scale=alt.Scale(domain=["company", "chips", "IPO"], range=[MUTED, ACCENT, PALETTE[1]])),
        tooltip=[alt.Tooltip("when:N", title="When"), alt.Tooltip("product:N", title="Product"),
                 alt.Tooltip("event:N", title="Event"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(width=NARROW, height=alt.Step(26), description=(
        f"Timeline of Biren's {len(rows)} dated milestones, from {rows['event'].iloc[0]} ({rows['when'].iloc[0]}) to "
        f"{rows['event'].iloc[-1]} ({rows['when'].iloc[-1]})."), title=alt.Title(
        "Biren Technology 壁仞科技: milestones on record",
        subtitle="Dated events in the sources; BR166 and BR20X have no sourced date and are not plotted"))
    return chart


KIND_OF_PERIOD = {True: "Full years", False: "First halves"}


def _by_kind_of_period(chart: alt.Chart) -> alt.FacetChart:
    """Full years and first halves side by side on one value scale, never on one axis: a line or a row of
    bars running from 2024 into H1 2024 would compare a year with half of one."""
    return chart.facet(column=alt.Column("kind:N", title=None, sort=list(KIND_OF_PERIOD.values()),
                                         header=alt.Header(labelFontSize=12, labelAnchor="start"))
                       ).resolve_scale(x="independent")


def revenue_chart(f: Facts):
    rows = _fin_rows(f, ["revenue"])
    rows["revenue_m"] = rows["amount_m"]
    rows["kind"] = rows["period"].str.startswith("FY").map(KIND_OF_PERIOD)
    chart = alt.Chart(rows).mark_bar(color=ACCENT).encode(
        x=alt.X("period_label:N", title=None, sort=[PERIOD_LABEL[p] for p in PERIODS], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("revenue_m:Q", title="Revenue (CNY million)"),
        tooltip=[alt.Tooltip("period_label:N", title="Period"), alt.Tooltip("revenue_m:Q", title="CNY m", format=",.1f"),
                 alt.Tooltip("reliability:N"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(width=alt.Step(64))
    values = dict(zip(rows["period"], rows["revenue_m"]))
    return _by_kind_of_period(chart).properties(description=(
        "Bars of Biren's revenue, full years and first halves apart: "
        + _by_period({p: values[p] for p in PERIODS if p in values}, lambda v: f"CNY {number(v, 1)} million") + "."),
        title=alt.Title("Biren's revenue", subtitle="CNY million, as reported; full years and first halves apart"))


def margin_chart(f: Facts):
    rev = _fin_rows(f, ["revenue"]).set_index("period")
    gp = _fin_rows(f, ["gross_profit"]).set_index("period")
    rows = pd.DataFrame({"period": PERIODS})
    rows["period_label"] = rows["period"].map(PERIOD_LABEL)
    rows["kind"] = rows["period"].str.startswith("FY").map(KIND_OF_PERIOD)
    rows["gross_margin"] = [gp.loc[p, "amount_m"] / rev.loc[p, "amount_m"] for p in PERIODS]
    chart = alt.Chart(rows).mark_line(point=True, color=ACCENT).encode(
        x=alt.X("period_label:N", title=None, sort=[PERIOD_LABEL[p] for p in PERIODS], axis=alt.Axis(labelAngle=0),
                scale=alt.Scale(padding=0.5)),
        y=alt.Y("gross_margin:Q", title="Gross margin (gross profit ÷ revenue)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("period_label:N", title="Period"), alt.Tooltip("gross_margin:Q", format=".1%")],
    ).properties(width=alt.Step(64))
    return _by_kind_of_period(chart).properties(description=(
        "Lines of Biren's gross margin (gross profit over revenue), full years and first halves apart: "
        + _by_period(dict(zip(rows["period"], rows["gross_margin"])), percent) + "."), title=alt.Title(
        "Biren's gross margin fell as hardware sales grew",
        subtitle="Computed from gross profit and revenue; 2022 revenue was agency fees only"))


def loss_chart(f: Facts):
    periods = ["FY2022", "FY2023", "FY2024", "H1-2025"]
    rows = _fin_rows(f, ["net_profit", "adjusted_net_profit", "redemption_liability_charge"], periods)
    rows["amount_m"] = rows["amount_m"].abs()
    names = {"net_profit": "Net loss (IFRS)", "adjusted_net_profit": "Adjusted net loss (non-IFRS)",
             "redemption_liability_charge": "Redemption-liability charge"}
    # A line whose every row rests on a grade C or D source carries the low-authority mark in the legend.
    low = (f.grades(rows).isin(LOW_GRADES)).groupby(rows["metric"]).all()
    names = {metric: f"{name} {LOW_GRADE_MARK}" if low.get(metric, False) else name for metric, name in names.items()}
    rows["line"] = rows["metric"].map(names)
    order = list(names.values())
    # Grouped bars in one view (not one panel per period), so a phone can lay the chart out again.
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("period_label:N", title=None, sort=[PERIOD_LABEL[p] for p in periods], axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("line:N", sort=order),
        y=alt.Y("amount_m:Q", title="CNY million"),
        color=alt.Color("line:N", title=None, sort=order, scale=alt.Scale(range=[PALETTE[3], ACCENT, MUTED])),
        tooltip=[alt.Tooltip("period_label:N", title="Period"), alt.Tooltip("line:N", title="Line"),
                 alt.Tooltip("amount_m:Q", title="CNY m", format=",.1f"), alt.Tooltip("reliability:N")],
    ).properties(width=WIDTH - 80, description=_loss_words(rows, periods), title=alt.Title("Reported loss against adjusted loss",
                                            subtitle="CNY million; the redemption-liability charge is one of the items "
                                                     "added back"))
    return chart


def _loss_words(rows: pd.DataFrame, periods: list[str]) -> str:
    by = rows.pivot(index="period", columns="metric", values="amount_m")
    largest = all(by.loc[p, "net_profit"] >= by.loc[p].max() for p in periods)
    return (f"Grouped bars per period, {listing(_said(p) for p in periods)}, of Biren's reported net loss, adjusted "
            f"net loss and redemption-liability charge. The reported loss is {'the largest' if largest else 'not the largest'} "
            f"in every period: " + _by_period({p: by.loc[p, "net_profit"] for p in periods},
                                              lambda v: f"CNY {number(v)} million") + ".")


def orders_chart(f: Facts):
    rows = pd.DataFrame([
        {"item": "Revenue FY2024", "amount_m": _fin(f, "FY2024", "revenue"), "kind": "Reported revenue"},
        {"item": "Revenue H1 2025", "amount_m": _fin(f, "H1-2025", "revenue"), "kind": "Reported revenue"},
        {"item": "Binding orders outstanding", "amount_m": f.snapshot("biren", "binding_orders_value", unit="million",
                                                                      currency="CNY"), "kind": "Orders and agreements"},
        {"item": "Framework agreements and contracts", "kind": "Orders and agreements",
         "amount_m": f.snapshot("biren", "framework_and_contracts_value", unit="million", currency="CNY")},
    ])
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("amount_m:Q", title="CNY million"),
        y=alt.Y("item:N", title=None, sort=None),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("item:N"), alt.Tooltip("amount_m:Q", title="CNY m", format=",.1f")],
    ).properties(width=NARROW, height=150, description=(
        f"Horizontal bars of Biren's revenue, CNY {number(rows['amount_m'][0], 1)} million in 2024 and "
        f"{number(rows['amount_m'][1], 1)} million in the first half of 2025, against binding orders outstanding of "
        f"CNY {number(rows['amount_m'][2], 1)} million and framework agreements and contracts of "
        f"CNY {number(rows['amount_m'][3], 1)} million."), title=alt.Title("Orders on hand against revenue",
                                             subtitle="CNY million; orders at the prospectus date, revenue as reported"))
    return chart


def concentration_chart(f: Facts):
    rows = _fin_rows(f, ["top5_customer_share"], ["FY2023", "FY2024", "H1-2025"])
    rows["share"] = rows["value"] / 100
    chart = alt.Chart(rows).mark_bar(color=ACCENT).encode(
        x=alt.X("period_label:N", title=None, sort=["2023", "2024", "H1 2025"]),
        y=alt.Y("share:Q", title="Share of revenue from the five largest customers", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("period_label:N", title="Period"), alt.Tooltip("share:Q", format=".1%")],
    ).properties(width=300, description=(
        "Bars of the five largest customers' share of Biren's revenue: "
        + _by_period(dict(zip(rows["period"], rows["share"])), percent) + "."),
        title=alt.Title("Customer concentration", subtitle="Top-five customers' share of revenue"))
    return chart


def mlperf_table(f: Facts) -> pd.DataFrame:
    t = f.rows("mlperf_results")
    return pd.DataFrame({
        "Benchmark": t["benchmark"] + " (" + t["scenario"] + ")",
        "System": t["system"] + ", " + t["accelerator_count"].astype(str) + " × " + t["accelerator"],
        "Samples/s": t["value"].map("{:,.1f}".format),
        "Per card": (t["value"] / t["accelerator_count"]).map("{:,.1f}".format),
    })
