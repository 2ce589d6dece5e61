"""The recomputations: one per `target` key in claims.csv, each returning the readings of a claim the
data supports (gpuipo.contract.vocabulary.CLAIM_TARGETS lists their keys, so check-data refuses an unknown one)."""
from __future__ import annotations

import pandas as pd

from gpuipo.chapters.claims.rule import Reading, Recomputed
from gpuipo.facts import Fact, metrics, served_by
from gpuipo.facts.dates import written
from gpuipo.facts.units import convert
from gpuipo.shared.deals import cornerstone_denominators, issuer_basis_share, prospectus_price


def cambricon_2023_low(f):
    low = f.number("market_observations", company_id="cambricon", kind="period_low", currency="CNY")
    return Recomputed([Reading("2023 low", low, True)])


def cambricon_record_price(f):
    high = f.obs("cambricon", "2025-08-28", "intraday_high", currency="CNY")
    close = f.obs("cambricon", "2025-08-28", "close", currency="CNY")
    return Recomputed([Reading("record intraday high", high, True), Reading("record close", close)])


def cambricon_trough_to_peak(f):
    low = cambricon_2023_low(f).readings[0].value
    high = f.obs("cambricon", "2025-08-28", "intraday_high", currency="CNY")
    return Recomputed([Reading("gain (peak ÷ trough − 1)", metrics.change(low, high), True),
                       Reading("price multiple (peak ÷ trough)", metrics.multiple(low, high))],
                      "涨幅 N 倍 reads most naturally as a gain of N times; the price multiple is one more.")


def _first_day_change(company, offering, day, kinds):
    labels = {"close": "close vs offer", "open": "open vs offer", "intraday_high": "intraday high vs offer"}

    def recompute(f):
        offer = f.term(offering, "offer_price", currency="CNY")
        return Recomputed([Reading(labels[k], 100 * metrics.change(offer, f.obs(company, day, k, currency="CNY")), i == 0)
                           for i, k in enumerate(kinds)])
    return recompute


def moore_day1_mcap(f):
    close = f.obs("moore-threads", "2025-12-05", "close", "market_cap", unit="hundred_million", currency="CNY")
    shares = f.term("moore-threads-star-ipo", "shares_outstanding_at_listing", unit="shares")
    at_open = metrics.market_cap(f.obs("moore-threads", "2025-12-05", "open", currency="CNY"), shares) / 1e8
    return Recomputed([Reading("closing market value", close, True), Reading("market value at the open", at_open)])


def metax_day1_mcap(f):
    close = f.obs("metax", "2025-12-17", "close", "market_cap", unit="hundred_million", currency="CNY")
    return Recomputed([Reading("closing market value", close, True)])


def biren_founded_year(f):
    m = f.row("biren_milestones", product="company")
    return Recomputed([Reading("founding year", Fact(m["date"].year, f.served(m)), True)])


def _fin_claim(company, period, metric, unit, sign=1.0):
    def recompute(f):
        return Recomputed([Reading(f"{metric} {period}", sign * f.fin(company, period, metric, unit=unit, currency="CNY"), True)])
    return recompute


def _snapshot_claim(metric, unit=None):
    def recompute(f):
        value = f.snapshot("biren", metric, unit=unit, currency="CNY" if unit else None)
        return Recomputed([Reading(metric.replace("_", " "), value, True)])
    return recompute


def biren_patents_filed(f):
    total = f.snapshot("biren", "patents_granted") + f.snapshot("biren", "patent_applications_pending")
    return Recomputed([Reading("granted + pending", total, True)], "Applications abandoned or refused are not in the count.")


def biren_loss_narrowed(f):
    def fin(period, metric):
        return f.fin("biren", period, metric, currency="CNY")

    revenue = (fin("FY2022", "revenue"), fin("FY2024", "revenue"))
    loss = (-fin("FY2023", "adjusted_net_profit"), -fin("FY2024", "adjusted_net_profit"))
    both = revenue[1] > revenue[0] and loss[1] < loss[0]
    return Recomputed([Reading("revenue up and adjusted loss narrower", float(both), True,
                               served_by(revenue[0] + revenue[1] + loss[0] + loss[1]))])


def _index_claim(index):
    def recompute(f):
        start, to_1219, to_1231 = (f.index_close(index, d) for d in ("2024-12-31", "2025-12-19", "2025-12-31"))
        return Recomputed([Reading("2025 to 19 Dec (last close before the article)", 100 * metrics.change(start, to_1219), True),
                           Reading("full year 2025", 100 * metrics.change(start, to_1231))])
    return recompute


def southbound_ytd_1215(f):
    ytd = f.rows("southbound_flows", measure="year_to_date", record=False,
                 where=lambda t: t["as_of"].dt.year == 2025).sort_values("as_of")
    pinned = pd.Timestamp("2025-12-15")
    before, after = ytd[ytd["as_of"] <= pinned].iloc[-1], ytd[ytd["as_of"] >= pinned].iloc[0]
    rows = f.served(before, table="southbound_flows") | f.served(after, table="southbound_flows")
    bound = Fact(min(before["value"], after["value"]) / 1000, rows)
    bracket = f"{written(before['as_of'], 'day_month')}, {written(after['as_of'], 'day_month')}"
    return Recomputed([Reading(f"lowest of the totals bracketing 15 Dec ({bracket})", bound, True)],
                      "No figure for 15 December itself; net buying kept rising between the bracketing dates.")


def southbound_since_launch(f):
    row = f.rows("southbound_flows", measure="since_launch", record=False).sort_values("value").iloc[-1]
    value = Fact(row["value"] / 1000, f.served(row, table="southbound_flows"))
    return Recomputed([Reading(f"cumulative since launch ({written(row['as_of'], 'short')})", value, True)])


def _term_claim(offering, term):
    def recompute(f):
        return Recomputed([Reading(term.replace("_", " "), f.term(offering, term), True)])
    return recompute


ISSUER_BASIS = "base offer, neither option, prospectus price (issuer's basis)"


def _cornerstone_claim(offering):
    """The same readings for every deal: the issuer's basis is the natural one (deals.issuer_basis_share)."""
    def recompute(f):
        natural = Reading(ISSUER_BASIS, 100 * issuer_basis_share(f, offering), True)
        others = [Reading(r["reading"].lower(), 100 * r["share"]) for r in cornerstone_denominators(f, [offering])
                  if "prospectus" not in r["reading"]]
        price = prospectus_price(f, offering)
        return Recomputed([natural] + others, f"Prospectus price HK$ {price:,.2f}.")
    return recompute


def biren_greenshoe_pct(f):
    base = f.term("biren-hk-ipo", "base_shares")
    option = f.term("biren-hk-ipo", "greenshoe_max_shares")
    upsized = f.term("biren-hk-ipo", "greenshoe_max_shares_if_upsized")
    return Recomputed([Reading("prospectus option ÷ initial offer (issuer's basis)", 100 * option / base, True),
                       Reading("option after the upsize ÷ initial offer", 100 * upsized / base)])


def _date_claim(offering, event):
    def recompute(f):
        row = f.row("offering_dates", offering_id=offering, event=event)
        return Recomputed([Reading(event.replace("_", " "), row["date"], True, f.served(row))])
    return recompute


def catl_listing_date(f):
    row = f.row("offering_dates", offering_id="catl-hk-ipo", event="listing")
    return Recomputed([Reading("listing month", Fact(row["date"].month, f.served(row)), True)])


def biren_first_hk_gpu(f):
    gpu = f.rows("companies", exchange="HKEX", category="gpu")["company_id"]
    offerings = f.rows("offerings", company_id=list(gpu), kind="ipo")
    dates = f.rows("offering_dates", event="listing", offering_id=list(offerings["offering_id"]))
    listings = dates.merge(offerings[["offering_id", "company_id"]], on="offering_id").sort_values("date")
    rank = Fact(list(listings["company_id"]).index("biren") + 1,
                f.served(dates) | f.served(offerings) | f.served(f.rows("companies", company_id=list(gpu))))
    names = ", ".join(f"{c} ({written(d, 'short')})" for c, d in zip(listings["company_id"], listings["date"]))
    return Recomputed([Reading("rank by listing date among the Hong Kong-listed GPU makers in the data", rank, True)],
                      f"Listings in the data: {names}. The data does not hold every Hong Kong-listed company.",
                      complete=False)


STAR_NAMED = ["cambricon", "moore-threads", "metax"]   # the article's 2nd, 3rd and 4th, in that order


def star_market_value_ranks(f):
    """One counter-example refutes the order: a STAR company in the data, not named, whose every December
    2025 market value lies between two consecutively ranked named companies' (below every value of the
    higher one and above every value of the lower one); or a day on which two named companies swap order."""
    star = f.rows("companies", board="STAR Market")["company_id"]
    december = f.rows("market_observations", company_id=list(star), kind="close", measure="market_cap",
                      where=lambda t: (t["date"] >= pd.Timestamp("2025-12-01")) & (t["date"] <= pd.Timestamp("2025-12-31")))
    values = {c: {d: Fact(convert(r["value"], r["unit"], "hundred_million"), f.served(r)) for d, (_, r) in
                  zip(g["date"], g.iterrows())} for c, g in december.groupby("company_id")}
    counter = []
    for upper, lower in zip(STAR_NAMED, STAR_NAMED[1:]):
        if not values.get(upper) or not values.get(lower):
            continue
        for other in sorted(set(values) - set(STAR_NAMED)):
            between = min(values[other].values()) > max(values[lower].values()) and \
                max(values[other].values()) < min(values[upper].values())
            if between:
                counter.append((f"{other}'s December market values (CNY {min(values[other].values()):,.0f} to "
                                f"{max(values[other].values()):,.0f} 亿) lie between {upper}'s and {lower}'s",
                                [*values[other].values(), *values[upper].values(), *values[lower].values()]))
        for day in sorted(set(values[upper]) & set(values[lower])):
            if values[lower][day] > values[upper][day]:
                counter.append((f"on {written(day, 'day_month')} {lower} was worth more than {upper}",
                                [values[lower][day], values[upper][day]]))
    every = [v for by_day in values.values() for v in by_day.values()]
    rows = frozenset().union(*(served_by(v) for v in (counter[0][1] if counter else every)))
    note = "; ".join(text for text, _ in counter)
    return Recomputed([Reading("the stated order holds among the STAR companies in the data", float(not counter), True, rows)],
                      (note + ". " if note else "") + "The data does not hold every STAR Market company.",
                      complete=False)


TARGETS = {
    "cambricon_2023_low": cambricon_2023_low,
    "cambricon_record_price": cambricon_record_price,
    "cambricon_trough_to_peak": cambricon_trough_to_peak,
    "moore_day1_change": _first_day_change("moore-threads", "moore-threads-star-ipo", "2025-12-05", ("close", "open")),
    "moore_day1_mcap": moore_day1_mcap,
    "metax_day1_change": _first_day_change("metax", "metax-star-ipo", "2025-12-17", ("close", "open", "intraday_high")),
    "metax_day1_mcap": metax_day1_mcap,
    "biren_founded_year": biren_founded_year,
    "biren_revenue_fy2022": _fin_claim("biren", "FY2022", "revenue", "ten_thousand"),
    "biren_revenue_fy2024": _fin_claim("biren", "FY2024", "revenue", "hundred_million"),
    "biren_adj_loss_fy2023": _fin_claim("biren", "FY2023", "adjusted_net_profit", "hundred_million", -1.0),
    "biren_adj_loss_fy2024": _fin_claim("biren", "FY2024", "adjusted_net_profit", "hundred_million", -1.0),
    "biren_rd_fy2022": _fin_claim("biren", "FY2022", "rd_expense", "hundred_million"),
    "biren_rd_fy2023": _fin_claim("biren", "FY2023", "rd_expense", "hundred_million"),
    "biren_rd_fy2024": _fin_claim("biren", "FY2024", "rd_expense", "hundred_million"),
    "biren_patents_filed": biren_patents_filed,
    "biren_patents_granted": _snapshot_claim("patents_granted"),
    "biren_binding_orders": _snapshot_claim("binding_orders_value", "hundred_million"),
    "biren_framework_value": _snapshot_claim("framework_and_contracts_value", "hundred_million"),
    "biren_loss_narrowed": biren_loss_narrowed,
    "hsi_2025_ytd": _index_claim("HSI"),
    "hstech_2025_ytd": _index_claim("HSTECH"),
    "southbound_ytd_1215": southbound_ytd_1215,
    "southbound_since_launch": southbound_since_launch,
    "catl_cornerstone_count": _term_claim("catl-hk-ipo", "cornerstone_count"),
    "catl_cornerstone_share": _cornerstone_claim("catl-hk-ipo"),
    "biren_cornerstone_count": _term_claim("biren-hk-ipo", "cornerstone_count"),
    "biren_cornerstone_share": _cornerstone_claim("biren-hk-ipo"),
    "biren_greenshoe_pct": biren_greenshoe_pct,
    "biren_offer_open": _date_claim("biren-hk-ipo", "public_offer_opens"),
    "biren_listing_date": _date_claim("biren-hk-ipo", "listing"),
    "biren_first_hk_gpu": biren_first_hk_gpu,
    "star_market_value_ranks": star_market_value_ranks,
    "catl_listing_date": catl_listing_date,
}
