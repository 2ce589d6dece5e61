"""Chapter 4: what happened after the listing (kept apart from what was known on 2025-12-22)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import metrics
from .charts import ACCENT, MUTED, NARROW
from .deals import BASKET, BIREN, LISTING_DAY, basket_valuation, biren_close, cny_per
from .facts import Facts, Text

PLACING = "biren-2026-10-placing"
COHORT = [("biren", BIREN, "2026-01-02"), ("iluvatar", "iluvatar-hk-ipo", "2026-01-08"),
          ("zhipu", "zhipu-hk-ipo", "2026-01-08"), ("minimax", "minimax-hk-ipo", "2026-01-09"),
          ("catl", "catl-hk-ipo", "2025-05-20")]


def price_path(f: Facts) -> list[dict]:
    offer = f.term(BIREN, "offer_price", currency="HKD")
    rows = [
        {"date": LISTING_DAY, "label": "Day-1 open", "price": f.obs("biren", LISTING_DAY, "open", currency="HKD")},
        {"date": LISTING_DAY, "label": "Day-1 intraday high", "price": f.obs("biren", LISTING_DAY, "intraday_high", currency="HKD")},
        {"date": LISTING_DAY, "label": "Day-1 close (from market value)", "price": biren_close(f, LISTING_DAY)},
        {"date": pd.Timestamp("2026-01-08"), "label": "Close (from market value)", "price": biren_close(f, "2026-01-08")},
        {"date": pd.Timestamp("2026-01-09"), "label": "Close", "price": biren_close(f, "2026-01-09")},
        {"date": f.date(PLACING, "announced"), "label": "October 2026 placing price",
         "price": f.term(PLACING, "offer_price", currency="HKD")},
    ]
    for row in rows:
        row["vs_offer"] = row["price"] / offer - 1
    return rows


def cohort_table(f: Facts) -> list[dict]:
    rows = []
    for company, offering, day in COHORT:
        offer = f.term(offering, "offer_price", currency="HKD")
        close = biren_close(f, day) if company == "biren" else f.obs(company, day, "close", currency="HKD")
        rows.append({"company_id": company, "company": f.name(company), "listing": pd.Timestamp(day), "offer": offer,
                     "close": close, "change": metrics.change(offer, close),
                     "approximate": f.obs_row(company, day, "close", "price")["qualifier"] == "about" if company != "biren" else False})
    return rows


def valuation(f: Facts) -> list[dict]:
    """Biren's market value over FY2024 revenue at the offer price and at the first close, in CNY."""
    rate, _ = cny_per(f, "HKD", LISTING_DAY)
    shares = f.term(BIREN, "shares_outstanding_at_listing")
    revenue = f.fin("biren", "FY2024", "revenue", currency="CNY")
    rows = []
    for label, price in (("Biren at the offer price", f.term(BIREN, "offer_price", currency="HKD")),
                         ("Biren at the first close", biren_close(f, LISTING_DAY))):
        mcap_cny_m = price * shares * rate / 1e6
        rows.append({"label": label, "mcap_cny_bn": mcap_cny_m / 1e3, "ps": metrics.price_to_sales(mcap_cny_m, revenue)})
    ilu_shares = f.term("iluvatar-hk-ipo", "shares_outstanding_at_listing")
    ilu_rate, _ = cny_per(f, "HKD", "2026-01-08")
    ilu_mcap = f.obs("iluvatar", "2026-01-08", "close", currency="HKD") * ilu_shares * ilu_rate / 1e6
    rows.append({"label": "Iluvatar CoreX 天数智芯 at its first close", "mcap_cny_bn": ilu_mcap / 1e3,
                 "ps": metrics.price_to_sales(ilu_mcap, f.fin("iluvatar", "FY2024", "revenue", currency="CNY"))})
    for r in basket_valuation(f, BASKET):
        rows.append({"label": f"{r['company']} on {r['date']:%d %b %Y}", "mcap_cny_bn": r["mcap_bn"], "ps": r["ps"]})
    for row in rows:
        row["subject"] = row["label"].startswith("Biren")
    return rows


def figures(f: Facts) -> dict:
    path = {r["label"]: r for r in price_path(f)}
    placing_shares, placing_price = f.term(PLACING, "new_shares"), f.term(PLACING, "offer_price", currency="HKD")
    listed = f.term(BIREN, "shares_outstanding_at_listing")
    greenshoe = f.term(BIREN, "greenshoe_exercised_shares")
    offer = f.term(BIREN, "offer_price", currency="HKD")
    v = {
        "offer": offer,
        "open": path["Day-1 open"]["price"], "open_vs_offer": path["Day-1 open"]["vs_offer"],
        "high": path["Day-1 intraday high"]["price"], "high_vs_offer": path["Day-1 intraday high"]["vs_offer"],
        "close": path["Day-1 close (from market value)"]["price"],
        "close_vs_offer": path["Day-1 close (from market value)"]["vs_offer"],
        "close_0109": path["Close"]["price"], "close_0109_vs_offer": path["Close"]["vs_offer"],
        "placing_price": path["October 2026 placing price"]["price"],
        "placing_vs_offer": path["October 2026 placing price"]["vs_offer"],
        "placing_shares_m": placing_shares / 1e6,
        "placing_proceeds_m": placing_shares * placing_price / 1e6,
        "placing_discount": f.term(PLACING, "discount_stated") / 100,
        "shares_after_greenshoe_m": (listed + greenshoe) / 1e6,
        "greenshoe_exercised_m": greenshoe / 1e6,
        "mcap_offer_bn": offer * listed / 1e9,
        "mcap_close_bn": f.obs("biren", LISTING_DAY, "close", "market_cap", unit="billion", currency="HKD"),
    }
    val = {r["label"]: r for r in valuation(f)}
    v["ps_offer"] = val["Biren at the offer price"]["ps"]
    v["ps_close"] = val["Biren at the first close"]["ps"]
    rate, detail = cny_per(f, "HKD", LISTING_DAY)
    v["fx_cny_per_hkd"] = rate
    v["fx_dates"] = Text(" and ".join(d.strftime("%d %B %Y") for d in sorted(detail.dates)), rate.served)
    cohort = {r["company_id"]: r for r in cohort_table(f)}
    for company in ("iluvatar", "zhipu", "minimax", "catl"):
        v[f"{company}_day1"] = cohort[company]["change"]
    return v


def path_chart(f: Facts):
    frame = pd.DataFrame(price_path(f))
    offer = float(f.term(BIREN, "offer_price", currency="HKD"))
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
    return chart


def cohort_chart(f: Facts):
    frame = pd.DataFrame(cohort_table(f))
    frame["company"] = frame["company"].astype(str)
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
    return chart


def valuation_chart(f: Facts):
    frame = pd.DataFrame(valuation(f))
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("ps:Q", title="Market value ÷ FY2024 revenue (times)"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("subject:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("mcap_cny_bn:Q", title="Market value (CNY bn)", format=",.1f"),
                 alt.Tooltip("ps:Q", title="P/S (x)", format=",.0f")],
    ).properties(width=NARROW, height=200, title=alt.Title("Biren's valuation against its peers",
                                             subtitle="CNY; Hong Kong values converted at dated rates crossed through the US dollar"))
    return chart
