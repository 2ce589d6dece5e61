"""The claims audit: recompute each claim of the article from the data and give it a verdict by one rule.

The rule (also in the methodology, and tested as properties in tests/test_claims.py):
- a figure is read against the data with one tolerance per qualifier (gpuipo.shared.reading: "about", "nearly",
  "more than", or the printed precision);
- confirmed: the natural reading matches; rounded: it matches only after rounding to a coarser power
  of ten than printed; depends-on-definition: the natural reading misses and another stated reading
  matches; contradicted: no reading matches, or one counter-example in the data refutes a superlative;
- a superlative is confirmed only against a complete set; true of an incomplete one, it is not yet sourced;
- confirming needs sources of authority: every row behind the matching reading comes from a grade A or
  B document, or from two independent grade C documents (facts.well_sourced); else not yet sourced;
- offer-structure percentages are read on the issuer's own disclosure basis for every deal
  (deals.issuer_basis_share);
- a company statement is what only the company could know; a claim the data cannot reach yet is not
  yet sourced.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gpuipo.facts import metrics
from gpuipo.shared.deals import cornerstone_denominators, issuer_basis_share, prospectus_price
from gpuipo.facts import Fact, Facts, served_by, well_sourced
from gpuipo.shared.reading import EXACT, OFF, ROUNDED, match
from gpuipo.facts.units import convert
from gpuipo.contract.vocabulary import VERDICTS

CONFIRMED, ROUNDED_VERDICT, DEPENDS, CONTRADICTED, COMPANY_STATEMENT, NOT_YET_SOURCED = VERDICTS


@dataclass
class Reading:
    label: str
    value: object            # a Fact (it carries its rows), or a date or flag with its rows in `served`
    natural: bool = False
    served: frozenset | None = None

    def rows(self) -> frozenset:
        return self.served if self.served is not None else served_by(self.value)


@dataclass
class Recomputed:
    """The readings of one claim. For a superlative, `complete` says whether the set compared is every
    member there is (only then can it be confirmed); `note` explains the readings."""
    readings: list[Reading]
    note: str = ""
    complete: bool = True


@dataclass(frozen=True)
class Judged:
    """One reading's match and whether its rows meet the bar for confirming."""
    natural: bool
    level: str
    well_sourced: bool = True


def verdict(judged: list[Judged], kind: str = "figure", complete: bool = True) -> str:
    """The verdict on the fixed scale (vocabulary.VERDICTS) from the judged readings of one claim."""
    if kind == "company-statement":
        return COMPANY_STATEMENT
    if not judged:
        return NOT_YET_SOURCED
    natural = next((j for j in judged if j.natural), Judged(True, OFF))
    if natural.level in (EXACT, ROUNDED):
        if kind == "superlative" and not complete or not natural.well_sourced:
            return NOT_YET_SOURCED
        return CONFIRMED if natural.level == EXACT else ROUNDED_VERDICT
    others = [j for j in judged if not j.natural and j.level in (EXACT, ROUNDED)]
    if others:
        return DEPENDS if any(j.well_sourced for j in others) else NOT_YET_SOURCED
    return CONTRADICTED


# --- recomputations, one per `target` key in claims.csv -------------------------------------------

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
    return Recomputed([Reading(f"lowest of the totals bracketing 15 Dec ({before['as_of']:%d %b}, {after['as_of']:%d %b})", bound, True)],
                      "No figure for 15 December itself; net buying kept rising between the bracketing dates.")


def southbound_since_launch(f):
    row = f.rows("southbound_flows", measure="since_launch", record=False).sort_values("value").iloc[-1]
    value = Fact(row["value"] / 1000, f.served(row, table="southbound_flows"))
    return Recomputed([Reading(f"cumulative since launch ({row['as_of']:%d %b %Y})", value, True)])


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
    names = ", ".join(f"{c} ({d:%d %b %Y})" for c, d in zip(listings["company_id"], listings["date"]))
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
                counter.append((f"on {day:%d %b} {lower} was worth more than {upper}", [values[lower][day], values[upper][day]]))
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

UNIT_LABEL = {"per_share_cny": "CNY", "times": "×", "percent": "%", "ten_thousand_cny": "万 CNY",
              "hundred_million_cny": "亿 CNY", "trillion_hkd": "tn HK$", "count": "", "year": "", "month": "(month)",
              "days": "days", "minutes": "minutes", "rank": "(rank)", "ranking": "", "boolean": "", "date": ""}


def _fmt(value, unit, decimals=2):
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if unit in ("boolean", "ranking"):
        return "yes" if value else "no"
    if unit in ("year", "month", "count", "rank"):
        return f"{value:.0f}"
    return f"{value:,.{decimals}f} {UNIT_LABEL.get(unit, '')}".strip()


def _lowest_grade(rows) -> str:
    return max((row.grade for row in rows), default="")   # "D" sorts after "A"


def _grades_of(reading: Reading) -> str:
    return "/".join(sorted({row.grade for row in reading.rows()}))


def _why_not_yet_sourced(kind, complete, readings: list[Reading], judged: list[Judged]) -> str:
    """The reason a recomputed claim is not yet sourced, in words."""
    natural = next(j for j in judged if j.natural)
    if natural.level in (EXACT, ROUNDED) and kind == "superlative" and not complete:
        return "A superlative is confirmed only against a complete set, and the data's set is not complete."
    bar = "confirming needs a grade A or B source or two independent grade C sources"
    if natural.level in (EXACT, ROUNDED):
        reading = readings[judged.index(natural)]
        return f"The data agree, but on sources of grade {_grades_of(reading)}, not all of which meet the bar: {bar}."
    matching = [r for r, j in zip(readings, judged) if not j.natural and j.level in (EXACT, ROUNDED)]
    return (f"Another reading ({matching[0].label}) matches, but on sources of grade {_grades_of(matching[0])}, "
            f"not all of which meet the bar: {bar}.")


def audit_row(f: Facts, claim: pd.Series) -> dict:
    unit, qualifier, kind = claim["stated_unit"], claim["stated_qualifier"], claim["claim_kind"]
    decimals = int(claim["stated_decimals"]) if pd.notna(claim["stated_decimals"]) else 0
    base = {"claim_id": claim["claim_id"], "section": claim["section"], "claim": claim["claim"], "excerpt_zh": claim["excerpt_zh"],
            "kind": kind}
    if pd.notna(claim["stated_date"]) and pd.isna(claim["stated"]):
        stated_value, stated_text = claim["stated_date"], claim["stated_date"].strftime("%Y-%m-%d")
    elif pd.notna(claim["stated"]):
        stated_value = float(claim["stated"])
        words = {"more_than": "more than ", "about": "about ", "nearly": "nearly "}
        stated_text = words.get(qualifier, "") + _fmt(stated_value, unit, decimals)
        if pd.notna(claim["stated_date"]):
            stated_text += f" (by {claim['stated_date']:%Y-%m-%d})"
    else:
        stated_value, stated_text = None, "(superlative)"
    target = claim["target"]
    if kind == "company-statement" or pd.isna(target):
        outcome = verdict([], kind)
        reason = "A company statement" if outcome == COMPANY_STATEMENT else "Not yet sourced"
        return {**base, "stated": stated_text, "recomputed": "", "difference": "", "verdict": outcome,
                "note": f"{reason}: {claim['check_against']}", "lowest_grade": "", "sources": ""}
    with f.recording() as served:
        result = TARGETS[target](f)
    judged = []
    for reading in result.readings:
        if isinstance(stated_value, pd.Timestamp):
            level = EXACT if reading.value == stated_value else OFF
        elif stated_value is None:   # a superlative without a number: the reading says whether it holds
            level = EXACT if reading.value else OFF
        else:
            level = match(float(reading.value), stated_value, decimals, qualifier)
        judged.append(Judged(reading.natural, level, well_sourced(reading.rows())))
    outcome = verdict(judged, kind, result.complete)
    index = next(i for i, r in enumerate(result.readings) if r.natural)
    natural = result.readings[index]
    shown = max(decimals, 2) if unit not in ("count", "year", "month", "rank") else 0
    readings_text = "; ".join(f"{r.label}: {_fmt(r.value, unit, shown)}" for r in result.readings)
    difference = ""
    if isinstance(natural.value, (int, float)) and isinstance(stated_value, float) and unit not in ("boolean", "rank"):
        gap = float(natural.value) - stated_value
        difference = "0" if abs(gap) < 0.5 * 10 ** (-shown) else f"{gap:+,.{shown}f}"
    why = _why_not_yet_sourced(kind, result.complete, result.readings, judged) if outcome == NOT_YET_SOURCED else ""
    note = " ".join(part for part in (f"{readings_text}.", result.note, why) if part)
    return {**base, "stated": stated_text, "recomputed": _fmt(natural.value, unit, shown), "difference": difference,
            "verdict": outcome, "note": note, "lowest_grade": _lowest_grade(natural.rows()),
            "sources": ",".join(sorted({row.source_id for row in served}))}


def audit(f: Facts, section: str | None = None) -> pd.DataFrame:
    claims = f.rows("claims", **({"section": section} if section else {}))
    table = pd.DataFrame([audit_row(f, claim) for _, claim in claims.iterrows()])
    table.attrs["served"] = f.served(claims)  # the article's claims themselves
    return table


SECTION_TITLES = {"01": "§01 The pricing logic of high-end GPU stocks", "02": "§02 Biren's technology and business",
                  "03": "§03 Conclusion: the Hong Kong market"}


def section_table(f: Facts, section: str) -> pd.DataFrame:
    """The audit of one section of the article, as printed (the difference and the notes are in
    claims_audit.csv and under "Claims that are not confirmed")."""
    return audit(f, section).rename(columns={
        "claim_id": "Claim", "claim": "What the article says", "stated": "Stated", "recomputed": "Recomputed",
        "verdict": "Verdict", "lowest_grade": "Grade"})[
        ["Claim", "What the article says", "Stated", "Recomputed", "Grade", "Verdict"]]


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

    from gpuipo.shared.style import PALETTE

    colours = {"confirmed": PALETTE[2], "rounded": PALETTE[4], "depends-on-definition": PALETTE[1],
               "contradicted": PALETTE[3], "company statement": "#b07aa1", "not yet sourced": "#8c8c8c"}
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
    return table[["claim_id", "section", "kind", "claim", "excerpt_zh", "stated", "recomputed", "difference", "verdict",
                  "lowest_grade", "note", "sources"]]
