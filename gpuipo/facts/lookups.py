"""`Facts`: look-ups over the validated tables, each serving rows with their provenance (source, as-of
day, first public day, grade), optionally as known on a given day."""
from __future__ import annotations

import sys
from collections import defaultdict
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import pandas as pd

from gpuipo.contract import loader as data
from gpuipo.contract.vocabulary import AS_OF_COLUMNS, MONEY_KINDS, PERIOD_END, UNITS
from gpuipo.facts.dates import data_as_of, iso_day as _day, latest_day, written
from gpuipo.facts.units import convert
from gpuipo.facts.values import Fact, Served, Text


def _caller() -> str:
    """The module outside this one that asked for a fact."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals.get("__name__", "?") if frame is not None else "?"


class _Tables(dict):
    """The tables a Facts serves, each loaded on first use: what a page reads is only what it asks for
    (gpuipo.reads records it, and the build re-executes the page when that changes)."""

    def __init__(self, facts: Facts):
        super().__init__()
        self._facts = facts

    def __missing__(self, name: str):
        self[name] = self._facts._table(name)
        return self[name]

    def every_table(self) -> _Tables:
        for name in data.table_names(self._facts.data_dir):
            self[name]
        return self


class Facts:
    """One validated data package, with look-ups that fail loudly when a fact is missing."""

    def __init__(self, data_dir: Path | str = data.DATA_DIR, as_known_on=None):
        self.data_dir = data_dir
        self.as_known_on = _day(as_known_on) if as_known_on is not None else None
        self._package = data.package(data_dir)
        # (table, ((column, value), ...)) -> modules that looked the row up (see tools/needs.py)
        self.reads: dict[tuple, set[str]] = defaultdict(set)
        self._recorders: list[set] = []

    # --- tables and the provenance of their rows ---------------------------------------------------

    @cached_property
    def _published(self) -> dict[str, str]:
        sources = self._tables["sources"][0]
        return {s: p for s, p in zip(sources["source_id"], sources["published"].fillna(""))}

    @cached_property
    def _grades(self) -> dict[str, str]:
        sources = self._tables["sources"][0]
        return dict(zip(sources["source_id"], sources["grade"]))

    def _provenance(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The key, source, as-of day and first public day of every row of a table."""
        key = data.schema_of(name, self.data_dir)["schema"]["primaryKey"]
        published = frame["source_id"].map(lambda s: latest_day(self._published[s]) if self._published.get(s) else "")
        column = AS_OF_COLUMNS.get(name)
        if column == "period":
            as_of = frame["period"].map(PERIOD_END)
        elif column:
            as_of = frame[column].map(_day)
        else:
            as_of = published  # a registry row (a company, an offering) is as of its document
        # A row's own known_from (for a document with no date of its own) overrides its source's date.
        known_from = published
        if "known_from" in frame:
            own = frame["known_from"].map(lambda d: _day(d) if pd.notna(d) else "")
            known_from = own.where(own != "", published)
        keys = list(zip(*(frame[k].map(lambda v: _day(v) if isinstance(v, pd.Timestamp) else str(v)) for k in key)))
        second = frame["corroborated_by"].fillna("") if "corroborated_by" in frame else pd.Series("", index=frame.index)
        return pd.DataFrame({"key": keys, "source_id": frame["source_id"], "as_of": as_of, "known_from": known_from,
                             "grade": frame["source_id"].map(self._grades), "corroborated_by": second,
                             "second_grade": second.map(lambda s: self._grades.get(s, ""))}, index=frame.index)

    @cached_property
    def _tables(self) -> _Tables:
        return _Tables(self)

    def _table(self, name: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """A table as this object serves it: its rows visible on its day, with their provenance (none for
        the source registry, a reference list)."""
        frame = data.load(name, self.data_dir)
        if name == "sources":
            return frame, None
        provenance = self._provenance(name, frame)
        if self.as_known_on:
            visible = provenance["known_from"] <= self.as_known_on
            frame, provenance = frame[visible], provenance[visible]
        return frame, provenance

    @staticmethod
    def _served_rows(name: str, provenance: pd.DataFrame) -> frozenset:
        return frozenset(Served(name, r.key, r.source_id, r.as_of, r.known_from, r.grade, r.corroborated_by,
                                r.second_grade) for r in provenance.itertuples())

    def _serve(self, name: str, index) -> frozenset:
        provenance = self._tables[name][1]
        if provenance is None:
            return frozenset()
        served = self._served_rows(name, provenance.loc[list(index)])
        for recorder in self._recorders:
            recorder.update(served)
        return served

    def every_row(self) -> frozenset:
        """Every row this object can serve, of every table (not recorded as used): for the rules that look
        at the whole package, such as what it is as of."""
        return frozenset().union(*(self._served_rows(name, provenance) for name, (_, provenance)
                                   in self._tables.every_table().items() if provenance is not None))

    def data_as_of(self) -> str:
        """The package's "as of" (gpuipo.facts.dates.data_as_of over every row): the latest day an observation
        public by this object's day refers to."""
        return data_as_of(self.every_row())

    @contextmanager
    def recording(self):
        """Collect every row served while the block runs (a chart's or a table's ledger)."""
        rows: set[Served] = set()
        self._recorders.append(rows)
        try:
            yield rows
        finally:
            self._recorders.remove(rows)

    def served(self, rows, table: str | None = None) -> frozenset:
        """The provenance of a row or of rows this object served (a Series from `row`, a frame from `rows`),
        recorded as used."""
        table = table or rows.attrs["table"]
        return self._serve(table, [rows.name] if isinstance(rows, pd.Series) else rows.index)

    # --- look-ups -----------------------------------------------------------------------------------

    def grades(self, rows: pd.DataFrame) -> pd.Series:
        """The authority grade of each row's source (A to D)."""
        return rows["source_id"].map(self._grades)

    def sources(self) -> pd.DataFrame:
        """The source registry (a reference list, not facts: never filtered by date)."""
        return self._tables["sources"][0]

    def rows(self, name: str, where=None, record: bool = True, **equal) -> pd.DataFrame:
        """The rows of a table whose columns equal `equal` (a list means any of) and for which
        `where(frame)` holds. Every row returned is recorded as used, unless `record` is False (for a
        search that then records only the rows it keeps, with `served`)."""
        frame = self._tables[name][0]
        mask = pd.Series(True, index=frame.index)
        for column, value in equal.items():
            if isinstance(value, (list, tuple, set)):
                values = [pd.Timestamp(v) for v in value] if pd.api.types.is_datetime64_any_dtype(frame[column]) else list(value)
                mask &= frame[column].isin(values).fillna(False).astype(bool)
            else:
                if pd.api.types.is_datetime64_any_dtype(frame[column]):
                    value = pd.Timestamp(value)
                mask &= (frame[column] == value).fillna(False).astype(bool)
        if where is not None:
            mask &= where(frame).fillna(False).astype(bool)
        selected = frame[mask].copy()
        selected.attrs["table"] = name
        if record:
            self._serve(name, selected.index)
        return selected

    def row(self, name: str, **key) -> pd.Series:
        """The one row of `name` whose columns equal `key` (dates may be given as text)."""
        frame = self._tables[name][0]
        spelled = tuple((column, _day(value) if pd.api.types.is_datetime64_any_dtype(frame[column]) else str(value))
                        for column, value in key.items())
        self.reads[(name, spelled)].add(_caller())
        found = self.rows(name, **key)
        if len(found) != 1:
            wanted = ", ".join(f"{column}={value!r}" for column, value in spelled)
            vintage = f" known on {self.as_known_on}" if self.as_known_on else ""
            raise LookupError(f"data/{name}.csv: expected one row{vintage} where {wanted}, found {len(found)}")
        row = found.iloc[0]
        row.attrs["table"] = name
        return row

    def _value(self, row: pd.Series, column: str, unit: str | None, currency: str | None) -> Fact:
        served = self.served(row)
        value, row_unit = float(row[column]), row.get("unit") if column == "value" else None
        row_currency = row.get("currency") if isinstance(row.get("currency"), str) else None
        if row_unit and UNITS.get(row_unit, ("", None))[0] in MONEY_KINDS:
            if currency is None:
                raise ValueError(f"data/{row.attrs['table']}.csv: say which currency this amount must be in "
                                 f"(the row is {row_currency})")
            if currency != row_currency:
                raise ValueError(f"data/{row.attrs['table']}.csv: expected an amount in {currency}, the row is in {row_currency}")
        if unit and row_unit and unit != row_unit:
            value = convert(value, row_unit, unit)
        shown = (unit or row_unit or "").replace("_", " ") or None
        label = f"{row_currency} {shown}" if row_currency and shown else shown
        return Fact(value, served, label)

    def number(self, name: str, column: str = "value", *, unit: str | None = None, currency: str | None = None,
               **key) -> Fact:
        """One cell of one row, as a Fact (amounts converted to `unit`, checked against `currency`)."""
        return self._value(self.row(name, **key), column, unit, currency)

    def term_row(self, offering_id: str, term: str) -> pd.Series:
        return self.row("offering_terms", offering_id=offering_id, term=term)

    def term(self, offering_id: str, term: str, unit: str | None = None, currency: str | None = None) -> Fact:
        return self._value(self.term_row(offering_id, term), "value", unit, currency)

    def has_term(self, offering_id: str, term: str) -> bool:
        t = self._tables["offering_terms"][0]
        return bool(((t["offering_id"] == offering_id) & (t["term"] == term)).any())

    def date(self, offering_id: str, event: str) -> pd.Timestamp:
        return self.row("offering_dates", offering_id=offering_id, event=event)["date"]

    def date_text(self, offering_id: str, event: str, form: str = "day") -> Text:
        row = self.row("offering_dates", offering_id=offering_id, event=event)
        return Text(written(row["date"], form), self.served(row))

    def fin_row(self, company: str, period: str, metric: str) -> pd.Series:
        return self.row("financials", company_id=company, period=period, metric=metric)

    def fin(self, company: str, period: str, metric: str, unit: str = "million", currency: str | None = None) -> Fact:
        row = self.fin_row(company, period, metric)
        return self._value(row, "value", None if row["unit"] in ("percent", "count") else unit, currency)

    def obs_row(self, company: str, date, kind: str, measure: str) -> pd.Series:
        return self.row("market_observations", company_id=company, date=date, kind=kind, measure=measure)

    def obs(self, company: str, date, kind: str, measure: str = "price", unit: str | None = None,
            currency: str | None = None) -> Fact:
        return self._value(self.obs_row(company, date, kind, measure), "value", unit, currency)

    def snapshot_row(self, company: str, metric: str, as_of=None) -> pd.Series:
        if as_of is None:
            return self.row("company_snapshots", company_id=company, metric=metric)
        return self.row("company_snapshots", company_id=company, metric=metric, as_of=as_of)

    def snapshot(self, company: str, metric: str, as_of=None, unit: str | None = None, currency: str | None = None) -> Fact:
        return self._value(self.snapshot_row(company, metric, as_of), "value", unit, currency)

    def index_close(self, index_id: str, date) -> Fact:
        row = self.row("index_levels", index_id=index_id, date=date)
        return Fact(row["close"], self.served(row), "index points")

    def company(self, company_id: str) -> pd.Series:
        return self.row("companies", company_id=company_id)

    def name(self, company_id: str) -> Text:
        """English name with the Chinese name beside it, e.g. 'Biren Technology 壁仞科技'."""
        row = self.company(company_id)
        name = row["name_en"] if row["name_zh"] == row["name_en"] else f"{row['name_en']} {row['name_zh']}"
        return Text(name, self.served(row))

