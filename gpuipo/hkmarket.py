"""Chapter 3: the Hong Kong market in 2025, and Biren's offer against CATL's."""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import metrics
from .charts import ACCENT, MUTED, NARROW, PALETTE
from .deals import BIREN, CATL, biren_close, cornerstone_denominators, offer_structure
from .facts import Fact, Facts, Text

LAST_CLOSE_BEFORE_ARTICLE = pd.Timestamp("2025-12-19")


def index_changes(f: Facts) -> dict:
    v = {}
    for index in ("HSI", "HSTECH"):
        key = index.lower()
        start = f.index_close(index, "2024-12-31")
        v[f"{key}_2024_close"] = start
        v[f"{key}_1219_close"] = f.index_close(index, LAST_CLOSE_BEFORE_ARTICLE)
        v[f"{key}_2025_close"] = f.index_close(index, "2025-12-31")
        v[f"{key}_ytd_1219"] = metrics.change(start, v[f"{key}_1219_close"])
        v[f"{key}_2025"] = metrics.change(start, v[f"{key}_2025_close"])
        v[f"{key}_ytd_0925_stated"] = f.number("index_changes", "change", index_id=index, end_date="2025-09-25") / 100
        v[f"{key}_2025_published"] = f.number("index_changes", "change", index_id=index, end_date="2025-12-31") / 100
    return v


def southbound(f: Facts) -> dict:
    def flow(as_of, measure):
        return f.number("southbound_flows", as_of=as_of, measure=measure, unit="billion", currency="HKD")

    full_2024, full_2025 = flow("2024-12-31", "year_to_date"), flow("2025-12-31", "year_to_date")
    since_0902, ytd_0902 = flow("2025-09-02", "since_launch"), flow("2025-09-02", "year_to_date")
    return {
        "sb_2024": full_2024, "sb_2025": full_2025, "sb_ratio": metrics.multiple(full_2024, full_2025),
        "sb_ytd_1126": flow("2025-11-26", "year_to_date"),
        # Two vintages mixed (a September cumulative and the full-year flow): approximate.
        "sb_since_launch_end2025": since_0902 - ytd_0902 + full_2025,
        "sb_5tn_date": _crossing(f, 5000),
        "sb_5tn_tn": 5000 / 1000,
    }


def _crossing(f: Facts, threshold_bn: float) -> Text:
    """First date the since-launch total is stated at or above a threshold (HK$ billion)."""
    rows = f.rows("southbound_flows", measure="since_launch", where=lambda t: t["value"] >= threshold_bn)
    first = rows.sort_values("as_of").head(1)
    return Text(first["as_of"].iloc[0].strftime("%d %B %Y"), f.served(first))


def ipo_market(f: Facts) -> dict:
    def market(period, measure, compiler, as_of):
        """Funds raised in HK$ billion; counts and ranks as they are."""
        return f.number("hk_ipo_market", period=period, measure=measure, compiler=compiler, as_of=as_of, currency="HKD")

    funds_2024 = market("FY2024", "funds_raised", "Wind", "2024-12-31")
    funds_2025 = market("FY2025", "funds_raised", "HKEX", "2025-12-31")
    return {
        "ipo_funds_2024": funds_2024, "ipo_funds_2025": funds_2025,
        "ipo_funds_growth": metrics.change(funds_2024, funds_2025),
        "ipo_count_2025": market("FY2025", "ipo_count", "HKEX", "2025-12-31"),
        "ipo_rank_2024": market("FY2024", "global_rank", "Deloitte/EY/KPMG/Wind", "2024-12-31"),
        "ipo_rank_2025": market("FY2025", "global_rank", "Deloitte", "2025-12-18"),
    }


def greenshoe(f: Facts) -> dict:
    over = f.term(BIREN, "over_allocated_shares", unit="shares")
    price = f.term(BIREN, "offer_price", currency="HKD")
    close_day1 = biren_close(f, "2026-01-02")
    outcome = metrics.greenshoe_outcome(over, price, close_day1)
    closes, ends = (f.row("offering_dates", offering_id=BIREN, event=event)
                    for event in ("public_offer_closes", "stabilization_period_ends"))
    low = f.term(BIREN, "price_low", currency="HKD")
    below = metrics.greenshoe_outcome(over, price, low)
    base_offer = f.term(BIREN, "base_shares") + f.term(BIREN, "upsize_exercised_shares")
    return {
        "gs_over_allocated_m": over / 1e6, "gs_pct_of_enlarged": over / base_offer,
        "gs_pct_of_initial": over / f.term(BIREN, "base_shares"),
        "gs_prospectus_pct": f.term(BIREN, "greenshoe_max_shares") / f.term(BIREN, "base_shares"),
        "gs_buying_power_m": outcome.buying_power / 1e6,
        "gs_extra_proceeds_m": outcome.extra_proceeds / 1e6,
        "gs_window_days": Fact((ends["date"] - closes["date"]).days, f.served(closes) | f.served(ends), "days"),
        "gs_window_end": f.date_text(BIREN, "stabilization_period_ends"),
        "gs_day1_close": close_day1,
        "gs_total_proceeds_m": f.term(BIREN, "gross_proceeds", unit="million", currency="HKD") + outcome.extra_proceeds / 1e6,
        "gs_whatif_price": low,
        "gs_whatif_extra_m": below.extra_proceeds / 1e6,
        "gs_whatif_cost_m": below.bought_in_market * low / 1e6,
        "gs_whatif_gain_m": (below.buying_power - below.bought_in_market * low) / 1e6,
    }


def figures(f: Facts) -> dict:
    v = {**index_changes(f), **southbound(f), **ipo_market(f), **greenshoe(f)}
    s = offer_structure(f)
    for offering, key in ((CATL, "catl"), (BIREN, "biren")):
        for column in ("hk_subscription", "intl_subscription", "cornerstone_count", "offer_price"):
            v[f"{key}_{column}"] = s[offering][column]
        v[f"{key}_upsize_pct"] = s[offering]["upsize"] / s[offering]["base"]
    for row in cornerstone_denominators(f):
        label, reading = row["label"], row["reading"]
        key = ("catl" if label.startswith("CATL") else "biren") + "_cs_" + reading.split(",")[0].split(" ")[0].lower() + (
            "_mid" if "mid" in reading else "_gs" if "greenshoe" in reading else "")
        v[key] = row["share"]
    v["catl_hk_pct"] = f.term(CATL, "base_hk_share_pct") / 100
    v["biren_hk_base_pct"] = f.term(BIREN, "base_hk_shares") / f.term(BIREN, "base_shares")
    v["biren_hk_final_pct"] = f.term(BIREN, "final_hk_shares") / (f.term(BIREN, "final_hk_shares") + f.term(BIREN, "final_intl_shares"))
    v["biren_hk_final_of_initial"] = f.term(BIREN, "final_hk_shares") / f.term(BIREN, "base_shares")
    v["biren_cornerstone_amount_m"] = s[BIREN]["cornerstone"] * s[BIREN]["offer_price"] / 1e6
    v["biren_mid_price"] = (f.term(BIREN, "price_low", currency="HKD") + f.term(BIREN, "price_high", currency="HKD")) / 2
    v["biren_cs_stated"] = f.term(BIREN, "cornerstone_share_stated") / 100
    v["article_catl_cs"] = f.number("claims", "stated", claim_id="C03-06") / 100
    v["article_biren_cs"] = f.number("claims", "stated", claim_id="C03-08") / 100
    return v


def index_chart(f: Facts):
    levels = f.rows("index_levels")
    levels["rebased"] = levels.apply(lambda r: float(r["close"] / f.index_close(r["index_id"], "2024-12-31") * 100), axis=1)
    levels["index"] = levels["index_id"].map({"HSI": "Hang Seng Index", "HSTECH": "Hang Seng TECH Index"})
    chart = alt.Chart(levels).mark_line(point=True).encode(
        x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("rebased:Q", title="Level (31 Dec 2024 = 100)", scale=alt.Scale(zero=False)),
        color=alt.Color("index:N", title=None),
        tooltip=[alt.Tooltip("index:N"), alt.Tooltip("date:T"), alt.Tooltip("close:Q", title="Close", format=",.2f"),
                 alt.Tooltip("rebased:Q", title="Rebased", format=".1f")],
    ).properties(title=alt.Title("Hong Kong indices from end-2024", subtitle="Dated closes rebased to 100 at the 2024 close; lines join the dated points only"))
    return chart


def southbound_chart(f: Facts):
    rows = f.rows("southbound_flows", measure="year_to_date", where=lambda t: t["as_of"].dt.year == 2025)
    rows["how"] = rows["qualifier"].map({"exact": "stated", "about": "about", "more_than": "more than"})
    chart = alt.Chart(rows).mark_line(point=alt.OverlayMarkDef(size=70, filled=True)).encode(
        x=alt.X("as_of:T", title="Date (2025)", axis=alt.Axis(format="%b", tickCount="month")),
        y=alt.Y("value:Q", title="Net buying since 1 January (HK$ billion)"),
        tooltip=[alt.Tooltip("as_of:T", title="As of"), alt.Tooltip("value:Q", title="HK$ bn", format=",.1f"),
                 alt.Tooltip("how:N", title="Stated as"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(title=alt.Title("Southbound net buying in 2025", subtitle="Year-to-date totals on the dates the sources give, HK$ billion"))
    return chart


def ipo_ranking_chart(f: Facts):
    t = f.rows("largest_hk_ipos_2025")
    t["label"] = t["company"] + " " + t["name_zh"]
    t["proceeds_bn"] = t["proceeds"]
    biren = pd.DataFrame([{"label": "Biren 壁仞科技 (Jan 2026, before greenshoe)",
                           "proceeds_bn": float(f.term(BIREN, "gross_proceeds", unit="billion", currency="HKD"))}])
    rows = pd.concat([t[["label", "proceeds_bn"]], biren], ignore_index=True)
    rows["highlight"] = rows["label"].str.startswith("Biren")
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("proceeds_bn:Q", title="Funds raised (HK$ billion)"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("highlight:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N", title="Issuer"), alt.Tooltip("proceeds_bn:Q", title="HK$ bn", format=",.2f")],
    ).properties(width=NARROW, height=170, title=alt.Title("Biren's raise beside 2025's largest Hong Kong IPOs", subtitle="HK$ billion"))
    return chart


def structure_chart(f: Facts):
    s = offer_structure(f)
    rows = []
    for offering in (CATL, BIREN):
        r = s[offering]
        for layer, shares in (("Base offer", r["base"]), ("Offer-size adjustment", r["upsize"]), ("Over-allotment (greenshoe)", r["greenshoe"])):
            rows.append({"label": r["label"], "layer": layer, "pct_of_base": shares / r["base"], "shares_m": shares / 1e6})
    rows = pd.DataFrame(rows)
    order = ["Base offer", "Offer-size adjustment", "Over-allotment (greenshoe)"]
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("pct_of_base:Q", title="Shares as a share of the base offer", axis=alt.Axis(format="%"), stack="zero"),
        y=alt.Y("label:N", title=None),
        color=alt.Color("layer:N", title=None, sort=order, scale=alt.Scale(range=[ACCENT, PALETTE[1], PALETTE[2]])),
        order=alt.Order("layer_order:Q"),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("layer:N"), alt.Tooltip("shares_m:Q", title="Shares (m)", format=",.2f"),
                 alt.Tooltip("pct_of_base:Q", title="Of base", format=".1%")],
    ).transform_calculate(layer_order=f"indexof({order!r}, datum.layer)").properties(width=NARROW,
        height=110, title=alt.Title("Offer layers: CATL and Biren", subtitle="Each layer as a share of the base offer; both options taken at their maximum"))
    return chart


def cornerstone_chart(f: Facts):
    rows = pd.DataFrame(cornerstone_denominators(f))
    order = ["Base offer, mid-price (prospectus)", "Base offer, final price", "Upsized offer, final price", "Upsized offer + greenshoe"]
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("share:Q", title="Cornerstone shares ÷ offer shares", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("reading:N", title=None, sort=order),
        color=alt.Color("label:N", title=None),
        row=alt.Row("label:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("reading:N"), alt.Tooltip("share:Q", format=".2%")],
    ).properties(width=360, title=alt.Title("One cornerstone book, four percentages", subtitle="Share of the offer taken by cornerstone investors, by denominator"))
    return chart


def greenshoe_chart(f: Facts):
    over = f.term(BIREN, "over_allocated_shares")
    price = f.term(BIREN, "offer_price", currency="HKD")
    grid = [round(12 + 0.5 * i, 2) for i in range(0, 53)]
    rows = []
    for p in grid:
        o = metrics.greenshoe_outcome(over, price, p)
        rows.append({"market_price": p, "series": "New shares issued to cover (m)", "value": o.exercised / 1e6})
        rows.append({"market_price": p, "series": "Shares bought back in the market (m)", "value": o.bought_in_market / 1e6})
    rows = pd.DataFrame(rows)
    lines = alt.Chart(rows).mark_line(interpolate="step-after").encode(
        x=alt.X("market_price:Q", title="Share price during the stabilization period (HK$)"),
        y=alt.Y("value:Q", title="Shares (million)"),
        color=alt.Color("series:N", title=None),
        tooltip=[alt.Tooltip("market_price:Q", title="Price (HK$)", format=".2f"), alt.Tooltip("series:N"),
                 alt.Tooltip("value:Q", title="Shares (m)", format=",.2f")],
    )
    rule = alt.Chart(pd.DataFrame({"x": [float(price)], "label": ["offer price"]})).mark_rule(strokeDash=[4, 3], color="#444").encode(x="x:Q")
    chart = (lines + rule).properties(title=alt.Title("How Biren's greenshoe settles",
                                                       subtitle="Stylised: below the offer price the manager buys back all over-allocated shares; at or above it the option is exercised"))
    return chart


def offers_table(f: Facts) -> pd.DataFrame:
    s = offer_structure(f)
    out = []
    for offering in (CATL, BIREN):
        r = s[offering]
        out.append({
            "Offer": r["label"],
            "Offer price (HK$)": f"{r['offer_price']:,.2f}",
            "Base shares (m)": f"{r['base'] / 1e6:,.2f}",
            "Upsize (m)": f"{r['upsize'] / 1e6:,.2f}",
            "Greenshoe (m)": f"{r['greenshoe'] / 1e6:,.2f}",
            "Cornerstones": f"{r['cornerstone_count']:.0f}",
            "HK public demand (x)": f"{r['hk_subscription']:,.2f}",
            "International demand (x)": f"{r['intl_subscription']:,.2f}",
        })
    return pd.DataFrame(out)
