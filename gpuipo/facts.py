"""Look-ups over the validated tables, returning plain floats in the unit asked for.

Every single-row look-up goes through `Facts.row`, which fails with the file and the key when the
row is missing and records what it served; gpuipo.needs turns that record into the declared list of
facts the chapters need (required_facts.json), which the validator checks before any build.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import data
from .units import convert


def _canonical(value) -> str:
    """A key value as the CSV spells it."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _caller() -> str:
    """The module outside this one that asked for a fact."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals.get("__name__", "?") if frame is not None else "?"


class Facts:
    """One validated data package, with look-ups that fail loudly when a fact is missing."""

    def __init__(self, data_dir: Path | str = data.DATA_DIR):
        self.data_dir = data_dir
        data.validate(data_dir)
        # (table, ((column, value), ...)) -> modules that looked the row up
        self.reads: dict[tuple, set[str]] = defaultdict(set)

    def table(self, name: str) -> pd.DataFrame:
        return self._tables[name]

    @cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        return {name: data.load(name, self.data_dir) for name in data.table_names(self.data_dir)}

    def row(self, table: str, **key) -> pd.Series:
        """The one row of `table` whose columns equal `key` (dates may be given as text)."""
        frame = self.table(table)
        mask = pd.Series(True, index=frame.index)
        spelled = []
        for column, value in key.items():
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                value = pd.Timestamp(value)
            mask &= (frame[column] == value).fillna(False).astype(bool)
            spelled.append((column, _canonical(value)))
        self.reads[(table, tuple(spelled))].add(_caller())
        rows = frame[mask]
        if len(rows) != 1:
            wanted = ", ".join(f"{column}={value!r}" for column, value in spelled)
            raise LookupError(f"data/{table}.csv: expected one row where {wanted}, found {len(rows)}")
        return rows.iloc[0]

    def term_row(self, offering_id: str, term: str) -> pd.Series:
        return self.row("offering_terms", offering_id=offering_id, term=term)

    def term(self, offering_id: str, term: str, unit: str | None = None) -> float:
        row = self.term_row(offering_id, term)
        return convert(row["value"], row["unit"], unit) if unit else float(row["value"])

    def has_term(self, offering_id: str, term: str) -> bool:
        t = self.table("offering_terms")
        return bool(((t["offering_id"] == offering_id) & (t["term"] == term)).any())

    def date(self, offering_id: str, event: str) -> pd.Timestamp:
        return self.row("offering_dates", offering_id=offering_id, event=event)["date"]

    def fin_row(self, company: str, period: str, metric: str) -> pd.Series:
        return self.row("financials", company_id=company, period=period, metric=metric)

    def fin(self, company: str, period: str, metric: str, unit: str = "million") -> float:
        row = self.fin_row(company, period, metric)
        if row["unit"] in ("percent", "count"):
            return float(row["value"])
        return convert(row["value"], row["unit"], unit)

    def obs_row(self, company: str, date, kind: str, measure: str) -> pd.Series:
        return self.row("market_observations", company_id=company, date=date, kind=kind, measure=measure)

    def obs(self, company: str, date, kind: str, measure: str = "price", unit: str | None = None) -> float:
        row = self.obs_row(company, date, kind, measure)
        return convert(row["value"], row["unit"], unit) if unit else float(row["value"])

    def snapshot_row(self, company: str, metric: str, as_of=None) -> pd.Series:
        if as_of is None:
            return self.row("company_snapshots", company_id=company, metric=metric)
        return self.row("company_snapshots", company_id=company, metric=metric, as_of=as_of)

    def snapshot(self, company: str, metric: str, as_of=None, unit: str | None = None) -> float:
        row = self.snapshot_row(company, metric, as_of)
        return convert(row["value"], row["unit"], unit) if unit else float(row["value"])

    def index_close(self, index_id: str, date) -> float:
        return float(self.row("index_levels", index_id=index_id, date=date)["close"])

    def company(self, company_id: str) -> pd.Series:
        return self.row("companies", company_id=company_id)

    def name(self, company_id: str) -> str:
        """English name with the Chinese name beside it, e.g. 'Biren Technology 壁仞科技'."""
        row = self.company(company_id)
        return row["name_en"] if row["name_zh"] == row["name_en"] else f"{row['name_en']} {row['name_zh']}"
