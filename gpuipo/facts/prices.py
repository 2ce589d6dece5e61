"""Daily prices after the listing, on a stated basis (shared look-ups for the chapters).

A source may store a share's early prices split-adjusted (Iluvatar CoreX's before its 2026 share split)
and its later ones as traded. Two bases are never mixed: `traded` gives each day's prices as they traded
(stored × to_traded), `comparable` gives every day on the latest share basis, the one returns and charts
need. The validator guarantees that adjusted rows come before a company's traded rows, so the stored
prices are already on the latest basis throughout.
"""
from __future__ import annotations

import pandas as pd

from gpuipo.facts import Fact, Facts

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


def closes(f: Facts, company: str, basis: str = "comparable") -> pd.Series:
    """A company's closing prices by trading day, on `basis`; its name says which rows it came from (see
    `over`). The rows are not carried in `attrs`, which pandas deep-copies on every slice."""
    return stock(f, company, basis).set_index("date")["close"].rename(("stock_daily", "company_id", company))


def close_on(f: Facts, company: str, day, basis: str = "comparable") -> Fact:
    """One day's close as a Fact citing that day's row."""
    row = f.row("stock_daily", company_id=company, date=day)
    factor = row["to_traded"] if basis == "traded" else 1.0
    return Fact(row["close"] * factor, f.served(row), f"{row['currency']} per share")


def to_comparable(f: Facts, company: str, traded_price: Fact) -> Fact:
    """A price as traded on the company's first stored day (its offer price, say), on the comparable basis."""
    first = f.rows("stock_daily", company_id=company, record=False).sort_values("date").iloc[0]
    first.attrs["table"] = "stock_daily"
    return traded_price / Fact(first["to_traded"], f.served(first))


def index_closes(f: Facts, index_id: str) -> pd.Series:
    return index(f, index_id).set_index("date")["close"].rename(("index_daily", "index_id", index_id))


def index_close_on(f: Facts, index_id: str, day) -> Fact:
    row = f.row("index_daily", index_id=index_id, date=day)
    return Fact(row["close"], f.served(row), "index points")


def over(f: Facts, value: float, *stretches) -> Fact:
    """A value computed from stretches of daily series, each (series, start, end), citing their rows."""
    served = frozenset()
    for series, start, end in stretches:
        table, column, key = series.name
        rows = f.rows(table, record=False, **{column: key},
                      where=lambda t: t["date"].between(pd.Timestamp(start), pd.Timestamp(end)))
        served |= f.served(rows)
    return Fact(value, served)
