"""Dated exchange rates from data/fx_rates.csv; conversions happen here, never in the CSVs."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Rate:
    value: float          # quote currency per unit of base currency
    base: str
    quote: str
    dates: tuple          # dates of the rows the rate was built from
    source_ids: tuple
    methods: tuple
    rows: tuple = ()      # index labels of those rows in the table given


def _nearest(fx: pd.DataFrame, base: str, quote: str, on: pd.Timestamp) -> pd.Series:
    rows = fx[(fx["base_currency"] == base) & (fx["quote_currency"] == quote)]
    if rows.empty:
        raise LookupError(f"no {base}/{quote} rate in fx_rates")
    distance = (rows["date"] - on).abs()
    # Ties go to the earlier date: a rate known on the day is preferred to a later one.
    order = pd.DataFrame({"distance": distance, "date": rows["date"]}).sort_values(["distance", "date"])
    return rows.loc[order.index[0]]


def usd_rate(fx: pd.DataFrame, quote: str, on) -> Rate:
    """Units of `quote` per US dollar, from the row nearest to `on`."""
    row = _nearest(fx, "USD", quote, pd.Timestamp(on))
    return Rate(float(row["quote_amount"] / row["base_amount"]), "USD", quote, (row["date"],),
                (row["source_id"],), (row["method"],), (row.name,))


def cross_rate(fx: pd.DataFrame, base: str, quote: str, on) -> Rate:
    """Units of `quote` per unit of `base`, crossed through the US dollar."""
    if base == quote:
        return Rate(1.0, base, quote, (), (), ())
    legs = [usd_rate(fx, c, on) if c != "USD" else None for c in (base, quote)]
    base_per_usd = legs[0].value if legs[0] else 1.0
    quote_per_usd = legs[1].value if legs[1] else 1.0
    used = [leg for leg in legs if leg]
    return Rate(quote_per_usd / base_per_usd, base, quote,
                tuple(d for leg in used for d in leg.dates),
                tuple(s for leg in used for s in leg.source_ids),
                tuple(m for leg in used for m in leg.methods),
                tuple(r for leg in used for r in leg.rows))
