"""Look-ups about the offers and listings that more than one chapter needs, in one place, so that
chapters never import each other. Values are Facts (gpuipo.facts): they carry the rows they came from."""
from __future__ import annotations

import pandas as pd

from gpuipo.facts import Fact, Facts, fx, metrics

BIREN, CATL = "biren-hk-ipo", "catl-hk-ipo"
OFFER_LABELS = {CATL: "CATL 宁德时代", BIREN: "Biren 壁仞科技"}
LISTING_DAY = pd.Timestamp("2026-01-02")
# The A-share peers' valuation: the latest close before the article for all three GPU names, and
# Hygon's last stated market value before it.
BASKET_DATE = pd.Timestamp("2025-12-17")
GPU_GROUP, PEER_GROUP = "General-purpose GPU", "ASIC / CPU peer"
BASKET = [("cambricon", BASKET_DATE), ("moore-threads", BASKET_DATE), ("metax", BASKET_DATE),
          ("hygon", pd.Timestamp("2025-12-09"))]


def biren_close(f: Facts, day):
    """Biren's closing price: stated where the data has it, else closing market value ÷ shares in issue."""
    stated = f.rows("market_observations", company_id="biren", date=day, kind="close", measure="price")
    if len(stated):
        return f.obs("biren", day, "close", currency="HKD")
    mcap = f.obs("biren", day, "close", "market_cap", unit="million", currency="HKD") * 1e6
    return mcap / f.term(BIREN, "shares_outstanding_at_listing")


def offer_layers(f: Facts, offering: str) -> dict:
    """The shares in each layer of an offer (base, upsize, greenshoe, cornerstones) and its price."""
    greenshoe = "greenshoe_max_shares_if_upsized" if f.has_term(offering, "greenshoe_max_shares_if_upsized") \
        else "greenshoe_max_shares"
    return {
        "label": OFFER_LABELS[offering],
        "base": f.term(offering, "base_shares", unit="shares"),
        "upsize": f.term(offering, "upsize_exercised_shares", unit="shares"),
        "greenshoe": f.term(offering, greenshoe, unit="shares"),
        "cornerstone": f.term(offering, "cornerstone_shares", unit="shares"),
        "offer_price": f.term(offering, "offer_price", currency="HKD"),
    }


def offer_structure(f: Facts, offerings=(CATL, BIREN)) -> dict[str, dict]:
    """Offers as they closed: layers, price and demand."""
    return {offering: {**offer_layers(f, offering),
                       "hk_subscription": f.term(offering, "hk_subscription"),
                       "intl_subscription": f.term(offering, "intl_subscription"),
                       "cornerstone_count": f.term(offering, "cornerstone_count")}
            for offering in offerings}


def has_price_range(f: Facts, offering: str) -> bool:
    return f.has_term(offering, "price_low") and f.has_term(offering, "price_high")


def prospectus_price(f: Facts, offering: str) -> Fact:
    """The price a prospectus states its cornerstone share at: the mid-point of a price range, or the
    fixed (maximum) price where there is no range."""
    if has_price_range(f, offering):
        return (f.term(offering, "price_low", currency="HKD") + f.term(offering, "price_high", currency="HKD")) / 2
    return f.term(offering, "offer_price", currency="HKD")


def issuer_basis_share(f: Facts, offering: str) -> Fact:
    """Cornerstone shares as a share of the offer on the issuer's own disclosure basis, the same for every
    deal: the base offer with neither option exercised, at the prospectus price. A cornerstone book fixed
    in money (HK$ = final shares × final price) buys more shares at a lower prospectus price."""
    r = offer_layers(f, offering)
    amount = r["cornerstone"] * r["offer_price"]
    return metrics.cornerstone_share_by_amount(amount, prospectus_price(f, offering), r["base"])


def cornerstone_denominators(f: Facts, offerings=(CATL, BIREN)) -> list[dict]:
    """Cornerstone shares as a share of each possible denominator."""
    rows = []
    for offering in offerings:
        r = offer_layers(f, offering)
        if has_price_range(f, offering):  # the prospectus's basis (mid-point) differs from the final price
            rows.append({"label": r["label"], "reading": "Base offer, mid-price (prospectus)",
                         "share": issuer_basis_share(f, offering)})
        rows += [
            {"label": r["label"], "reading": "Base offer, final price", "share": r["cornerstone"] / r["base"]},
            {"label": r["label"], "reading": "Upsized offer, final price", "share": r["cornerstone"] / (r["base"] + r["upsize"])},
            {"label": r["label"], "reading": "Upsized offer + greenshoe",
             "share": r["cornerstone"] / (r["base"] + r["upsize"] + r["greenshoe"])},
        ]
    return rows


def basket_valuation(f: Facts, points) -> list[dict]:
    """Market value over FY2024 revenue (both CNY) at the given (company, day) closes."""
    rows = []
    for company, day in points:
        mcap = f.obs(company, day, "close", "market_cap", unit="million", currency="CNY")
        revenue = f.fin(company, "FY2024", "revenue", currency="CNY")
        rows.append({
            "company_id": company, "company": f.name(company), "date": pd.Timestamp(day),
            "group": GPU_GROUP if f.company(company)["category"] == "gpu" else PEER_GROUP,
            "mcap_bn": mcap / 1e3, "revenue_fy2024_m": revenue,
            "ps": metrics.price_to_sales(mcap, revenue),
        })
    return rows


def cny_per(f: Facts, currency: str, day) -> tuple[Fact, fx.Rate]:
    """CNY per unit of `currency` on the dated rates nearest to `day`, crossed through the US dollar."""
    rates = f.rows("fx_rates", record=False)
    rate = fx.cross_rate(rates, currency, "CNY", day)
    return Fact(rate.value, f.served(rates.loc[list(rate.rows)], table="fx_rates"), "CNY per " + currency), rate
