"""Chapter 4: what happened after the listing (kept apart from what was known on 2025-12-22)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import fx, metrics
from .charts import ACCENT, MUTED, NARROW
from .facts import Facts

BIREN = "biren-hk-ipo"
LISTING_DAY = pd.Timestamp("2026-01-02")
COHORT = [("biren", BIREN, "2026-01-02"), ("iluvatar", "iluvatar-hk-ipo", "2026-01-08"),
          ("zhipu", "zhipu-hk-ipo", "2026-01-08"), ("minimax", "minimax-hk-ipo", "2026-01-09"),
          ("catl", "catl-hk-ipo", "2025-05-20")]


def biren_close(f: Facts, day) -> float:
    """Closing price: stated where the data has it, else closing market value ÷ shares in issue."""
    obs = f.table("market_observations")
    has_price = ((obs["company_id"] == "biren") & (obs["date"] == pd.Timestamp(day)) & (obs["kind"] == "close")
                 & (obs["measure"] == "price")).any()
    if has_price:
        return f.obs("biren", day, "close")
    mcap = f.obs("biren", day, "close", "market_cap", unit="million") * 1e6
    return mcap / f.term(BIREN, "shares_outstanding_at_listing")


def price_path(f: Facts) -> pd.DataFrame:
    offer = f.term(BIREN, "offer_price")
    placing = "biren-2026-10-placing"
    rows = [
        {"date": LISTING_DAY, "label": "Day-1 open", "price": f.obs("biren", LISTING_DAY, "open")},
        {"date": LISTING_DAY, "label": "Day-1 intraday high", "price": f.obs("biren", LISTING_DAY, "intraday_high")},
        {"date": LISTING_DAY, "label": "Day-1 close (from market value)", "price": biren_close(f, LISTING_DAY)},
        {"date": pd.Timestamp("2026-01-08"), "label": "Close (from market value)", "price": biren_close(f, "2026-01-08")},
        {"date": pd.Timestamp("2026-01-09"), "label": "Close", "price": biren_close(f, "2026-01-09")},
        {"date": f.date(placing, "announced"), "label": "October 2026 placing price", "price": f.term(placing, "offer_price")},
    ]
    frame = pd.DataFrame(rows)
    frame["vs_offer"] = frame["price"] / offer - 1
    return frame


def cohort_table(f: Facts) -> pd.DataFrame:
    rows = []
    for company, offering, day in COHORT:
        offer = f.term(offering, "offer_price")
        close = biren_close(f, day) if company == "biren" else f.obs(company, day, "close")
        rows.append({"company_id": company, "company": f.name(company), "listing": pd.Timestamp(day), "offer": offer,
                     "close": close, "change": metrics.change(offer, close),
                     "approximate": f.obs_row(company, day, "close", "price")["qualifier"] == "about" if company != "biren" else False})
    return pd.DataFrame(rows)


def valuation(f: Facts) -> pd.DataFrame:
    """Biren's market value over FY2024 revenue at the offer price and at the first close, in CNY."""
    fxt = f.table("fx_rates")
    rate = fx.cross_rate(fxt, "HKD", "CNY", LISTING_DAY)
    shares = f.term(BIREN, "shares_outstanding_at_listing")
    revenue = f.fin("biren", "FY2024", "revenue", unit="million")
    rows = []
    for label, price in (("Biren at the offer price", f.term(BIREN, "offer_price")),
                         ("Biren at the first close", biren_close(f, LISTING_DAY))):
        mcap_cny_m = price * shares * rate.value / 1e6
        rows.append({"label": label, "mcap_cny_bn": mcap_cny_m / 1e3, "ps": metrics.price_to_sales(mcap_cny_m, revenue)})
    ilu_shares = f.term("iluvatar-hk-ipo", "shares_outstanding_at_listing")
    ilu_rate = fx.cross_rate(fxt, "HKD", "CNY", "2026-01-08")
    ilu_mcap = f.obs("iluvatar", "2026-01-08", "close") * ilu_shares * ilu_rate.value / 1e6
    rows.append({"label": "Iluvatar CoreX 天数智芯 at its first close", "mcap_cny_bn": ilu_mcap / 1e3,
                 "ps": metrics.price_to_sales(ilu_mcap, f.fin("iluvatar", "FY2024", "revenue"))})
    from .pricing import basket_valuation
    for _, r in basket_valuation(f).iterrows():
        rows.append({"label": f"{r['company']} on {r['date']:%d %b %Y}", "mcap_cny_bn": r["mcap_bn"], "ps": r["ps"]})
    frame = pd.DataFrame(rows)
    frame["subject"] = frame["label"].str.startswith("Biren")
    frame.attrs["fx"] = rate
    return frame


def figures(f: Facts) -> dict:
    path = price_path(f).set_index("label")
    v = {
        "offer": f.term(BIREN, "offer_price"),
        "open": path.loc["Day-1 open", "price"], "open_vs_offer": path.loc["Day-1 open", "vs_offer"],
        "high": path.loc["Day-1 intraday high", "price"], "high_vs_offer": path.loc["Day-1 intraday high", "vs_offer"],
        "close": path.loc["Day-1 close (from market value)", "price"],
        "close_vs_offer": path.loc["Day-1 close (from market value)", "vs_offer"],
        "close_0109": path.loc["Close", "price"], "close_0109_vs_offer": path.loc["Close", "vs_offer"],
        "placing_price": path.loc["October 2026 placing price", "price"],
        "placing_vs_offer": path.loc["October 2026 placing price", "vs_offer"],
        "placing_shares_m": f.term("biren-2026-10-placing", "new_shares") / 1e6,
        "placing_proceeds_m": f.term("biren-2026-10-placing", "new_shares") * f.term("biren-2026-10-placing", "offer_price") / 1e6,
        "placing_discount": f.term("biren-2026-10-placing", "discount_stated") / 100,
        "shares_after_greenshoe_m": (f.term(BIREN, "shares_outstanding_at_listing") + f.term(BIREN, "greenshoe_exercised_shares")) / 1e6,
        "greenshoe_exercised_m": f.term(BIREN, "greenshoe_exercised_shares") / 1e6,
        "mcap_offer_bn": f.term(BIREN, "offer_price") * f.term(BIREN, "shares_outstanding_at_listing") / 1e9,
        "mcap_close_bn": f.obs("biren", LISTING_DAY, "close", "market_cap", unit="billion"),
    }
    frame = valuation(f)
    rate = frame.attrs["fx"]
    val = frame.set_index("label")
    v["ps_offer"] = val.loc["Biren at the offer price", "ps"]
    v["ps_close"] = val.loc["Biren at the first close", "ps"]
    v["fx_cny_per_hkd"] = rate.value
    v["fx_dates"] = " and ".join(d.strftime("%d %B %Y") for d in sorted(rate.dates))
    cohort = cohort_table(f).set_index("company_id")
    for company in ("iluvatar", "zhipu", "minimax", "catl"):
        v[f"{company}_day1"] = cohort.loc[company, "change"]
    return v


def path_chart(f: Facts):
    frame = price_path(f)
    offer = f.term(BIREN, "offer_price")
    points = alt.Chart(frame).mark_point(size=90, filled=True, color=ACCENT).encode(
        x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("price:Q", title="Share price (HK$)", scale=alt.Scale(zero=True)),
        shape=alt.Shape("label:N", title=None),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("label:N"), alt.Tooltip("price:Q", title="HK$", format=".2f"),
                 alt.Tooltip("vs_offer:Q", title="vs offer", format="+.1%")],
    )
    rule = alt.Chart(pd.DataFrame({"y": [offer]})).mark_rule(strokeDash=[4, 3], color="#444").encode(y="y:Q")
    chart = (rule + points).properties(title=alt.Title("Biren's share price after listing",
                                                      subtitle="Dated prices in HK$; dashed line = offer price"))
    obs = f.table("market_observations")
    terms = f.table("offering_terms")
    sources = set(obs[obs["company_id"] == "biren"]["source_id"]) | set(
        terms[terms["offering_id"].isin([BIREN, "biren-2026-10-placing"]) & terms["term"].isin(
            ["offer_price", "shares_outstanding_at_listing"])]["source_id"])
    return chart, sorted(sources)


def cohort_chart(f: Facts):
    frame = cohort_table(f)
    frame["label"] = frame["company"] + " (" + frame["listing"].dt.strftime("%d %b %Y") + ")"
    frame["subject"] = frame["company_id"] == "biren"
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("change:Q", title="First-day close against the offer price", axis=alt.Axis(format="%")),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("subject:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N", title="Listing"), alt.Tooltip("offer:Q", title="Offer (HK$)", format=".2f"),
                 alt.Tooltip("close:Q", title="Close (HK$)", format=".2f"), alt.Tooltip("change:Q", format="+.1%")],
    ).properties(width=NARROW, height=170, title=alt.Title("Hong Kong debuts: Biren, the January 2026 AI cohort and CATL",
                                             subtitle="Change of the first close from the offer price"))
    obs = f.table("market_observations")
    terms = f.table("offering_terms")
    sources = set()
    for company, offering, day in COHORT:
        sources |= set(obs[(obs["company_id"] == company) & (obs["date"] == pd.Timestamp(day))]["source_id"])
        sources |= set(terms[(terms["offering_id"] == offering) & (terms["term"] == "offer_price")]["source_id"])
    return chart, sorted(sources)


def valuation_chart(f: Facts):
    frame = valuation(f)
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("ps:Q", title="Market value ÷ FY2024 revenue (times)"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("subject:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("mcap_cny_bn:Q", title="Market value (CNY bn)", format=",.1f"),
                 alt.Tooltip("ps:Q", title="P/S (x)", format=",.0f")],
    ).properties(width=NARROW, height=200, title=alt.Title("Biren's valuation against its peers",
                                             subtitle="CNY; Hong Kong values converted at dated rates crossed through the US dollar"))
    rate = frame.attrs["fx"]
    fin = f.table("financials")
    sources = set(rate.source_ids) | set(fin[(fin["period"] == "FY2024") & (fin["metric"] == "revenue")]["source_id"])
    return chart, sorted(sources)
