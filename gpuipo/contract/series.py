"""Rules over a series of rows (a company's metric, a stock's or an index's days): one kind of unit and
one scale per series, positive prices and levels, the day's range, one share basis."""
from __future__ import annotations

from collections import defaultdict

from gpuipo.contract.vocabulary import PERIOD_END, SCALE_CHECKED, SCALE_JUMP, UNITS


def one_unit_kind_per_series(rows):
    """A company's metric is one kind of quantity in one currency; scales (million, 亿) may differ."""
    first = {}
    for i, row in enumerate(rows):
        series = (row["company_id"], row["metric"])
        kind = (UNITS[row["unit"]][0], row["currency"])
        if series in first and first[series][1] != kind:
            j, (unit, currency) = first[series][0], first[series][1]
            yield i, "unit", (f"{'/'.join(series)} is {kind[0]} {kind[1] or ''}".rstrip() +
                              f" here but {unit} {currency or ''}".rstrip() + f" in row {j + 1}: one series, one kind of unit")
        first.setdefault(series, (i, kind))


def unit_scale(unit: str) -> float:
    return UNITS.get(unit, ("", None))[1] or 1.0


def one_scale_per_series(series, order, amount, column="value", when=None):
    """Adjacent observations of one series (a company's metric, a stock's closes) that differ a hundredfold
    or more look like a unit typed wrong (thousand for million): refused unless the later row's note
    begins with SCALE_CHECKED and says why. `series(row)` names the series, `order(row)` sorts it (and says
    when it is, unless `when(row)` does) and `amount(row)` is the value on one scale."""
    when = when or order

    def rule(rows):
        by_series = defaultdict(list)
        for i, row in enumerate(rows):
            value = amount(row)
            if value:
                by_series[series(row)].append((order(row), i, value))
        for observations in by_series.values():
            observations.sort()
            for (_, j, before), (_, i, after) in zip(observations, observations[1:]):
                ratio = max(after / before, before / after) if after * before > 0 else 1
                if ratio >= SCALE_JUMP and not rows[i].get("note", "").startswith(SCALE_CHECKED):
                    unit_changed = "unit" in rows[i] and rows[i]["unit"] != rows[j]["unit"]
                    yield i, "unit" if unit_changed else column, (
                        f"{'/'.join(series(rows[i]))} for {when(rows[i])} is {ratio:,.0f} times "
                        f"{'larger' if abs(after) > abs(before) else 'smaller'} than for {when(rows[j])} (row {j + 1}), "
                        f"the observation before it: that looks like a unit typed wrong; if it is real, begin the "
                        f"note with '{SCALE_CHECKED}' and say why")
    return rule


def period_end(row):
    return PERIOD_END[row["period"]]


def amount_in_base_unit(row):
    """A reported value on one scale: amounts in units of currency, shares in shares, others as they are."""
    return float(row["value"]) * unit_scale(row["unit"])


def above_zero(*columns):
    """Prices, index levels and exchange-rate amounts: zero or less is impossible, and would divide by zero."""
    def rule(rows):
        for i, row in enumerate(rows):
            for column in columns:
                if float(row[column]) <= 0:
                    yield i, column, f"{column} must be above zero (got {row[column]})"
    return rule


def prices_above_zero(rows):
    for i, row in enumerate(rows):
        if row.get("unit") == "per_share" and float(row["value"]) <= 0:
            yield i, "value", f"a price per share must be above zero (got {row['value']})"


def within_the_day_range(rows):
    """The open and the close lie between the day's low and high."""
    for i, row in enumerate(rows):
        low, high = float(row["low"]), float(row["high"])
        if low > high:
            yield i, "low", f"the low {row['low']} is above the high {row['high']}"
            continue
        for column in ("open", "close"):
            if not low <= float(row[column]) <= high:
                yield i, column, f"{column} {row[column]} lies outside the day's range {row['low']}-{row['high']}"


def basis_states_its_factor(rows):
    """A traded price needs no factor (1); an adjusted one must say how to get back to the traded price."""
    for i, row in enumerate(rows):
        traded, factor = row["price_basis"] == "traded", float(row["to_traded"])
        if traded and factor != 1:
            yield i, "to_traded", f"a traded price has the factor 1 (got {row['to_traded']})"
        if not traded and factor == 1:
            yield i, "to_traded", "an adjusted price needs the factor that turns it back into the traded price"


def adjusted_rows_come_first(rows):
    """Split-adjusted rows must all precede a company's traded rows (a source that adjusts forward), so
    the stored prices sit on the latest share basis throughout and returns never cross two bases."""
    first_traded = {}
    for row in rows:
        if row["price_basis"] == "traded":
            company = row["company_id"]
            first_traded[company] = min(first_traded.get(company, row["date"]), row["date"])
    for i, row in enumerate(rows):
        later = first_traded.get(row["company_id"])
        if row["price_basis"] == "adjusted" and later and row["date"] > later:
            yield i, "price_basis", (f"an adjusted price after {row['company_id']}'s traded prices begin ({later}) "
                                     "would mix two share bases in one series")
