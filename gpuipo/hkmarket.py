"""Chapter 3: the Hong Kong market in 2025, and Biren's offer against CATL's."""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import metrics
from .charts import ACCENT, MUTED, NARROW, PALETTE
from .aftermarket import biren_close
from .facts import Facts

BIREN, CATL = "biren-hk-ipo", "catl-hk-ipo"
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
        v[f"{key}_ytd_0925_stated"] = f.row("index_changes", index_id=index, end_date="2025-09-25")["change"] / 100
        v[f"{key}_2025_published"] = f.row("index_changes", index_id=index, end_date="2025-12-31")["change"] / 100
    return v


def southbound(f: Facts) -> dict:
    def flow(as_of, measure):
        return f.row("southbound_flows", as_of=as_of, measure=measure)["value"]

    t = f.table("southbound_flows").set_index(["as_of", "measure"])
    full_2024, full_2025 = flow("2024-12-31", "year_to_date"), flow("2025-12-31", "year_to_date")
    since_0902, ytd_0902 = flow("2025-09-02", "since_launch"), flow("2025-09-02", "year_to_date")
    return {
        "sb_2024": full_2024, "sb_2025": full_2025, "sb_ratio": metrics.multiple(full_2024, full_2025),
        "sb_ytd_1126": flow("2025-11-26", "year_to_date"),
        # Two vintages mixed (a September cumulative and the full-year flow): approximate.
        "sb_since_launch_end2025": since_0902 - ytd_0902 + full_2025,
        "sb_5tn_date": _crossing(t, 5000).strftime("%d %B %Y"),
        "sb_5tn_tn": 5000 / 1000,
    }


def _crossing(flows: pd.DataFrame, threshold_bn: float) -> pd.Timestamp:
    """First date the since-launch total is stated at or above a threshold."""
    since = flows.xs("since_launch", level="measure")["value"]
    return since[since >= threshold_bn].index.min()


def ipo_market(f: Facts) -> dict:
    def market(period, measure, compiler, as_of):
        return f.row("hk_ipo_market", period=period, measure=measure, compiler=compiler, as_of=as_of)["value"]

    funds_2024 = market("FY2024", "funds_raised", "Wind", "2024-12-31")
    funds_2025 = market("FY2025", "funds_raised", "HKEX", "2025-12-31")
    return {
        "ipo_funds_2024": funds_2024, "ipo_funds_2025": funds_2025,
        "ipo_funds_growth": metrics.change(funds_2024, funds_2025),
        "ipo_count_2025": market("FY2025", "ipo_count", "HKEX", "2025-12-31"),
        "ipo_rank_2024": market("FY2024", "global_rank", "Deloitte/EY/KPMG/Wind", "2024-12-31"),
        "ipo_rank_2025": market("FY2025", "global_rank", "Deloitte", "2025-12-18"),
    }


def offer_structure(f: Facts) -> pd.DataFrame:
    """Shares in each layer of the two offers, and cornerstone shares on each denominator."""
    rows = []
    for offering, label in ((CATL, "CATL 宁德时代"), (BIREN, "Biren 壁仞科技")):
        base = f.term(offering, "base_shares", unit="shares")
        upsize = f.term(offering, "upsize_exercised_shares", unit="shares")
        greenshoe_key = "greenshoe_max_shares_if_upsized" if f.has_term(offering, "greenshoe_max_shares_if_upsized") else "greenshoe_max_shares"
        greenshoe = f.term(offering, greenshoe_key, unit="shares")
        cornerstone = f.term(offering, "cornerstone_shares", unit="shares")
        rows.append({"offering": offering, "label": label, "base": base, "upsize": upsize, "greenshoe": greenshoe,
                     "cornerstone": cornerstone, "offer_price": f.term(offering, "offer_price"),
                     "hk_subscription": f.term(offering, "hk_subscription"),
                     "intl_subscription": f.term(offering, "intl_subscription"),
                     "cornerstone_count": f.term(offering, "cornerstone_count")})
    return pd.DataFrame(rows).set_index("offering")


def cornerstone_denominators(f: Facts) -> pd.DataFrame:
    s = offer_structure(f)
    low, high = f.term(BIREN, "price_low"), f.term(BIREN, "price_high")
    mid = (low + high) / 2
    biren_amount = s.loc[BIREN, "cornerstone"] * s.loc[BIREN, "offer_price"]  # fixed HK$ commitment
    rows = []
    for offering in (CATL, BIREN):
        r = s.loc[offering]
        if offering == BIREN:
            rows.append({"label": r["label"], "reading": "Base offer, mid-price (prospectus)",
                         "share": metrics.cornerstone_share_by_amount(biren_amount, mid, r["base"])})
        rows += [
            {"label": r["label"], "reading": "Base offer, final price", "share": r["cornerstone"] / r["base"]},
            {"label": r["label"], "reading": "Upsized offer, final price", "share": r["cornerstone"] / (r["base"] + r["upsize"])},
            {"label": r["label"], "reading": "Upsized offer + greenshoe", "share": r["cornerstone"] / (r["base"] + r["upsize"] + r["greenshoe"])},
        ]
    return pd.DataFrame(rows)


def greenshoe(f: Facts) -> dict:
    over = f.term(BIREN, "over_allocated_shares", unit="shares")
    price = f.term(BIREN, "offer_price")
    close_day1 = biren_close(f, "2026-01-02")
    outcome = metrics.greenshoe_outcome(over, price, close_day1)
    offer_closes = f.date(BIREN, "public_offer_closes")
    window_end = f.date(BIREN, "stabilization_period_ends")
    below = metrics.greenshoe_outcome(over, price, f.term(BIREN, "price_low"))
    base_offer = f.term(BIREN, "base_shares") + f.term(BIREN, "upsize_exercised_shares")
    return {
        "gs_over_allocated_m": over / 1e6, "gs_pct_of_enlarged": over / base_offer,
        "gs_pct_of_initial": over / f.term(BIREN, "base_shares"),
        "gs_prospectus_pct": f.term(BIREN, "greenshoe_max_shares") / f.term(BIREN, "base_shares"),
        "gs_buying_power_m": outcome.buying_power / 1e6,
        "gs_extra_proceeds_m": outcome.extra_proceeds / 1e6,
        "gs_window_days": (window_end - offer_closes).days,
        "gs_window_end": window_end.strftime("%d %B %Y"),
        "gs_day1_close": close_day1,
        "gs_total_proceeds_m": f.term(BIREN, "gross_proceeds") + outcome.extra_proceeds / 1e6,
        "gs_whatif_price": f.term(BIREN, "price_low"),
        "gs_whatif_extra_m": below.extra_proceeds / 1e6,
        "gs_whatif_cost_m": below.bought_in_market * f.term(BIREN, "price_low") / 1e6,
        "gs_whatif_gain_m": (below.buying_power - below.bought_in_market * f.term(BIREN, "price_low")) / 1e6,
    }


def figures(f: Facts) -> dict:
    v = {**index_changes(f), **southbound(f), **ipo_market(f), **greenshoe(f)}
    s = offer_structure(f)
    for offering, key in ((CATL, "catl"), (BIREN, "biren")):
        for column in ("hk_subscription", "intl_subscription", "cornerstone_count", "offer_price"):
            v[f"{key}_{column}"] = s.loc[offering, column]
        v[f"{key}_upsize_pct"] = s.loc[offering, "upsize"] / s.loc[offering, "base"]
    shares = cornerstone_denominators(f)
    for (label, reading), share in shares.set_index(["label", "reading"])["share"].items():
        key = ("catl" if label.startswith("CATL") else "biren") + "_cs_" + reading.split(",")[0].split(" ")[0].lower() + (
            "_mid" if "mid" in reading else "_gs" if "greenshoe" in reading else "")
        v[key] = share
    v["catl_hk_pct"] = f.term(CATL, "base_hk_share_pct") / 100
    v["biren_hk_base_pct"] = f.term(BIREN, "base_hk_shares") / f.term(BIREN, "base_shares")
    v["biren_hk_final_pct"] = f.term(BIREN, "final_hk_shares") / (f.term(BIREN, "final_hk_shares") + f.term(BIREN, "final_intl_shares"))
    v["biren_hk_final_of_initial"] = f.term(BIREN, "final_hk_shares") / f.term(BIREN, "base_shares")
    v["biren_cornerstone_amount_m"] = s.loc[BIREN, "cornerstone"] * s.loc[BIREN, "offer_price"] / 1e6
    v["biren_mid_price"] = (f.term(BIREN, "price_low") + f.term(BIREN, "price_high")) / 2
    v["biren_cs_stated"] = f.term(BIREN, "cornerstone_share_stated") / 100
    v["article_catl_cs"] = f.row("claims", claim_id="C03-06")["stated"] / 100
    v["article_biren_cs"] = f.row("claims", claim_id="C03-08")["stated"] / 100
    return v


def index_chart(f: Facts):
    levels = f.table("index_levels").copy()
    levels["rebased"] = levels.apply(lambda r: r["close"] / f.index_close(r["index_id"], "2024-12-31") * 100, axis=1)
    levels["index"] = levels["index_id"].map({"HSI": "Hang Seng Index", "HSTECH": "Hang Seng TECH Index"})
    chart = alt.Chart(levels).mark_line(point=True).encode(
        x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("rebased:Q", title="Level (31 Dec 2024 = 100)", scale=alt.Scale(zero=False)),
        color=alt.Color("index:N", title=None),
        tooltip=[alt.Tooltip("index:N"), alt.Tooltip("date:T"), alt.Tooltip("close:Q", title="Close", format=",.2f"),
                 alt.Tooltip("rebased:Q", title="Rebased", format=".1f")],
    ).properties(title=alt.Title("Hong Kong indices from end-2024", subtitle="Dated closes rebased to 100 at the 2024 close; lines join the dated points only"))
    return chart, sorted(set(levels["source_id"]))


def southbound_chart(f: Facts):
    t = f.table("southbound_flows")
    rows = t[(t["measure"] == "year_to_date") & (t["as_of"] >= "2025-01-01") & (t["as_of"] <= "2025-12-31")].copy()
    rows["how"] = rows["qualifier"].map({"exact": "stated", "about": "about", "more_than": "more than"})
    chart = alt.Chart(rows).mark_line(point=alt.OverlayMarkDef(size=70, filled=True)).encode(
        x=alt.X("as_of:T", title="Date (2025)", axis=alt.Axis(format="%b", tickCount="month")),
        y=alt.Y("value:Q", title="Net buying since 1 January (HK$ billion)"),
        tooltip=[alt.Tooltip("as_of:T", title="As of"), alt.Tooltip("value:Q", title="HK$ bn", format=",.1f"),
                 alt.Tooltip("how:N", title="Stated as"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(title=alt.Title("Southbound net buying in 2025", subtitle="Year-to-date totals on the dates the sources give, HK$ billion"))
    return chart, sorted(set(rows["source_id"]))


def ipo_ranking_chart(f: Facts):
    t = f.table("largest_hk_ipos_2025").copy()
    t["label"] = t["company"] + " " + t["name_zh"]
    t["proceeds_bn"] = t["proceeds"]
    biren = pd.DataFrame([{"label": "Biren 壁仞科技 (Jan 2026, before greenshoe)",
                           "proceeds_bn": f.term(BIREN, "gross_proceeds", unit="billion"),
                           "source_id": f.term_row(BIREN, "gross_proceeds")["source_id"]}])
    rows = pd.concat([t[["label", "proceeds_bn", "source_id"]], biren], ignore_index=True)
    rows["highlight"] = rows["label"].str.startswith("Biren")
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("proceeds_bn:Q", title="Funds raised (HK$ billion)"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("highlight:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N", title="Issuer"), alt.Tooltip("proceeds_bn:Q", title="HK$ bn", format=",.2f")],
    ).properties(width=NARROW, height=170, title=alt.Title("Biren's raise beside 2025's largest Hong Kong IPOs", subtitle="HK$ billion"))
    return chart, sorted(set(rows["source_id"]))


def structure_chart(f: Facts):
    s = offer_structure(f)
    rows = []
    for offering in (CATL, BIREN):
        r = s.loc[offering]
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
    terms = f.table("offering_terms")
    sources = terms[terms["offering_id"].isin([CATL, BIREN]) & terms["term"].isin(
        ["base_shares", "upsize_exercised_shares", "greenshoe_max_shares", "greenshoe_max_shares_if_upsized"])]["source_id"]
    return chart, sorted(set(sources))


def cornerstone_chart(f: Facts):
    rows = cornerstone_denominators(f)
    order = ["Base offer, mid-price (prospectus)", "Base offer, final price", "Upsized offer, final price", "Upsized offer + greenshoe"]
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("share:Q", title="Cornerstone shares ÷ offer shares", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("reading:N", title=None, sort=order),
        color=alt.Color("label:N", title=None),
        row=alt.Row("label:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("reading:N"), alt.Tooltip("share:Q", format=".2%")],
    ).properties(width=360, title=alt.Title("One cornerstone book, four percentages", subtitle="Share of the offer taken by cornerstone investors, by denominator"))
    terms = f.table("offering_terms")
    sources = terms[terms["offering_id"].isin([CATL, BIREN]) & terms["term"].isin(
        ["base_shares", "upsize_exercised_shares", "greenshoe_max_shares", "greenshoe_max_shares_if_upsized",
         "cornerstone_shares", "offer_price", "price_low", "price_high"])]["source_id"]
    return chart, sorted(set(sources))


def greenshoe_chart(f: Facts):
    over = f.term(BIREN, "over_allocated_shares")
    price = f.term(BIREN, "offer_price")
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
    rule = alt.Chart(pd.DataFrame({"x": [price], "label": ["offer price"]})).mark_rule(strokeDash=[4, 3], color="#444").encode(x="x:Q")
    chart = (lines + rule).properties(title=alt.Title("How Biren's greenshoe settles",
                                                       subtitle="Stylised: below the offer price the manager buys back all over-allocated shares; at or above it the option is exercised"))
    terms = f.table("offering_terms")
    sources = terms[(terms["offering_id"] == BIREN) & terms["term"].isin(["over_allocated_shares", "offer_price"])]["source_id"]
    return chart, sorted(set(sources))


def offers_table(f: Facts) -> pd.DataFrame:
    s = offer_structure(f)
    out = []
    for offering in (CATL, BIREN):
        r = s.loc[offering]
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
