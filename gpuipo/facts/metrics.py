"""The report's arithmetic, in one place, each function checked by hand in tests/test_metrics.py."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


def change(old: float, new: float) -> float:
    """Relative change as a fraction: 0.25 means +25 %."""
    if old == 0:
        raise ZeroDivisionError("change from zero is undefined")
    return new / old - 1.0


def multiple(old: float, new: float) -> float:
    """How many times `old` fits into `new` (a price multiple, 'x-fold')."""
    return new / old


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate as a fraction."""
    if start <= 0 or years <= 0:
        raise ValueError("CAGR needs a positive start value and a positive number of years")
    return (end / start) ** (1.0 / years) - 1.0


def market_cap(price: float, shares: float) -> float:
    return price * shares


def price_to_sales(market_value: float, revenue: float) -> float:
    """Market value over revenue; both in the same currency and unit."""
    if revenue <= 0:
        raise ValueError("P/S needs positive revenue")
    return market_value / revenue


def cornerstone_share_by_amount(amount: float, price: float, offer_shares: float) -> float:
    """Share of the offer a fixed cornerstone amount buys at `price` (board-lot rounding ignored)."""
    return amount / price / offer_shares


@dataclass(frozen=True)
class GreenshoeOutcome:
    """What the stabilizing manager does with the shares it over-allocated."""

    bought_in_market: float   # shares bought back in the market to support the price
    exercised: float          # shares issued by the company under the option
    extra_proceeds: float     # offer price x exercised shares, to the company
    buying_power: float       # cash from the over-allocation available for stabilization


def greenshoe_outcome(over_allocated: float, offer_price: float, market_price: float,
                      shares_bought_if_below: float | None = None) -> GreenshoeOutcome:
    """Settle an over-allocation.

    The manager sold `over_allocated` borrowed shares at the offer price. If the market stays at
    or above the offer price it covers the short by exercising the option in full (the company
    issues the shares, and gets the offer price for them). If the price falls below the offer,
    it buys shares in the market (up to all of them; `shares_bought_if_below` defaults to all)
    and exercises the option only for the rest.
    """
    buying_power = over_allocated * offer_price
    if market_price >= offer_price:
        bought = 0.0
    else:
        bought = over_allocated if shares_bought_if_below is None else min(shares_bought_if_below, over_allocated)
    exercised = over_allocated - bought
    return GreenshoeOutcome(bought, exercised, exercised * offer_price, buying_power)


# --- a price series over time (pandas Series of closes indexed by trading day) --------------------------

def max_drawdown(closes) -> tuple[float, object, object]:
    """Largest fall from a running peak close to a later close, as a negative fraction, with the peak's
    and the trough's dates."""
    peaks = closes.cummax()
    falls = closes / peaks - 1.0
    trough = falls.idxmin()
    peak = closes.loc[:trough].idxmax()
    return float(falls.loc[trough]), peak, trough


def annualised_volatility(closes, days_per_year: int = 252) -> float:
    """Sample standard deviation of daily log returns, scaled by the square root of trading days a year."""
    returns = np.log(closes / closes.shift(1)).dropna()
    return float(returns.std(ddof=1) * np.sqrt(days_per_year))


def abnormal_returns(stock, market):
    """Market-adjusted daily abnormal returns: the stock's simple return minus the market's, on the
    trading days both have (the day before a day is the previous common trading day)."""
    both = pd.concat({"stock": stock, "market": market}, axis=1, join="inner").sort_index()
    returns = both.pct_change().dropna()
    return returns["stock"] - returns["market"]


def cumulative_abnormal_return(abnormal, event_day, before: int, after: int) -> float:
    """Sum of abnormal returns from `before` trading days before the event day to `after` days after it
    (the event day's own return, close before to close on the day, is day 0)."""
    days = list(abnormal.index)
    zero = days.index(event_day)
    if zero - before < 0 or zero + after >= len(days):
        raise ValueError(f"the window [-{before}, +{after}] runs past the data around {event_day}")
    return float(abnormal.iloc[zero - before: zero + after + 1].sum())


def on_or_before(days, day):
    """The last trading day on or before `day` (days sorted ascending)."""
    earlier = [d for d in days if d <= day]
    if not earlier:
        raise ValueError(f"no trading day on or before {day}")
    return earlier[-1]


def buy_and_hold_abnormal_return(stock, market, first, last) -> float:
    """The stock's return from the close of `first` to the close of `last`, less the market's over the same
    days: what holding the stock gained or lost against the market (unlike a sum of daily differences,
    which overstates the moves of a very volatile stock)."""
    return float((stock[last] / stock[first] - 1) - (market[last] / market[first] - 1))
