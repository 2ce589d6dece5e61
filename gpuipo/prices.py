"""Daily prices after the listing, on a stated basis (shared look-ups for the chapters).

A source may store a share's early prices split-adjusted (Iluvatar CoreX's before its 2026 share split)
and its later ones as traded. Two bases are never mixed: `traded` gives each day's prices as they traded
(stored × to_traded), `comparable` gives every day on the latest share basis, the one returns and charts
need. The validator guarantees that adjusted rows come before a company's traded rows, so the stored
prices are already on the latest basis throughout.
"""
from __future__ import annotations

import pandas as pd

from .facts import Facts

PRICE_COLUMNS = ["open", "high", "low", "close"]
BASES = ("traded", "comparable")


def stock(f: Facts, company: str, basis: str) -> pd.DataFrame:
    """One company's daily rows (date, open, high, low, close, volume, turnover, currency) on `basis`."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    rows = f.rows("stock_daily", company_id=company).sort_values("date")
    if rows.empty:
        raise LookupError(f"data/stock_daily.csv: no rows for company_id={company!r}")
    out = rows[["date", *PRICE_COLUMNS, "volume", "turnover", "currency"]].copy()
    if basis == "traded":
        for column in PRICE_COLUMNS:
            out[column] = rows[column] * rows["to_traded"]
    out.attrs["basis"] = basis
    return out.reset_index(drop=True)


def index(f: Facts, index_id: str) -> pd.DataFrame:
    rows = f.rows("index_daily", index_id=index_id).sort_values("date")
    if rows.empty:
        raise LookupError(f"data/index_daily.csv: no rows for index_id={index_id!r}")
    return rows[["date", *PRICE_COLUMNS, "turnover"]].reset_index(drop=True)
