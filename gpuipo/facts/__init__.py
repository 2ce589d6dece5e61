"""Look-ups over the validated tables, with the provenance of every value they serve.

Every value the report computes comes from rows served here, and the rows travel with it:
- a number looked up is a `Fact` (a float) that carries the rows it came from, its unit and its
  currency; arithmetic on Facts merges their rows, so a derived figure cites everything it was
  computed from without anyone typing a source (the way Our World in Data's indicators carry their
  origins);
- a chart or table is computed inside `Facts.recording()`, which collects every row served while it
  runs.
A served row (`Served`) names its table and key, its source, the date its value refers to (as of) and
the first day it was public (known from).

`Facts(as_known_on=day)` serves only rows that were public on that day, like a vintage of an archival
economic database: an audit of an article dated D must not rest on what was published after D.
Money look-ups state the currency they expect, and a row in another currency is an error.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from gpuipo.contract import loader as data
from gpuipo.facts.units import convert
from gpuipo.contract.vocabulary import AS_OF_COLUMNS, LOW_GRADE_MARK, LOW_GRADES, MONEY_KINDS, PERIOD_END, STRONG_GRADES, UNITS


@dataclass(frozen=True, order=True)
class Served:
    """One data row a value was computed from."""
    table: str
    key: tuple          # the row's primary key, as the CSV spells it
    source_id: str
    as_of: str          # YYYY-MM-DD: the day (or the end of the period) the value refers to
    known_from: str     # YYYY-MM-DD: the first day the value was public
    grade: str          # the source's authority grade, A to D (vocabulary.GRADES)
    corroborated_by: str = ""   # a second, independent document giving the same value, if one is named
    second_grade: str = ""      # its grade


def served_by(value) -> frozenset:
    return getattr(value, "served", frozenset())


def _merge(*values) -> frozenset:
    merged = frozenset()
    for value in values:
        merged |= served_by(value)
    return merged


class Fact(float):
    """A number with the rows it was computed from and, while it keeps one, its unit."""

    def __new__(cls, value, served=frozenset(), unit: str | None = None):
        fact = super().__new__(cls, value)
        fact.served = frozenset(served)
        fact.unit = unit
        return fact

    def __repr__(self):
        return f"Fact({float(self)!r}, {self.unit!r}, {len(self.served)} rows)"

    def __reduce__(self):
        return (Fact, (float(self), self.served, self.unit))


def _unit_of(value):
    return value.unit if isinstance(value, Fact) else None


def _additive(a, b):
    ua, ub = _unit_of(a), _unit_of(b)
    if ua is None or ub is None or ua == ub:
        return ua or ub
    return "derived"


def _multiplicative(a, b, dividing: bool):
    ua, ub = _unit_of(a), _unit_of(b)
    if dividing and ua is not None and ua == ub:
        return "ratio"
    if dividing and ua == "percent" and b == 100:
        return "ratio"
    if ub is None or ub == "ratio":
        return ua
    if ua is None or ua == "ratio":
        return None if dividing else ub
    return "derived"


def _operation(name, unit_rule, reflected=False):
    method = getattr(float, name)

    def apply(self, other):
        result = method(self, other)
        if result is NotImplemented:
            return result
        left, right = (other, self) if reflected else (self, other)
        return Fact(result, _merge(self, other), unit_rule(left, right))
    apply.__name__ = name
    return apply


for _name, _rule in (("add", _additive), ("sub", _additive),
                     ("mul", lambda a, b: _multiplicative(a, b, False)),
                     ("truediv", lambda a, b: _multiplicative(a, b, True)),
                     ("pow", lambda a, b: "ratio" if _unit_of(a) == "ratio" else "derived")):
    setattr(Fact, f"__{_name}__", _operation(f"__{_name}__", _rule))
    setattr(Fact, f"__r{_name}__", _operation(f"__r{_name}__", _rule, reflected=True))
for _name in ("__neg__", "__pos__", "__abs__"):
    setattr(Fact, _name, (lambda method: lambda self: Fact(method(self), self.served, self.unit))(getattr(float, _name)))


class Text(str):
    """Text computed from the data (a date written out, say), with the rows it came from."""

    def __new__(cls, value, served=frozenset()):
        text = super().__new__(cls, value)
        text.served = frozenset(served)
        return text


def _caller() -> str:
    """The module outside this one that asked for a fact."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals.get("__name__", "?") if frame is not None else "?"


def _day(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def latest_day(published: str) -> str:
    """The last day a publication date of YYYY, YYYY-MM or YYYY-MM-DD can stand for."""
    if len(published) == 10:
        return published
    if len(published) == 7:
        return (pd.Timestamp(published + "-01") + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
    return f"{published[:4]}-12-31"


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
    def _all(self) -> dict[str, pd.DataFrame]:
        return {name: data.load(name, self.data_dir) for name in data.table_names(self.data_dir)}

    @cached_property
    def _published(self) -> dict[str, str]:
        sources = self._all["sources"]
        return {s: p for s, p in zip(sources["source_id"], sources["published"].fillna(""))}

    @cached_property
    def _grades(self) -> dict[str, str]:
        sources = self._all["sources"]
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
    def _tables(self) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
        tables = {}
        for name, frame in self._all.items():
            if name == "sources":
                tables[name] = (frame, None)
                continue
            provenance = self._provenance(name, frame)
            if self.as_known_on:
                visible = provenance["known_from"] <= self.as_known_on
                frame, provenance = frame[visible], provenance[visible]
            tables[name] = (frame, provenance)
        return tables

    def _serve(self, name: str, index) -> frozenset:
        provenance = self._tables[name][1]
        if provenance is None:
            return frozenset()
        served = frozenset(Served(name, r.key, r.source_id, r.as_of, r.known_from, r.grade, r.corroborated_by,
                                  r.second_grade) for r in provenance.loc[list(index)].itertuples())
        for recorder in self._recorders:
            recorder.update(served)
        return served

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

    def date_text(self, offering_id: str, event: str, form: str = "%d %B %Y") -> Text:
        row = self.row("offering_dates", offering_id=offering_id, event=event)
        return Text(row["date"].strftime(form).lstrip("0"), self.served(row))

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


def only_low_grades(grades) -> bool:
    """Whether every grade given is C or D (an aggregator, mirror, data vendor, AI summary or content
    farm): a figure whose sources are all such is marked where it is printed."""
    grades = list(grades)
    return bool(grades) and all(grade in LOW_GRADES for grade in grades)


def low_authority(served) -> bool:
    return only_low_grades(row.grade for row in served)


def well_sourced(served) -> bool:
    """The audit's bar for a verdict on the record: every row behind it comes from a grade A or B
    document, or from two independent grade C documents (the second named in `corroborated_by`)."""
    def enough(row: Served) -> bool:
        grades = {row.grade, row.second_grade}
        return bool(grades & STRONG_GRADES) or (row.grade == "C" and row.second_grade == "C")
    return bool(served) and all(enough(row) for row in served)


def marked(text: str, value) -> str:
    """`text` (a value as printed) followed by the low-authority mark when every source behind `value`
    is of grade C or D."""
    return f"{text}\u00a0{LOW_GRADE_MARK}" if low_authority(served_by(value)) else text   # never wrapped apart


def shown(value, spec: str) -> str:
    """A value formatted with `spec`, marked when it rests only on grade C or D sources."""
    return marked(format(value, spec), value)


def known_by(value, day) -> bool:
    """Whether every row behind a value was public on `day`."""
    return all(s.known_from <= _day(day) for s in served_by(value))
