"""The claims audit: recompute each claim of the article from the data and give it a verdict by rule.

Verdict scale (fixed):
- confirmed: the natural reading matches within the precision the article prints;
- rounded: the natural reading matches only after rounding to a coarser power of ten than printed;
- depends-on-definition: the natural reading does not match, another stated reading does;
- contradicted: no reading matches; the record gives another value;
- unverifiable: the data cannot check the claim.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import metrics
from .facts import Fact, Facts
from .deals import cornerstone_denominators
from .units import convert

VERDICTS = ["confirmed", "rounded", "depends-on-definition", "contradicted", "unverifiable"]
EXACT, ROUNDED, OFF = "exact", "rounded", "off"
# Float noise allowance when comparing a recomputed value with the printed precision.
EPSILON = 1e-9


@dataclass
class Reading:
    label: str
    value: object            # float, pandas Timestamp, int or bool, in the claim's unit
    natural: bool = False


@dataclass
class Recomputed:
    """The readings of one claim; its sources are the rows served while it was computed (audit_row)."""
    readings: list[Reading]
    note: str = ""


def match(recomputed: float, stated: float, decimals: int, qualifier: str) -> str:
    """How a recomputed number matches a printed one.

    exact: within half a unit of the last printed digit (or at/above a 'more than' bound);
    rounded: equal to the recomputed value rounded to a coarser power of ten that the printed
    number is a multiple of (e.g. 29.47 printed as 30);
    off: otherwise.
    """
    if qualifier == "more_than":
        return EXACT if recomputed >= stated - EPSILON else OFF
    half_unit = 0.5 * 10 ** (-decimals)
    if abs(recomputed - stated) <= half_unit + EPSILON:
        return EXACT
    if stated != 0:
        coarsest = int(math.floor(math.log10(abs(stated))))
        for power in range(-decimals + 1, coarsest + 1):
            step = 10 ** power
            if abs(stated / step - round(stated / step)) < EPSILON and abs(round(recomputed / step) * step - stated) < EPSILON:
                return ROUNDED
    return OFF


def verdict(levels: list[tuple[bool, str]]) -> str:
    """From (is_natural_reading, match level) pairs to a verdict on the fixed scale."""
    if not levels:
        return "unverifiable"
    natural = [level for is_natural, level in levels if is_natural]
    others = [level for is_natural, level in levels if not is_natural]
    natural_level = natural[0] if natural else OFF
    if natural_level == EXACT:
        return "confirmed"
    if natural_level == ROUNDED:
        return "rounded"
    if any(level in (EXACT, ROUNDED) for level in others):
        return "depends-on-definition"
    return "contradicted"


# --- recomputations, one per `target` key in claims.csv -------------------------------------------

def cambricon_2023_low(f):
    row = f.row("market_observations", company_id="cambricon", kind="period_low")
    return Recomputed([Reading("2023 low", float(row["value"]), True)])


def cambricon_record_price(f):
    high, close = f.obs_row("cambricon", "2025-08-28", "intraday_high", "price"), f.obs_row("cambricon", "2025-08-28", "close", "price")
    return Recomputed([Reading("record intraday high", float(high["value"]), True), Reading("record close", float(close["value"]))])


def cambricon_trough_to_peak(f):
    low = cambricon_2023_low(f).readings[0].value
    high = f.obs("cambricon", "2025-08-28", "intraday_high", currency="CNY")
    return Recomputed([Reading("gain (peak ÷ trough − 1)", metrics.change(low, high), True),
                       Reading("price multiple (peak ÷ trough)", metrics.multiple(low, high))],
                      "涨幅 N 倍 most naturally reads as a gain of N times; the price multiple is one more.")


def _first_day(f, company, offering, day, kinds):
    offer = f.term_row(offering, "offer_price")
    return offer, {k: f.obs_row(company, day, k, "price") for k in kinds}


def moore_day1_change(f):
    offer, p = _first_day(f, "moore-threads", "moore-threads-star-ipo", "2025-12-05", ("open", "close"))
    o = float(offer["value"])
    return Recomputed([Reading("close vs offer", 100 * metrics.change(o, p["close"]["value"]), True),
                       Reading("open vs offer", 100 * metrics.change(o, p["open"]["value"]))])


def moore_day1_mcap(f):
    close = f.obs_row("moore-threads", "2025-12-05", "close", "market_cap")
    shares = f.term_row("moore-threads-star-ipo", "shares_outstanding_at_listing")
    open_ = f.obs_row("moore-threads", "2025-12-05", "open", "price")
    at_open = metrics.market_cap(open_["value"], convert(shares["value"], shares["unit"], "shares"))
    return Recomputed([Reading("closing market value", convert(close["value"], close["unit"], "hundred_million"), True),
                       Reading("market value at the open", at_open / 1e8)])


def metax_day1_change(f):
    offer, p = _first_day(f, "metax", "metax-star-ipo", "2025-12-17", ("open", "intraday_high", "close"))
    o = float(offer["value"])
    return Recomputed([Reading("close vs offer", 100 * metrics.change(o, p["close"]["value"]), True),
                       Reading("open vs offer", 100 * metrics.change(o, p["open"]["value"])),
                       Reading("intraday high vs offer", 100 * metrics.change(o, p["intraday_high"]["value"]))])


def metax_day1_mcap(f):
    close = f.obs_row("metax", "2025-12-17", "close", "market_cap")
    return Recomputed([Reading("closing market value", convert(close["value"], close["unit"], "hundred_million"), True)])


def biren_founded_year(f):
    m = f.row("biren_milestones", product="company")
    return Recomputed([Reading("founding year", float(m["date"].year), True)])


def _fin_claim(company, period, metric, unit, sign=1.0, label=None):
    def recompute(f):
        row = f.fin_row(company, period, metric)
        return Recomputed([Reading(label or f"{metric} {period}", sign * convert(row["value"], row["unit"], unit), True)])
    return recompute


def _snapshot_claim(metric, unit=None):
    def recompute(f):
        row = f.snapshot_row("biren", metric)
        value = convert(row["value"], row["unit"], unit) if unit else float(row["value"])
        return Recomputed([Reading(metric.replace("_", " "), value, True)])
    return recompute


def biren_patents_filed(f):
    granted, pending = f.snapshot_row("biren", "patents_granted"), f.snapshot_row("biren", "patent_applications_pending")
    return Recomputed([Reading("granted + pending", float(granted["value"] + pending["value"]), True)],
                      "Applications abandoned or refused are not in the count.")


def biren_loss_narrowed(f):
    def fin(period, metric):
        return f.fin("biren", period, metric, currency="CNY")

    grew = fin("FY2024", "revenue") > fin("FY2022", "revenue")
    narrowed = -fin("FY2024", "adjusted_net_profit") < -fin("FY2023", "adjusted_net_profit")
    return Recomputed([Reading("revenue up and adjusted loss narrower", float(grew and narrowed), True)])


def _index_claim(index):
    def recompute(f):
        rows = [f.row("index_levels", index_id=index, date=d) for d in ("2024-12-31", "2025-12-19", "2025-12-31")]
        start = rows[0]["close"]
        readings = [Reading("2025 to 19 Dec (last close before the article)", 100 * metrics.change(start, rows[1]["close"]), True),
                    Reading("full year 2025", 100 * metrics.change(start, rows[2]["close"]))]
        return Recomputed(readings)
    return recompute


def southbound_ytd_1215(f):
    ytd = f.rows("southbound_flows", measure="year_to_date", record=False,
                 where=lambda t: t["as_of"].dt.year == 2025).sort_values("as_of")
    pinned = pd.Timestamp("2025-12-15")
    before, after = ytd[ytd["as_of"] <= pinned].iloc[-1], ytd[ytd["as_of"] >= pinned].iloc[0]
    f.served(before, table="southbound_flows"), f.served(after, table="southbound_flows")
    bound = min(before["value"], after["value"]) / 1000
    return Recomputed([Reading(f"lowest of the totals bracketing 15 Dec ({before['as_of']:%d %b}, {after['as_of']:%d %b})", bound, True)], "No figure for 15 December itself; net buying kept rising between the bracketing dates.")


def southbound_since_launch(f):
    row = f.rows("southbound_flows", measure="since_launch", record=False).sort_values("value").iloc[-1]
    f.served(row, table="southbound_flows")
    return Recomputed([Reading(f"cumulative since launch ({row['as_of']:%d %b %Y})", row["value"] / 1000, True)])


def _term_claim(offering, term):
    def recompute(f):
        row = f.term_row(offering, term)
        return Recomputed([Reading(term.replace("_", " "), float(row["value"]), True)])
    return recompute


def _cornerstone_claim(company_label, natural, others):
    def recompute(f):
        offering = "catl-hk-ipo" if company_label == "CATL" else "biren-hk-ipo"
        shares = {r["reading"]: r["share"] for r in cornerstone_denominators(f, [offering])}
        return Recomputed([Reading(natural, 100 * shares[natural], True)] + [Reading(r, 100 * shares[r]) for r in others])
    return recompute


def biren_greenshoe_pct(f):
    base = f.term_row("biren-hk-ipo", "base_shares")
    option = f.term_row("biren-hk-ipo", "greenshoe_max_shares")
    upsized = f.term_row("biren-hk-ipo", "greenshoe_max_shares_if_upsized")
    return Recomputed([Reading("prospectus option ÷ initial offer", 100 * option["value"] / base["value"], True),
                       Reading("option after the upsize ÷ initial offer", 100 * upsized["value"] / base["value"])])


def _date_claim(offering, event):
    def recompute(f):
        row = f.row("offering_dates", offering_id=offering, event=event)
        return Recomputed([Reading(event.replace("_", " "), row["date"], True)])
    return recompute


def catl_listing_date(f):
    row = f.row("offering_dates", offering_id="catl-hk-ipo", event="listing")
    return Recomputed([Reading("listing month", float(row["date"].month), True)])


def biren_first_hk_gpu(f):
    gpu = f.rows("companies", exchange="HKEX", where=lambda t: t["segment"].str.contains("GPU"))["company_id"]
    offerings = f.rows("offerings", company_id=list(gpu), kind="ipo")
    dates = f.rows("offering_dates", event="listing", offering_id=list(offerings["offering_id"]))
    listings = dates.merge(offerings[["offering_id", "company_id"]], on="offering_id")
    listings = listings[listings["company_id"].isin(gpu)].sort_values("date")
    rank = float(list(listings["company_id"]).index("biren") + 1)
    return Recomputed([Reading("rank by listing date among HK-listed GPU makers in the data", rank, True)],
                      "Only companies in this report's data are compared.")


TARGETS = {
    "cambricon_2023_low": cambricon_2023_low,
    "cambricon_record_price": cambricon_record_price,
    "cambricon_trough_to_peak": cambricon_trough_to_peak,
    "moore_day1_change": moore_day1_change,
    "moore_day1_mcap": moore_day1_mcap,
    "metax_day1_change": metax_day1_change,
    "metax_day1_mcap": metax_day1_mcap,
    "biren_founded_year": biren_founded_year,
    "biren_revenue_fy2022": _fin_claim("biren", "FY2022", "revenue", "ten_thousand"),
    "biren_revenue_fy2024": _fin_claim("biren", "FY2024", "revenue", "hundred_million"),
    "biren_adj_loss_fy2023": _fin_claim("biren", "FY2023", "adjusted_net_profit", "hundred_million", -1.0),
    "biren_adj_loss_fy2024": _fin_claim("biren", "FY2024", "adjusted_net_profit", "hundred_million", -1.0),
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
    "catl_cornerstone_share": _cornerstone_claim("CATL", "Upsized offer, final price",
                                                 ["Base offer, final price", "Upsized offer + greenshoe"]),
    "biren_cornerstone_count": _term_claim("biren-hk-ipo", "cornerstone_count"),
    "biren_cornerstone_share": _cornerstone_claim("Biren", "Base offer, mid-price (prospectus)",
                                                  ["Upsized offer, final price", "Base offer, final price"]),
    "biren_greenshoe_pct": biren_greenshoe_pct,
    "biren_offer_open": _date_claim("biren-hk-ipo", "public_offer_opens"),
    "biren_listing_date": _date_claim("biren-hk-ipo", "listing"),
    "biren_first_hk_gpu": biren_first_hk_gpu,
    "catl_listing_date": catl_listing_date,
}

UNIT_LABEL = {"per_share_cny": "CNY", "times": "×", "percent": "%", "ten_thousand_cny": "万 CNY",
              "hundred_million_cny": "亿 CNY", "trillion_hkd": "tn HK$", "count": "", "year": "", "month": "(month)",
              "days": "days", "minutes": "minutes", "rank": "(rank)", "ranking": "", "boolean": "", "date": ""}


def _fmt(value, unit, decimals=2):
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if unit == "boolean":
        return "yes" if value else "no"
    if unit in ("year", "month", "count", "rank"):
        return f"{value:.0f}"
    return f"{value:,.{decimals}f} {UNIT_LABEL.get(unit, '')}".strip()


def audit_row(f: Facts, claim: pd.Series) -> dict:
    unit, qualifier = claim["stated_unit"], claim["stated_qualifier"]
    decimals = int(claim["stated_decimals"]) if pd.notna(claim["stated_decimals"]) else 0
    base = {"claim_id": claim["claim_id"], "section": claim["section"], "claim": claim["claim"], "excerpt_zh": claim["excerpt_zh"]}
    if pd.notna(claim["stated_date"]) and pd.isna(claim["stated"]):
        stated_value, stated_text = claim["stated_date"], claim["stated_date"].strftime("%Y-%m-%d")
    elif pd.notna(claim["stated"]):
        stated_value = float(claim["stated"])
        stated_text = ("more than " if qualifier == "more_than" else "about " if qualifier == "about" else "") + _fmt(stated_value, unit, decimals)
        if pd.notna(claim["stated_date"]):
            stated_text += f" (by {claim['stated_date']:%Y-%m-%d})"
    else:
        stated_value, stated_text = None, "(superlative)"
    target = claim["target"]
    if pd.isna(target):
        return {**base, "stated": stated_text, "recomputed": "", "difference": "", "verdict": "unverifiable",
                "note": f"Not checkable with this data: {claim['check_against']}", "sources": ""}
    with f.recording() as served:
        result = TARGETS[target](f)
    levels = []
    for reading in result.readings:
        if isinstance(stated_value, pd.Timestamp):
            level = EXACT if reading.value == stated_value else OFF
        else:
            level = match(float(reading.value), stated_value, decimals, qualifier)
        levels.append((reading.natural, level))
    outcome = verdict(levels)
    natural = next(r for r in result.readings if r.natural)
    shown = max(decimals, 2) if unit not in ("count", "year", "month", "rank") else 0
    readings_text = "; ".join(f"{r.label}: {_fmt(r.value, unit, shown)}" for r in result.readings)
    difference = ""
    if isinstance(natural.value, (int, float)) and not isinstance(stated_value, pd.Timestamp) and unit not in ("boolean", "rank"):
        gap = natural.value - stated_value
        difference = "0" if abs(gap) < 0.5 * 10 ** (-shown) else f"{gap:+,.{shown}f}"
    note = f"{readings_text}. {result.note}".strip()
    return {**base, "stated": stated_text, "recomputed": _fmt(natural.value, unit, shown), "difference": difference,
            "verdict": outcome, "note": note, "sources": ",".join(sorted({row.source_id for row in served}))}


def audit(f: Facts, section: str | None = None) -> pd.DataFrame:
    claims = f.rows("claims", **({"section": section} if section else {}))
    table = pd.DataFrame([audit_row(f, claim) for _, claim in claims.iterrows()])
    table.attrs["served"] = f.served(claims)  # the article's claims themselves
    return table


SECTION_TITLES = {"01": "§01 The pricing logic of high-end GPU stocks", "02": "§02 Biren's technology and business",
                  "03": "§03 Conclusion: the Hong Kong market"}


def section_table(f: Facts, section: str) -> pd.DataFrame:
    """The audit of one section of the article, as printed."""
    return audit(f, section).rename(columns={
        "claim_id": "Claim", "claim": "What the article says", "stated": "Stated", "recomputed": "Recomputed",
        "difference": "Difference", "verdict": "Verdict"})[["Claim", "What the article says", "Stated", "Recomputed",
                                                            "Difference", "Verdict"]]


def verdict_chart(f: Facts):
    return chart(audit(f))


def counts(table: pd.DataFrame) -> dict:
    """How many claims got each verdict, and in all (as Facts citing the claims counted)."""
    served = table.attrs.get("served", frozenset())
    tally = {verdict_: Fact(int((table["verdict"] == verdict_).sum()), served, "count") for verdict_ in VERDICTS}
    tally["all"] = Fact(len(table), served, "count")
    return tally


def chart(table: pd.DataFrame):
    import altair as alt

    from .charts import PALETTE

    colours = {"confirmed": PALETTE[2], "rounded": PALETTE[4], "depends-on-definition": PALETTE[1],
               "contradicted": PALETTE[3], "unverifiable": "#8c8c8c"}
    grouped = table.groupby(["section", "verdict"]).size().reset_index(name="claims")
    grouped["section_label"] = "§" + grouped["section"]
    grouped["order"] = grouped["verdict"].map(VERDICTS.index)
    return alt.Chart(grouped).mark_bar().encode(
        x=alt.X("claims:Q", title="Number of claims", stack="zero"),
        y=alt.Y("section_label:N", title="Article section"),
        color=alt.Color("verdict:N", title="Verdict", sort=VERDICTS,
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("section_label:N", title="Section"), alt.Tooltip("verdict:N"), alt.Tooltip("claims:Q")],
    ).properties(height=140, title=alt.Title("Verdicts on the article's claims, by section",
                                              subtitle="Each claim recomputed from the data and judged by a fixed rule"))


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of claims_audit.csv, the audit published as data."""
    return table[["claim_id", "section", "claim", "excerpt_zh", "stated", "recomputed", "difference", "verdict", "note", "sources"]]
