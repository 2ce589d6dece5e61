"""Row rules that a Table Schema cannot state: they relate two cells, or a cell to a vocabulary.

Each rule takes a table's rows (a list of dicts of raw strings) and yields
`(row_index, column, message)`; row_index is 0-based over data rows.
"""
MONEY_UNITS = {"per_share", "million", "hundred_million", "billion"}

# Financial metrics that cannot be negative; profit lines are signed.
NON_NEGATIVE_METRICS = {
    "revenue", "gross_profit", "rd_expense", "rd_share_of_opex", "top5_customer_share", "customers",
    "loss_before_tax", "redemption_liability_charge",
}
# Snapshot figures that can go below zero.
SIGNED_SNAPSHOTS = {"net_current_assets"}


def currency_matches_unit(rows):
    """A money amount needs its currency; a count, share number or ratio must not have one."""
    for i, row in enumerate(rows):
        unit, currency = row.get("unit", ""), row.get("currency", "")
        if unit in MONEY_UNITS and not currency:
            yield i, "currency", f"unit '{unit}' is an amount of money, so a currency is required"
        if unit and unit not in MONEY_UNITS and currency:
            yield i, "currency", f"unit '{unit}' is not money, so currency must be blank (got '{currency}')"


def sign_and_range(rows, metric_column, non_negative):
    for i, row in enumerate(rows):
        try:
            value = float(row["value"])
        except (KeyError, ValueError):
            continue  # the schema check reports it
        if row.get(metric_column) in non_negative and value < 0:
            yield i, "value", f"{row[metric_column]} cannot be negative (got {row['value']})"
        if row.get("unit") == "percent" and value > 100:
            yield i, "value", f"a share in percent cannot exceed 100 (got {row['value']})"


def financials_signs(rows):
    yield from sign_and_range(rows, "metric", NON_NEGATIVE_METRICS)


def snapshot_signs(rows):
    metrics = {row.get("metric") for row in rows} - SIGNED_SNAPSHOTS
    yield from sign_and_range(rows, "metric", metrics)


def source_has_address(rows):
    for i, row in enumerate(rows):
        if not row.get("url") and row.get("kind") != "subject-article":
            yield i, "url", "every source except the subject article needs a URL"


def fx_distinct_currencies(rows):
    for i, row in enumerate(rows):
        if row.get("base_currency") == row.get("quote_currency"):
            yield i, "quote_currency", "base and quote currency are the same"


RULES = {
    "sources": [source_has_address],
    "financials": [currency_matches_unit, financials_signs],
    "company_snapshots": [currency_matches_unit, snapshot_signs],
    "offering_terms": [currency_matches_unit],
    "market_observations": [currency_matches_unit],
    "southbound_flows": [currency_matches_unit],
    "hk_ipo_market": [currency_matches_unit],
    "largest_hk_ipos_2025": [currency_matches_unit],
    "listing_rules": [currency_matches_unit],
    "fx_rates": [fx_distinct_currencies],
}
