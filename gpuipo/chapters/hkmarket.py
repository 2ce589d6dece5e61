"""Chapter 3: the Hong Kong market in 2025, and Biren's offer against CATL's.

`figures` and the charts take the data as known on the article's date (the chapter's view); what
only the later record shows comes from `hindsight`, for the chapter's marked hindsight notes.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from gpuipo.facts import Fact, Facts, Text, metrics
from gpuipo.facts.dates import CHART_MONTH, written
from gpuipo.shared.deals import (BIREN, CATL, OFFER_LABELS, biren_close, cornerstone_denominators, offer_structure,
                                 prospectus_price)
from gpuipo.shared.style import ACCENT, MUTED, NARROW, PALETTE
from gpuipo.shared.words import listing, number, percent

LAST_CLOSE_BEFORE_ARTICLE = pd.Timestamp("2025-12-19")


def _ytd_2025(f: Facts, index: str, end) -> Fact:
    return metrics.change(f.index_close(index, "2024-12-31"), f.index_close(index, end))


def index_changes(f: Facts) -> dict:
    v = {}
    for index in ("HSI", "HSTECH"):
        key = index.lower()
        v[f"{key}_2024_close"] = f.index_close(index, "2024-12-31")
        v[f"{key}_1219_close"] = f.index_close(index, LAST_CLOSE_BEFORE_ARTICLE)
        v[f"{key}_ytd_1219"] = _ytd_2025(f, index, LAST_CLOSE_BEFORE_ARTICLE)
        v[f"{key}_ytd_0925_stated"] = f.number("index_changes", "change", index_id=index, end_date="2025-09-25") / 100
    return v


def _flow(f: Facts, as_of, measure) -> Fact:
    return f.number("southbound_flows", as_of=as_of, measure=measure, unit="billion", currency="HKD")


def _latest_ytd(f: Facts, year: int) -> pd.Series:
    """The latest year-to-date southbound total of a year in the view."""
    rows = f.rows("southbound_flows", measure="year_to_date", record=False, where=lambda t: t["as_of"].dt.year == year)
    return rows.sort_values("as_of").iloc[-1]


def southbound(f: Facts) -> dict:
    latest = _latest_ytd(f, 2025)
    full_2024 = _flow(f, "2024-12-31", "year_to_date")
    ytd = _flow(f, latest["as_of"], "year_to_date")
    return {
        "sb_2024": full_2024, "sb_ytd_latest": ytd, "sb_ytd_latest_date": Text(written(latest["as_of"]),
                                                                               ytd.served),
        "sb_ytd_latest_vs_2024": metrics.multiple(full_2024, ytd),
        "sb_5tn_date": _crossing(f, 5000),
        "sb_5tn_tn": 5000 / 1000,
    }


def _crossing(f: Facts, threshold_bn: float) -> Text:
    """First date the since-launch total is stated at or above a threshold (HK$ billion)."""
    rows = f.rows("southbound_flows", measure="since_launch", record=False, where=lambda t: t["value"] >= threshold_bn)
    first = rows.sort_values("as_of").head(1)
    return Text(written(first["as_of"].iloc[0]), f.served(first))


def _market(f: Facts, period, measure, compiler, as_of) -> Fact:
    """Funds raised in HK$ billion; counts and ranks as they are."""
    return f.number("hk_ipo_market", period=period, measure=measure, compiler=compiler, as_of=as_of, currency="HKD")


def ipo_market(f: Facts) -> dict:
    funds_2024 = _market(f, "FY2024", "funds_raised", "Wind", "2024-12-31")
    expected_2025 = _market(f, "FY2025", "funds_raised", "Deloitte", "2025-12-18")
    return {
        "ipo_funds_2024": funds_2024, "ipo_funds_2025_expected": expected_2025,
        "ipo_funds_growth_expected": metrics.change(funds_2024, expected_2025),
        "ipo_count_2025_expected": _market(f, "FY2025", "ipo_count", "Deloitte", "2025-12-18"),
        "ipo_rank_2024": _market(f, "FY2024", "global_rank", "Deloitte/EY/KPMG/Wind", "2024-12-31"),
        "ipo_rank_2025": _market(f, "FY2025", "global_rank", "Deloitte", "2025-12-18"),
    }


def _prospectus_terms(f: Facts) -> dict:
    """Biren's offer as the prospectus of 22 December 2025 set it."""
    low, high = f.term(BIREN, "price_low", currency="HKD"), f.term(BIREN, "price_high", currency="HKD")
    return {"low": low, "high": high, "mid": prospectus_price(f, BIREN), "base": f.term(BIREN, "base_shares"),
            "upsize": f.term(BIREN, "upsize_max_shares"), "greenshoe": f.term(BIREN, "greenshoe_max_shares"),
            "greenshoe_if_upsized": f.term(BIREN, "greenshoe_max_shares_if_upsized")}


def greenshoe(f: Facts) -> dict:
    """The over-allotment option as the prospectus set it, and what it could do in the window."""
    p = _prospectus_terms(f)
    option = p["greenshoe_if_upsized"]
    closes, ends = (f.row("offering_dates", offering_id=BIREN, event=event)
                    for event in ("public_offer_closes", "stabilization_period_ends"))
    return {
        "gs_option_m": option / 1e6,
        "gs_option_pct_of_initial": p["greenshoe"] / p["base"],
        "gs_option_upsized_pct_of_initial": option / p["base"],
        "gs_buying_power_top_m": option * p["high"] / 1e6,
        "gs_window_days": Fact((ends["date"] - closes["date"]).days, f.served(closes) | f.served(ends), "days"),
        "gs_window_end": f.date_text(BIREN, "stabilization_period_ends"),
        "gs_whatif_price": p["low"],
        "gs_whatif_cost_m": option * p["low"] / 1e6,
        "gs_whatif_gain_m": option * (p["high"] - p["low"]) / 1e6,
    }


def figures(f: Facts) -> dict:
    v = {**index_changes(f), **southbound(f), **ipo_market(f), **greenshoe(f)}
    catl = offer_structure(f, [CATL])[CATL]
    for column in ("hk_subscription", "intl_subscription", "cornerstone_count", "offer_price"):
        v[f"catl_{column}"] = catl[column]
    v["catl_upsize_pct"] = catl["upsize"] / catl["base"]
    for row in cornerstone_denominators(f, [CATL]):
        v["catl_cs_" + {"Base offer, final price": "base", "Upsized offer, final price": "upsized",
                        "Upsized offer + greenshoe": "upsized_gs"}[row["reading"]]] = row["share"]
    v["catl_hk_pct"] = f.term(CATL, "base_hk_share_pct") / 100
    p = _prospectus_terms(f)
    v["biren_price_low"], v["biren_price_high"], v["biren_mid_price"] = p["low"], p["high"], p["mid"]
    v["biren_upsize_max_pct"] = p["upsize"] / p["base"]
    v["biren_hk_base_pct"] = f.term(BIREN, "base_hk_shares") / p["base"]
    v["biren_cornerstone_amount_usd_m"] = f.term(BIREN, "cornerstone_amount", unit="million", currency="USD")
    v["biren_raise_top_bn"] = p["base"] * p["high"] / 1e9
    v["article_catl_cs"] = f.number("claims", "stated", claim_id="C03-06") / 100
    v["article_biren_cs"] = f.number("claims", "stated", claim_id="C03-08") / 100
    return v


def hindsight(f: Facts) -> dict:
    """What the record after 22 December 2025 adds: full-year figures, Biren's final terms, the greenshoe."""
    v = {}
    for index in ("HSI", "HSTECH"):
        v[f"h_{index.lower()}_2025"] = _ytd_2025(f, index, "2025-12-31")
        v[f"h_{index.lower()}_2025_published"] = f.number("index_changes", "change", index_id=index, end_date="2025-12-31") / 100
    full_2024, full_2025 = _flow(f, "2024-12-31", "year_to_date"), _flow(f, "2025-12-31", "year_to_date")
    since_0902, ytd_0902 = _flow(f, "2025-09-02", "since_launch"), _flow(f, "2025-09-02", "year_to_date")
    v.update({"h_sb_2025": full_2025, "h_sb_ratio": metrics.multiple(full_2024, full_2025),
              # Two vintages joined (a September cumulative and the full-year flow): approximate.
              "h_sb_since_launch_end2025": since_0902 - ytd_0902 + full_2025})
    v["h_ipo_funds_2025"] = _market(f, "FY2025", "funds_raised", "HKEX", "2025-12-31")
    v["h_ipo_count_2025"] = _market(f, "FY2025", "ipo_count", "HKEX", "2025-12-31")
    biren = offer_structure(f, [BIREN])[BIREN]
    for column in ("hk_subscription", "intl_subscription", "cornerstone_count", "offer_price"):
        v[f"h_biren_{column}"] = biren[column]
    v["h_biren_upsize_pct"] = biren["upsize"] / biren["base"]
    final_hk, final_intl = f.term(BIREN, "final_hk_shares"), f.term(BIREN, "final_intl_shares")
    v["h_biren_hk_final_pct"] = final_hk / (final_hk + final_intl)
    v["h_biren_hk_final_of_initial"] = final_hk / biren["base"]
    v["h_biren_cornerstone_amount_m"] = biren["cornerstone"] * biren["offer_price"] / 1e6
    for row in cornerstone_denominators(f, [BIREN]):
        reading = row["reading"]
        v["h_biren_cs_" + ("base_mid" if "mid" in reading else "upsized_gs" if "greenshoe" in reading
                           else "upsized" if "Upsized" in reading else "base")] = row["share"]
    v["h_biren_cs_stated"] = f.term(BIREN, "cornerstone_share_stated") / 100
    over = f.term(BIREN, "over_allocated_shares")
    day1 = biren_close(f, "2026-01-02")
    outcome = metrics.greenshoe_outcome(over, biren["offer_price"], day1)
    v.update({"h_gs_over_allocated_m": over / 1e6, "h_gs_day1_close": day1,
              "h_gs_extra_proceeds_m": outcome.extra_proceeds / 1e6,
              "h_gs_total_proceeds_m": f.term(BIREN, "gross_proceeds", unit="million", currency="HKD")
              + outcome.extra_proceeds / 1e6})
    return v


def southbound_chart(f: Facts):
    rows = f.rows("southbound_flows", measure="year_to_date", where=lambda t: t["as_of"].dt.year == 2025)
    rows["how"] = rows["qualifier"].map({"exact": "stated", "about": "about", "more_than": "more than"})
    return alt.Chart(rows).mark_line(point=alt.OverlayMarkDef(size=70, filled=True)).encode(
        x=alt.X("as_of:T", title="Date (2025)", axis=alt.Axis(format=CHART_MONTH, tickCount="month")),
        y=alt.Y("value:Q", title="Net buying since 1 January (HK$ billion)"),
        tooltip=[alt.Tooltip("as_of:T", title="As of"), alt.Tooltip("value:Q", title="HK$ bn", format=",.1f"),
                 alt.Tooltip("how:N", title="Stated as"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(description=(
        f"Line chart of year-to-date southbound net buying in {written(rows['as_of'].min(), 'year')}, from "
        f"HK$ {number(rows['value'].iloc[0])} billion on {written(rows['as_of'].iloc[0])} to HK$ "
        f"{number(rows['value'].iloc[-1])} billion on {written(rows['as_of'].iloc[-1])}, on the {len(rows)} dates the "
        "sources give."),
        title=alt.Title("Southbound net buying in 2025",
                        subtitle="Year-to-date totals on the dates the sources give, HK$ billion"))


def ipo_ranking_chart(f: Facts):
    t = f.rows("largest_hk_ipos_2025")
    t["label"] = t["company"] + " " + t["name_zh"]
    t["proceeds_bn"] = t["proceeds"]
    p = _prospectus_terms(f)
    biren = pd.DataFrame([{"label": "Biren 壁仞科技 (base offer at the top of the range)",
                           "proceeds_bn": float(p["base"] * p["high"] / 1e9)}])
    rows = pd.concat([t[["label", "proceeds_bn"]], biren], ignore_index=True)
    rows["highlight"] = rows["label"].str.startswith("Biren")
    top = next(t.sort_values("proceeds_bn", ascending=False).itertuples())
    return alt.Chart(rows).mark_bar().encode(
        x=alt.X("proceeds_bn:Q", title="Funds raised (HK$ billion)"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("highlight:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N", title="Issuer"), alt.Tooltip("proceeds_bn:Q", title="HK$ bn", format=",.2f")],
    ).properties(width=NARROW, height=170, description=(
        f"Horizontal bars of the {len(t)} largest Hong Kong IPOs of 2025, led by {top.label} at HK$ "
        f"{number(top.proceeds_bn, 1)} billion; Biren's base offer at the top of its range, HK$ "
        f"{number(biren['proceeds_bn'].iloc[0], 1)} billion, is shown beside them."),
        title=alt.Title("Biren's raise beside 2025's largest Hong Kong IPOs", subtitle="HK$ billion"))


def structure_chart(f: Facts):
    rows = []
    for offering in (CATL, BIREN):
        base = f.term(offering, "base_shares")
        for layer, term in (("Base offer", "base_shares"), ("Offer-size adjustment", "upsize_max_shares"),
                            ("Over-allotment (greenshoe)", "greenshoe_max_shares")):
            shares = f.term(offering, term)
            rows.append({"label": OFFER_LABELS[offering], "layer": layer, "pct_of_base": float(shares / base),
                         "shares_m": float(shares / 1e6)})
    rows = pd.DataFrame(rows)
    order = ["Base offer", "Offer-size adjustment", "Over-allotment (greenshoe)"]
    return alt.Chart(rows).mark_bar().encode(
        x=alt.X("pct_of_base:Q", title="Shares as a share of the base offer", axis=alt.Axis(format="%"), stack="zero"),
        y=alt.Y("label:N", title=None),
        color=alt.Color("layer:N", title=None, sort=order, scale=alt.Scale(range=[ACCENT, PALETTE[1], PALETTE[2]])),
        order=alt.Order("layer_order:Q"),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("layer:N"), alt.Tooltip("shares_m:Q", title="Shares (m)", format=",.2f"),
                 alt.Tooltip("pct_of_base:Q", title="Of base", format=".1%")],
    ).transform_calculate(layer_order=f"indexof({order!r}, datum.layer)").properties(width=NARROW,
        height=110, description=_structure_words(rows), title=alt.Title(
            "Offer layers: CATL and Biren",
            subtitle="Each option at the maximum its prospectus allowed, as a share of the base offer"))


def _structure_words(rows: pd.DataFrame) -> str:
    options = rows[rows["layer"] != "Base offer"]
    return ("Stacked bars of each offer's layers as a share of its base offer: " + "; ".join(
        f"{label}: " + listing(f"{layer.lower()} up to {percent(share, 1)}" for layer, share in
                               zip(group["layer"], group["pct_of_base"]))
        for label, group in options.groupby("label", sort=False)) + ".")


ISSUER_COLOURS = {OFFER_LABELS[BIREN]: ACCENT, OFFER_LABELS[CATL]: PALETTE[1]}


def _cornerstone_bars(rows: pd.DataFrame, title: str):
    order = ["Base offer, mid-price (prospectus)", "Base offer, final price", "Upsized offer, final price",
             "Upsized offer + greenshoe"]
    issuers = [label for label in (OFFER_LABELS[BIREN], OFFER_LABELS[CATL]) if label in set(rows["label"])]
    # Grouped bars in one view (one row per denominator, a bar per issuer), so a phone can lay it out again;
    # each issuer keeps its colour from one chart to the next (Biren the accent).
    return alt.Chart(rows).mark_bar().encode(
        x=alt.X("share:Q", title="Cornerstone shares ÷ offer shares", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("reading:N", title=None, sort=[reading for reading in order if reading in set(rows["reading"])]),
        yOffset=alt.YOffset("label:N", sort=issuers),
        color=alt.Color("label:N", title=None, sort=issuers,
                        scale=alt.Scale(domain=issuers, range=[ISSUER_COLOURS[label] for label in issuers])),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("reading:N"), alt.Tooltip("share:Q", format=".2%")],
    ).properties(width=360, height=alt.Step(14, **{"for": "offset"}), description=(
        "Bars of the share of each offer taken by cornerstone investors, by denominator: " + "; ".join(
            f"{label}: " + listing(f"{percent(share)} ({reading[0].lower() + reading[1:]})" for reading, share in
                                   zip(group["reading"], group["share"]))
            for label, group in rows.groupby("label", sort=False)) + "."),
                 title=alt.Title(title, subtitle="Share of the offer taken by cornerstone investors, by denominator"))


def catl_cornerstone_chart(f: Facts):
    return _cornerstone_bars(pd.DataFrame(cornerstone_denominators(f, [CATL])), "CATL's cornerstone book, three percentages")


def cornerstone_chart(f: Facts):
    return _cornerstone_bars(pd.DataFrame(cornerstone_denominators(f)), "One cornerstone book, four percentages")


def offers_table(f: Facts) -> pd.DataFrame:
    """The two offers as their prospectuses set them (CATL's also as it closed)."""
    catl = offer_structure(f, [CATL])[CATL]
    p = _prospectus_terms(f)
    cornerstone_usd = f.term(BIREN, "cornerstone_amount", unit="million", currency="USD")
    return pd.DataFrame([
        {"Offer": OFFER_LABELS[CATL], "Price (HK$)": f"{catl['offer_price']:,.2f}",
         "Base shares (m)": f"{catl['base'] / 1e6:,.2f}", "Upsize, max. (m)": f"{f.term(CATL, 'upsize_max_shares') / 1e6:,.2f}",
         "Greenshoe, max. (m)": f"{f.term(CATL, 'greenshoe_max_shares') / 1e6:,.2f}",
         "Cornerstones": f"{catl['cornerstone_count']:.0f}",
         "HK public demand (x)": f"{catl['hk_subscription']:,.2f}",
         "International demand (x)": f"{catl['intl_subscription']:,.2f}"},
        {"Offer": OFFER_LABELS[BIREN], "Price (HK$)": f"{p['low']:,.2f}–{p['high']:,.2f} (range)",
         "Base shares (m)": f"{p['base'] / 1e6:,.2f}", "Upsize, max. (m)": f"{p['upsize'] / 1e6:,.2f}",
         "Greenshoe, max. (m)": f"{p['greenshoe'] / 1e6:,.2f}", "Cornerstones": f"US$ {cornerstone_usd:,.1f} m committed",
         "HK public demand (x)": "not yet known", "International demand (x)": "not yet known"},
    ])


def final_terms_table(f: Facts) -> pd.DataFrame:
    """Biren's offer as it closed: the allotment results of 31 December 2025."""
    b = offer_structure(f, [BIREN])[BIREN]
    return pd.DataFrame([{
        "Offer": OFFER_LABELS[BIREN], "Final price (HK$)": f"{b['offer_price']:,.2f}",
        "Base shares (m)": f"{b['base'] / 1e6:,.2f}", "Upsize taken (m)": f"{b['upsize'] / 1e6:,.2f}",
        "Over-allocated (m)": f"{f.term(BIREN, 'over_allocated_shares') / 1e6:,.2f}",
        "Cornerstones": f"{b['cornerstone_count']:.0f}",
        "HK public demand (x)": f"{b['hk_subscription']:,.2f}", "International demand (x)": f"{b['intl_subscription']:,.2f}",
    }])
