"""Look-ups over the validated tables, returning plain floats in the unit asked for."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from . import data
from .units import convert


class Facts:
    """One validated data package, with look-ups that fail loudly when a fact is missing."""

    def __init__(self, data_dir: Path | str = data.DATA_DIR):
        self.data_dir = data_dir
        data.validate(data_dir)

    def table(self, name: str) -> pd.DataFrame:
        return self._tables[name]

    @cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        return {name: data.load(name, self.data_dir) for name in data.table_names(self.data_dir)}

    @staticmethod
    def _one(frame: pd.DataFrame, what: str) -> pd.Series:
        if len(frame) != 1:
            raise LookupError(f"expected one row for {what}, found {len(frame)}")
        return frame.iloc[0]

    def term_row(self, offering_id: str, term: str) -> pd.Series:
        t = self.table("offering_terms")
        return self._one(t[(t["offering_id"] == offering_id) & (t["term"] == term)], f"{offering_id}/{term}")

    def term(self, offering_id: str, term: str, unit: str | None = None) -> float:
        row = self.term_row(offering_id, term)
        return convert(row["value"], row["unit"], unit) if unit else float(row["value"])

    def has_term(self, offering_id: str, term: str) -> bool:
        t = self.table("offering_terms")
        return bool(((t["offering_id"] == offering_id) & (t["term"] == term)).any())

    def date(self, offering_id: str, event: str) -> pd.Timestamp:
        t = self.table("offering_dates")
        return self._one(t[(t["offering_id"] == offering_id) & (t["event"] == event)], f"{offering_id}/{event}")["date"]

    def fin_row(self, company: str, period: str, metric: str) -> pd.Series:
        t = self.table("financials")
        return self._one(t[(t["company_id"] == company) & (t["period"] == period) & (t["metric"] == metric)],
                         f"{company}/{period}/{metric}")

    def fin(self, company: str, period: str, metric: str, unit: str = "million") -> float:
        row = self.fin_row(company, period, metric)
        if row["unit"] in ("percent", "count"):
            return float(row["value"])
        return convert(row["value"], row["unit"], unit)

    def obs_row(self, company: str, date, kind: str, measure: str) -> pd.Series:
        t = self.table("market_observations")
        return self._one(t[(t["company_id"] == company) & (t["date"] == pd.Timestamp(date)) & (t["kind"] == kind)
                           & (t["measure"] == measure)], f"{company}/{date}/{kind}/{measure}")

    def obs(self, company: str, date, kind: str, measure: str = "price", unit: str | None = None) -> float:
        row = self.obs_row(company, date, kind, measure)
        return convert(row["value"], row["unit"], unit) if unit else float(row["value"])

    def snapshot_row(self, company: str, metric: str, as_of=None) -> pd.Series:
        t = self.table("company_snapshots")
        rows = t[(t["company_id"] == company) & (t["metric"] == metric)]
        if as_of is not None:
            rows = rows[rows["as_of"] == pd.Timestamp(as_of)]
        return self._one(rows, f"{company}/{metric}/{as_of}")

    def snapshot(self, company: str, metric: str, as_of=None, unit: str | None = None) -> float:
        row = self.snapshot_row(company, metric, as_of)
        return convert(row["value"], row["unit"], unit) if unit else float(row["value"])

    def index_close(self, index_id: str, date) -> float:
        t = self.table("index_levels")
        return float(self._one(t[(t["index_id"] == index_id) & (t["date"] == pd.Timestamp(date))],
                               f"{index_id}/{date}")["close"])

    def company(self, company_id: str) -> pd.Series:
        t = self.table("companies")
        return self._one(t[t["company_id"] == company_id], company_id)

    def name(self, company_id: str) -> str:
        """English name with the Chinese name beside it, e.g. 'Biren Technology 壁仞科技'."""
        row = self.company(company_id)
        return row["name_en"] if row["name_zh"] == row["name_en"] else f"{row['name_en']} {row['name_zh']}"
