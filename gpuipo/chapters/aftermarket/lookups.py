from __future__ import annotations

import pandas as pd

from gpuipo.facts import Fact, Facts, metrics, prices
from gpuipo.shared.deals import BIREN

PLACING = "biren-2026-10-placing"


INDICES = {"HSI": "Hang Seng Index", "HSTECH": "Hang Seng TECH Index"}


# The January 2026 cohort: Hong Kong AI listings with a daily series in the data.
COHORT = {"biren": BIREN, "iluvatar": "iluvatar-hk-ipo", "zhipu": "zhipu-hk-ipo", "minimax": "minimax-hk-ipo"}


HORIZONS = [("First close", 0), ("One month", 1), ("Three months", 3), ("Six months", 6)]


# Event windows in trading days around the first day the locked-up shares could trade (day 0).
EVENT_WINDOWS = [(0, 0), (5, 5), (20, 20)]


TRADING_DAYS_A_YEAR = 252
BASE_LEVEL = 100   # a rebased series' level at Biren's first close


def listing_day(f: Facts, company: str) -> pd.Timestamp:
    return f.date(COHORT[company], "listing")


def lockup_day(f: Facts, company: str) -> pd.Timestamp:
    """The first trading day the cornerstones' shares were free to trade."""
    return f.date(COHORT[company], "lockup_first_free_day")


def latest_common_day(f: Facts) -> pd.Timestamp:
    """The last trading day every cohort company and both indices have a close for."""
    ends = [prices.closes(f, c).index.max() for c in COHORT] + [prices.index_closes(f, i).index.max() for i in INDICES]
    return min(ends)


def offer(f: Facts, company: str) -> Fact:
    """The offer price on the comparable basis of the company's daily series."""
    return prices.to_comparable(f, company, f.term(COHORT[company], "offer_price", currency="HKD"))


def horizon_days(f: Facts, company: str) -> list[tuple[str, pd.Timestamp]]:
    days = list(prices.closes(f, company).index)
    start = listing_day(f, company)
    out = [(name, metrics.on_or_before(days, start + pd.DateOffset(months=months))) for name, months in HORIZONS]
    out.append(("Lock-up expiry", lockup_day(f, company)))
    out.append(("Latest common date", latest_common_day(f)))
    return out


RESULT_PERIODS = ["FY2023", "FY2024", "H1-2025", "FY2025"]


OFFERING_EVENTS = {   # offering_dates events shown on the timeline, in words
    "public_offer_opens": "Prospectus published; public offer opens",
    "allotment_results": "Offer price and allotment announced",
    "listing": "First day of trading",
    "greenshoe_exercise_announced": "Greenshoe exercised in full; stabilization ends",
    "cornerstone_lockup_ends": "Cornerstone lock-up ends (last restricted day)",
    "controlling_holder_lockup_ends": "Controlling shareholders' lock-up ends (last restricted day)",
    "announced": "Placing of new shares announced",
}


TIMELINE_START = pd.Timestamp("2025-12-01")


DEBUTS = [("biren", BIREN, "2026-01-02"), ("iluvatar", "iluvatar-hk-ipo", "2026-01-08"),
          ("zhipu", "zhipu-hk-ipo", "2026-01-08"), ("minimax", "minimax-hk-ipo", "2026-01-09"),
          ("catl", "catl-hk-ipo", "2025-05-20")]


PREMIUM_PEERS = ["cambricon", "moore-threads", "metax"]


PREMIUM_DAYS = [pd.Timestamp("2025-12-17"), pd.Timestamp("2026-05-01")]   # the second stands for May 2026


PERIOD_NAMES = {"FY2023": "2023", "FY2024": "2024", "H1-2025": "First half 2025", "FY2025": "2025"}
