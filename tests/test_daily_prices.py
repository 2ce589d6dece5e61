"""The 2026 daily series (stock_daily.csv, index_daily.csv): a grade C research dataset, so it is kept only
while it agrees with every independent point the package holds, and its two price bases never mix."""
import pandas as pd
import pytest

from gpuipo.facts import prices
from gpuipo.contract import validation
from gpuipo.shared.deals import biren_close
from gpuipo.facts import Facts
from tests.csvedit import find_row, set_cell

pytestmark = [pytest.mark.data]

COMPANIES = ["biren", "zhipu", "iluvatar", "minimax"]


@pytest.fixture(scope="module")
def f():
    return Facts()


def test_turnover_over_volume_lies_within_each_traded_day(f):
    """The day's average traded price (turnover ÷ volume, never adjusted) falls inside its traded range:
    the check that exposed Iluvatar's split-adjusted early prices."""
    for company in COMPANIES:
        day = prices.stock(f, company, "traded")
        vwap = day["turnover"] / day["volume"]
        inside = (vwap >= day["low"] * 0.999) & (vwap <= day["high"] * 1.001)
        assert inside.all(), day.loc[~inside, "date"].dt.strftime("%Y-%m-%d").tolist()


def test_the_comparable_basis_has_no_split_jump_and_the_traded_basis_does(f):
    comparable = prices.stock(f, "iluvatar", "comparable").set_index("date")["close"]
    traded = prices.stock(f, "iluvatar", "traded").set_index("date")["close"]
    before, after = pd.Timestamp("2026-09-14"), pd.Timestamp("2026-09-15")
    assert abs(comparable[after] / comparable[before] - 1) < 0.10
    assert traded[after] / traded[before] - 1 == pytest.approx(110.7 / (3 * 106.267) - 1)
    assert traded[pd.Timestamp("2026-01-08")] == pytest.approx(156.801)
    with pytest.raises(ValueError, match="basis"):
        prices.stock(f, "iluvatar", "adjusted")


def test_closes_agree_with_every_independent_observation(f):
    """Every dated close elsewhere in the package (press, exchange-derived, vendor) matches the series on
    the traded basis, to the precision the observation was printed with."""
    observed = f.rows("market_observations", kind="close", measure="price", record=False,
                      where=lambda t: t["date"] >= pd.Timestamp("2026-01-01"))
    checked = 0
    for _, row in observed.iterrows():
        day = prices.stock(f, row["company_id"], "traded").set_index("date")["close"]
        if row["date"] not in day.index:
            continue
        tolerance = 0.005 * row["value"] if row["qualifier"] == "about" else 0.0051
        assert day[row["date"]] == pytest.approx(row["value"], abs=tolerance), (row["company_id"], row["date"])
        checked += 1
    assert checked >= 3   # Iluvatar, Zhipu and MiniMax on their first days
    # Biren's listing-day close in the record is derived from its closing market value and share count.
    assert prices.stock(f, "biren", "traded")["close"].iloc[0] == pytest.approx(float(biren_close(f, "2026-01-02")), abs=0.006)


def test_index_levels_agree_with_the_dated_closes(f):
    levels = f.rows("index_levels", record=False, where=lambda t: t["date"] >= pd.Timestamp("2026-01-01"))
    assert len(levels) >= 4
    for _, row in levels.iterrows():
        day = prices.index(f, row["index_id"]).set_index("date")["close"]
        if row["date"] > day.index.max():
            continue  # a later close, beyond the daily series (chapter 4 reports it separately)
        assert day[row["date"]] == pytest.approx(row["close"], abs=1.0), (row["index_id"], row["date"])


def test_biren_and_the_indices_share_one_calendar(f):
    biren = prices.stock(f, "biren", "comparable")["date"]
    for index_id in ("HSI", "HSTECH"):
        assert list(prices.index(f, index_id)["date"]) == list(biren)
    assert len(biren) == 178 and biren.iloc[0] == pd.Timestamp("2026-01-02") and biren.iloc[-1] == pd.Timestamp("2026-09-22")


@pytest.mark.parametrize("column, value, message", [
    ("close", "99", "outside the day's range"),
    ("to_traded", "3", "a traded price has the factor 1"),
])
def test_a_broken_daily_row_is_refused(data_copy, column, value, message):
    row = find_row(data_copy, "stock_daily", company_id="biren", date="2026-03-02")
    set_cell(data_copy, "stock_daily", row, column, value)
    with pytest.raises(validation.DataValidationError, match=rf"stock_daily.csv, row {row} .*{column}.*{message}"):
        validation.read_package(data_copy)


def test_an_adjusted_row_after_traded_ones_is_refused(data_copy):
    row = find_row(data_copy, "stock_daily", company_id="iluvatar", date="2026-09-18")
    set_cell(data_copy, "stock_daily", row, "price_basis", "adjusted")
    set_cell(data_copy, "stock_daily", row, "to_traded", "3")
    with pytest.raises(validation.DataValidationError, match="would mix two share bases"):
        validation.read_package(data_copy)
