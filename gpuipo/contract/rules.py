"""Rules a Table Schema cannot state: they relate two cells, two rows or two tables.

They run on cells already parsed strictly (validation.py), so a number cell is a plain decimal.
A row rule takes one table's rows (dicts of raw strings) and yields `(row_index, column, message)`;
a package rule takes every table's rows and yields `(table, row_index, column, message)`.
row_index is 0-based over data rows.
"""
import re
from calendar import monthrange
from collections import defaultdict
from datetime import date

from gpuipo.contract.series import (above_zero, adjusted_rows_come_first, amount_in_base_unit, basis_states_its_factor,
                                    one_scale_per_series, one_unit_kind_per_series, period_end, prices_above_zero,
                                    within_the_day_range)
from gpuipo.contract.vocabulary import (DATA_HORIZON, KIND_GRADES, MONEY_KINDS, OBSERVED_DATE_COLUMNS,
                                        PERCENT_OF_WHOLE_TABLES, PERIOD_END, SPECIALIST_KIND_TABLES, TABLE_KINDS, UNITS)

# Financial metrics that cannot be negative; profit lines are signed.
NON_NEGATIVE_METRICS = {
    "revenue", "gross_profit", "rd_expense", "rd_share_of_opex", "top5_customer_share", "customers",
    "loss_before_tax", "redemption_liability_charge", "capital_expenditure", "cash_burn_rate_stated",
}
# Snapshot figures that can go below zero.
SIGNED_SNAPSHOTS = {"net_current_assets"}  # (total_liabilities exceeding total_assets shows as a deficit in the text)
# The company whose founding is on record (biren_milestones, product 'company').
FOUNDING_MILESTONES = {"biren": "company"}


def _is_money(unit: str) -> bool:
    return UNITS.get(unit, ("", None))[0] in MONEY_KINDS


def currency_matches_unit(rows):
    """A money amount needs its currency; a count, share number or ratio must not have one."""
    for i, row in enumerate(rows):
        unit, currency = row.get("unit", ""), row.get("currency", "")
        if _is_money(unit) and not currency:
            yield i, "currency", f"unit '{unit}' is an amount of money, so a currency is required"
        if unit and not _is_money(unit) and currency:
            yield i, "currency", f"unit '{unit}' is not money, so currency must be blank (got '{currency}')"


def _signs(rows, metric_column, non_negative):
    for i, row in enumerate(rows):
        if row.get(metric_column) in non_negative and float(row["value"]) < 0:
            yield i, "value", f"{row[metric_column]} cannot be negative (got {row['value']})"


def financials_signs(rows):
    yield from _signs(rows, "metric", NON_NEGATIVE_METRICS)


def snapshot_signs(rows):
    yield from _signs(rows, "metric", {row["metric"] for row in rows} - SIGNED_SNAPSHOTS)


# Percent values that are changes, not shares of a whole, and so may exceed 100.
PERCENT_CHANGE_METRICS = {"revenue_growth_stated"}


def percent_of_a_whole(rows):
    for i, row in enumerate(rows):
        change = row.get("metric", row.get("term")) in PERCENT_CHANGE_METRICS
        if row.get("unit") == "percent" and not change and not 0 <= float(row["value"]) <= 100:
            yield i, "value", f"a share in percent lies between 0 and 100 (got {row['value']})"


# Addresses a reader cannot open: university library proxies and campus VPN gateways.
PROXY_HOST = re.compile(r"^https?://[^/]*(proxy|ezproxy|idm\.oclc\.org|webvpn)[^/]*/", re.IGNORECASE)


def source_has_address(rows):
    for i, row in enumerate(rows):
        if not row.get("url") and row.get("kind") != "subject-article":
            yield i, "url", "every source except the subject article needs a URL"
        elif PROXY_HOST.match(row.get("url", "")):
            yield i, "url", "a library proxy or VPN address no reader can open: give the document's own address"


def dated_or_explained(rows):
    for i, row in enumerate(rows):
        if len(row["published"]) != 10 and not row["undated_reason"]:
            yield i, "undated_reason", ("the source has no day of publication, so say why (and give each row citing it a "
                                        "known_from date)")


def grade_fits_kind(rows):
    """A grade says what the document is, so it must agree with its kind (press is B or C)."""
    for i, row in enumerate(rows):
        allowed = KIND_GRADES.get(row["kind"], "")
        if row["grade"] not in allowed:
            yield i, "grade", f"a {row['kind']} document is graded {' or '.join(allowed)}, not {row['grade']}"


def fx_distinct_currencies(rows):
    for i, row in enumerate(rows):
        if row.get("base_currency") == row.get("quote_currency"):
            yield i, "quote_currency", "base and quote currency are the same"


def _latest_day(published: str) -> date:
    """The last day a partial publication date (YYYY or YYYY-MM) can stand for."""
    year = int(published[:4])
    if len(published) == 4:
        return date(year, 12, 31)
    month = int(published[5:7])
    if len(published) == 7:
        return date(year, month, monthrange(year, month)[1])
    return date.fromisoformat(published)


def _earliest_day(published: str) -> date:
    return date(int(published[:4]), int(published[5:7]) if len(published) >= 7 else 1,
                int(published[8:10]) if len(published) == 10 else 1)


def sources_not_from_the_future(tables):
    for i, row in enumerate(tables["sources"]):
        if not row["published"]:
            continue
        try:
            earliest = _earliest_day(row["published"])
        except ValueError:
            yield "sources", i, "published", f"{row['published']!r} is not a real date"
            continue
        if earliest > DATA_HORIZON:
            yield "sources", i, "published", f"{row['published']} is after the data horizon {DATA_HORIZON}"


def observed_before_published(tables):
    """A document cannot report a price, level or figure dated after it was published."""
    published = {row["source_id"]: row["published"] for row in tables["sources"]}
    for table, column in OBSERVED_DATE_COLUMNS.items():
        for i, row in enumerate(tables[table]):
            when = published.get(row["source_id"], "")
            try:
                latest = _latest_day(when) if when else None
            except ValueError:
                continue  # reported by sources_not_from_the_future
            if latest and date.fromisoformat(row[column]) > latest:
                yield table, i, column, (f"{row[column]} is after its source '{row['source_id']}' was published "
                                         f"({when}): a document cannot report what had not happened")


def known_from_when_undated(tables):
    """A row whose source has no day of its own must say when its value became public."""
    day_dated = {row["source_id"] for row in tables["sources"] if len(row["published"]) == 10}
    for table, rows in tables.items():
        for i, row in enumerate(rows):
            if "known_from" in row and not row["known_from"] and row["source_id"] not in day_dated:
                yield table, i, "known_from", (f"source '{row['source_id']}' has no day of publication, so this row "
                                               "needs the first day its value was public")


def known_after_it_happened(tables):
    """Nothing observed is public before the day it refers to."""
    for table, column in list(OBSERVED_DATE_COLUMNS.items()) + [("financials", "period")]:
        for i, row in enumerate(tables[table]):
            refers_to = PERIOD_END[row["period"]] if column == "period" else row[column]
            if row["known_from"] and row["known_from"] < refers_to:
                yield table, i, "known_from", f"{row['known_from']} is before the {refers_to} the value refers to"


def source_kind_fits_table(tables):
    kinds = {row["source_id"]: row["kind"] for row in tables["sources"]}
    for table, rows in tables.items():
        if table == "sources":
            continue
        for i, row in enumerate(rows):
            kind = kinds.get(row.get("source_id", ""))
            allowed_tables = SPECIALIST_KIND_TABLES.get(kind)
            if allowed_tables is not None and table not in allowed_tables:
                yield table, i, "source_id", (f"source '{row['source_id']}' (kind {kind}) is no authority for "
                                              f"{table}.csv, only for {', '.join(sorted(allowed_tables))}")
            elif table in TABLE_KINDS and kind not in TABLE_KINDS[table]:
                yield table, i, "source_id", (f"{table}.csv takes only sources of kind "
                                              f"{', '.join(sorted(TABLE_KINDS[table]))}; '{row['source_id']}' is of kind {kind}")


def corroboration_is_independent(tables):
    """A named corroboration is a second document from another publisher, on a row marked corroborated."""
    publisher = {row["source_id"]: row["publisher"].strip().casefold() for row in tables["sources"]}
    for table, rows in tables.items():
        for i, row in enumerate(rows):
            second = row.get("corroborated_by", "")
            if not second or second not in publisher:
                continue
            if row.get("reliability") != "corroborated":
                yield table, i, "reliability", f"the row names a corroborating source ('{second}'), so it is corroborated"
            if second == row["source_id"] or publisher[second] == publisher.get(row["source_id"]):
                yield table, i, "corroborated_by", (f"'{second}' is not independent of '{row['source_id']}' "
                                                    "(same document or same publisher)")


def listing_after_founding(tables):
    founded = {}
    for row in tables["biren_milestones"]:
        for company, product in FOUNDING_MILESTONES.items():
            if row["product"] == product:
                founded[company] = min(founded.get(company, row["date"]), row["date"])
    company_of = {row["offering_id"]: row["company_id"] for row in tables["offerings"]}
    for i, row in enumerate(tables["offering_dates"]):
        company = company_of.get(row["offering_id"])
        if company in founded and row["date"] < founded[company]:
            yield "offering_dates", i, "date", (f"{row['event']} on {row['date']} is before {company} was founded "
                                                f"({founded[company]}, biren_milestones.csv)")


def offer_price_within_range(tables):
    terms = defaultdict(dict)
    for i, row in enumerate(tables["offering_terms"]):
        terms[row["offering_id"]][row["term"]] = (i, float(row["value"]))
    for offering, found in terms.items():
        if {"offer_price", "price_low", "price_high"} <= set(found):
            i, price = found["offer_price"]
            low, high = found["price_low"][1], found["price_high"][1]
            if not low <= price <= high:
                yield "offering_terms", i, "value", f"the offer price {price:g} is outside the range {low:g}-{high:g}"
            if low > high:
                yield "offering_terms", found["price_low"][0], "value", f"price_low {low:g} is above price_high {high:g}"


ROW_RULES = {
    "sources": [source_has_address, dated_or_explained, grade_fits_kind],
    "financials": [currency_matches_unit, financials_signs, one_unit_kind_per_series,
                   one_scale_per_series(lambda r: (r["company_id"], r["metric"]), period_end, amount_in_base_unit,
                                        when=lambda r: r["period"])],
    "company_snapshots": [currency_matches_unit, snapshot_signs, one_unit_kind_per_series,
                          one_scale_per_series(lambda r: (r["company_id"], r["metric"]), lambda r: r["as_of"],
                                               amount_in_base_unit)],
    "offering_terms": [currency_matches_unit, prices_above_zero],
    "market_observations": [currency_matches_unit, above_zero("value"),
                            one_scale_per_series(lambda r: (r["company_id"], r["measure"], r["currency"]), lambda r: r["date"],
                                                 amount_in_base_unit)],
    "index_levels": [above_zero("close"), one_scale_per_series(lambda r: (r["index_id"],), lambda r: r["date"],
                                                               lambda r: float(r["close"]), "close")],
    "southbound_flows": [currency_matches_unit],
    "hk_ipo_market": [currency_matches_unit],
    "largest_hk_ipos_2025": [currency_matches_unit],
    "listing_rules": [currency_matches_unit],
    "stock_daily": [above_zero("open", "high", "low", "close", "to_traded"), within_the_day_range, basis_states_its_factor,
                    adjusted_rows_come_first,
                    one_scale_per_series(lambda r: (r["company_id"],), lambda r: r["date"], lambda r: float(r["close"]),
                                         "close")],
    "index_daily": [above_zero("open", "high", "low", "close"), within_the_day_range,
                    one_scale_per_series(lambda r: (r["index_id"],), lambda r: r["date"], lambda r: float(r["close"]), "close")],
    "fx_rates": [fx_distinct_currencies, above_zero("base_amount", "quote_amount"),
                 one_scale_per_series(lambda r: (r["base_currency"], r["quote_currency"]), lambda r: r["date"],
                                      lambda r: float(r["quote_amount"]) / float(r["base_amount"]), "quote_amount")],
}
for _table in PERCENT_OF_WHOLE_TABLES:
    ROW_RULES[_table].append(percent_of_a_whole)

PACKAGE_RULES = [sources_not_from_the_future, observed_before_published, known_from_when_undated, known_after_it_happened,
                 source_kind_fits_table, corroboration_is_independent, listing_after_founding,
                 offer_price_within_range]
