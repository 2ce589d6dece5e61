from __future__ import annotations

import pandas as pd

from gpuipo.chapters.aftermarket.lookups import (BASE_LEVEL, COHORT, DEBUTS, EVENT_WINDOWS, INDICES, OFFERING_EVENTS, PLACING,
                                                 PREMIUM_DAYS, PREMIUM_PEERS, RESULT_PERIODS, TIMELINE_START,
                                                 TRADING_DAYS_A_YEAR, horizon_days, latest_common_day, listing_day,
                                                 lockup_day, offer)
from gpuipo.facts import Fact, Facts, Text, metrics, prices, served_by
from gpuipo.facts.dates import data_as_of, is_schedule, written
from gpuipo.shared.deals import BIREN, LISTING_DAY, biren_close, cny_per


def horizon_returns(f: Facts, company: str = "biren") -> list[dict]:
    """Close, return from the offer and from the first close, and the indices over the same span."""
    start = listing_day(f, company)
    first = prices.close_on(f, company, start)
    price = offer(f, company)
    rows = []
    for name, day in horizon_days(f, company):
        close = prices.close_on(f, company, day)
        row = {"horizon": name, "date": day, "close": close, "from_offer": close / price - 1,
               "from_first_close": close / first - 1}
        for index_id in INDICES:
            row[index_id] = prices.index_close_on(f, index_id, day) / prices.index_close_on(f, index_id, start) - 1
        row["excess_hsi"] = row["from_first_close"] - row["HSI"]
        rows.append(row)
    return rows


def cohort_returns(f: Facts) -> list[dict]:
    """Each cohort company's return from its offer price at each horizon."""
    return [{"company_id": company, "company": f.name(company), "listing": listing_day(f, company),
             **{r["horizon"]: r["from_offer"] for r in horizon_returns(f, company)}} for company in COHORT]


def _window(series: pd.Series, day, before: int, after: int):
    """The closes a window's returns run between: the day before its first day, and its last day."""
    days = list(series.index)
    return days[days.index(day) - before - 1], days[days.index(day) + after]


def event_window(f: Facts, company: str, day, before: int, after: int) -> Fact:
    """The cumulative abnormal return against the HSI from `before` trading days before `day` to `after` after."""
    market, stock = prices.index_closes(f, "HSI"), prices.closes(f, company)
    first, last = _window(stock, day, before, after)
    value = metrics.cumulative_abnormal_return(metrics.abnormal_returns(stock, market), day, before, after)
    return prices.over(f, value, (stock, first, last), (market, first, last))


def lockup_event_study(f: Facts) -> list[dict]:
    """Market-adjusted abnormal returns (stock minus HSI) summed over windows around each lock-up expiry, and
    the buy-and-hold abnormal return over the widest window."""
    market = prices.index_closes(f, "HSI")
    rows = []
    for company in COHORT:
        stock = prices.closes(f, company)
        day = lockup_day(f, company)
        row = {"company_id": company, "company": f.name(company), "day": day}
        for before, after in EVENT_WINDOWS:
            row[window_name(before, after)] = event_window(f, company, day, before, after)
        first, last = _window(stock, day, *EVENT_WINDOWS[-1])
        row["bhar"] = prices.over(f, metrics.buy_and_hold_abnormal_return(stock, market, first, last),
                                  (stock, first, last), (market, first, last))
        row["placing_on_day0"] = any(f.date(o, "announced") == day for o in
                                     f.rows("offerings", company_id=company, kind="placing", record=False)["offering_id"])
        rows.append(row)
    return rows


def window_name(before: int, after: int) -> str:
    if before == after == 0:
        return "day 0"
    return f"[{-before if before else 0}, +{after}]".replace("-", "−")


def risk_table(f: Facts) -> list[dict]:
    end = latest_common_day(f)
    rows = []
    series = [(c, f.name(c), prices.closes(f, c), listing_day(f, c)) for c in COHORT]
    series += [(i, Text(name), prices.index_closes(f, i), LISTING_DAY) for i, name in INDICES.items()]
    for key, name, closes, start in series:
        span = closes.loc[start:end]
        depth, peak, trough = metrics.max_drawdown(span)
        row = {"id": key, "name": name, "start": start, "drawdown": prices.over(f, depth, (closes, start, end)),
               "peak": peak, "trough": trough,
               "volatility": prices.over(f, metrics.annualised_volatility(span, TRADING_DAYS_A_YEAR),
                                         (closes, start, end))}
        if key in COHORT:
            daily = prices.stock(f, key, "traded").set_index("date").loc[start:end, "turnover"]
            row["turnover_m"] = prices.over(f, daily.mean() / 1e6, (closes, start, end))
        rows.append(row)
    return rows


def monthly_table(f: Facts) -> list[dict]:
    """Biren month by month: last close, the month's change, the HSI's, and average daily turnover."""
    closes = prices.closes(f, "biren")
    traded = prices.stock(f, "biren", "traded").set_index("date")
    # The first month runs from the first close, every later one from the month before's last close.
    rows = []
    before, hsi_before = prices.close_on(f, "biren", LISTING_DAY), prices.index_close_on(f, "HSI", LISTING_DAY)
    for month, span in closes.groupby(closes.index.to_period("M")):
        last = span.index.max()
        close = prices.close_on(f, "biren", last)
        hsi_close = prices.index_close_on(f, "HSI", last)
        rows.append({"month": month.to_timestamp(), "last_day": last, "close": close,
                     "change": close / before - 1, "hsi_change": hsi_close / hsi_before - 1,
                     "turnover_m": prices.over(f, traded.loc[span.index, "turnover"].mean() / 1e6,
                                                 (closes, span.index.min(), last)),
                     "days": len(span)})
        before, hsi_before = close, hsi_close
    return rows


def results_table(f: Facts) -> list[dict]:
    rows = []
    for period in RESULT_PERIODS:
        revenue = f.fin("biren", period, "revenue", currency="CNY")
        row = {"period": period, "revenue": revenue,
               "gross_margin": f.fin("biren", period, "gross_profit", currency="CNY") / revenue,
               "adjusted_loss": -f.fin("biren", period, "adjusted_net_profit", currency="CNY"),
               "top5": f.fin("biren", period, "top5_customer_share") / 100}
        rows.append(row)
    return rows


def h1_2026(f: Facts) -> dict:
    """The reported H1 2026 growth and the revenue it implies on the prospectus's H1 2025 base."""
    growth = f.fin("biren", "H1-2026", "revenue_growth_stated") / 100
    base = f.fin("biren", "H1-2025", "revenue", currency="CNY")
    return {"growth": growth, "base": base, "implied": base * (1 + growth)}


def share_steps(f: Facts) -> list[dict]:
    """Shares in issue after each issue of new shares since the listing, as far as the data records them."""
    listed = f.term(BIREN, "shares_outstanding_at_listing")
    greenshoe = f.term(BIREN, "greenshoe_exercised_shares")
    after_greenshoe = f.term(BIREN, "shares_outstanding_after_greenshoe")
    steps = [{"step": Text(f"At listing, {f.date_text(BIREN, 'listing')}"), "new": None, "shares": listed},
             {"step": Text(f"Greenshoe exercised, {f.date_text(BIREN, 'greenshoe_exercise_announced')}"),
              "new": greenshoe, "shares": after_greenshoe}]
    new = f.term(PLACING, "new_shares")
    # The data records the placing's announcement, not its completion.
    steps.append({"step": Text(f"Placing announced {f.date_text(PLACING, 'announced')}, if completed"),
                  "new": new, "shares": after_greenshoe + new})
    for step in steps:
        step["vs_listing"] = step["shares"] / listed - 1
    return steps


def capital_raised(f: Facts) -> dict:
    offer_price = f.term(BIREN, "offer_price", currency="HKD")
    placing_price = f.term(PLACING, "offer_price", currency="HKD")
    discount = f.term(PLACING, "discount_stated") / 100
    return {
        "ipo_gross_m": f.term(BIREN, "gross_proceeds", unit="million", currency="HKD"),
        "greenshoe_gross_m": f.term(BIREN, "greenshoe_exercised_shares") * offer_price / 1e6,
        "placing_gross_m": f.term(PLACING, "new_shares") * placing_price / 1e6,
        "placing_price": placing_price,
        "placing_discount": discount,
        "placing_prior_close": placing_price / (1 - discount),
        "placing_vs_offer": placing_price / offer_price - 1,
    }


def timeline(f: Facts) -> list[dict]:
    """Biren's dated events since the prospectus: the offerings' dates, the company's later milestones (its
    listing milestones repeat the offering dates and are left out) and brokers' first ratings. An offering's
    date that was a schedule when announced (a lock-up's end) and lies after the latest event the timeline
    has seen is still scheduled (gpuipo.facts.dates: one rule for schedules and for 'as of')."""
    events = []

    def add(frame, table, words, status=None):
        for index, row in frame.iterrows():
            row.attrs["table"] = table
            events.append({"date": row["date"], "event": Text(words(row), f.served(row)),
                           "status": status(row) if status else None,
                           "grade": f.grades(frame.loc[[index]]).iloc[0], "precision": row.get("date_precision", "day")})

    offerings = f.rows("offerings", company_id="biren", record=False)["offering_id"].tolist()
    add(f.rows("offering_dates", offering_id=offerings, event=list(OFFERING_EVENTS), record=False), "offering_dates",
        lambda row: OFFERING_EVENTS[row["event"]])
    add(f.rows("biren_milestones", where=lambda t: (t["date"] >= TIMELINE_START) & (t["product"] != "IPO"),
               record=False), "biren_milestones", lambda row: row["event"], lambda row: row["status"])
    add(f.rows("analyst_ratings", company_id="biren", action="initiate", record=False), "analyst_ratings",
        lambda row: f"{row['broker']} starts coverage at {row['rating']}")
    now = data_as_of(frozenset().union(*(served_by(e["event"]) for e in events)))
    for event in events:
        if event["status"] is None:
            ahead = [row for row in served_by(event["event"]) if is_schedule(row) and row.as_of > now]
            event["status"] = "scheduled" if ahead else "done"
    # An event known only to the year or month sorts at the end of it, not on its first day.
    ends = {"day": pd.offsets.Day(0), "month": pd.offsets.MonthEnd(0), "year": pd.offsets.YearEnd(0)}
    events.sort(key=lambda e: (e["date"] + ends[e["precision"]], str(e["event"])))
    for number, event in enumerate(events, 1):
        event["number"] = number
    return events


def rebased(f: Facts) -> pd.DataFrame:
    """Biren and both indices, each set to BASE_LEVEL (100) at Biren's first close."""
    frames = []
    for name, series in (("Biren 壁仞科技", prices.closes(f, "biren")),
                         *((INDICES[i], prices.index_closes(f, i)) for i in INDICES)):
        span = series.loc[LISTING_DAY:]
        frames.append(pd.DataFrame({"date": span.index, "series": name, "level": (span / span.iloc[0] * BASE_LEVEL).values}))
    return pd.concat(frames, ignore_index=True)


def event_marks(f: Facts, end) -> pd.DataFrame:
    """The timeline's events dated to the day between the listing and `end`, by number, for the price chart."""
    return pd.DataFrame([{"date": e["date"], "n": str(e["number"])} for e in timeline(f)
                         if LISTING_DAY <= e["date"] <= end and e["precision"] == "day"])


def debut_table(f: Facts) -> list[dict]:
    rows = []
    for company, offering, day in DEBUTS:
        price = f.term(offering, "offer_price", currency="HKD")
        close = biren_close(f, day) if company == "biren" else f.obs(company, day, "close", currency="HKD")
        rows.append({"company_id": company, "company": f.name(company), "listing": pd.Timestamp(day), "offer": price,
                     "close": close, "change": metrics.change(price, close)})
    return rows


def run_rate_revenue(f: Facts) -> Fact:
    """Twice the first-half 2026 revenue implied by the reported growth (the revenue itself was not found)."""
    return h1_2026(f)["implied"] * 2


def valuation_now(f: Facts) -> list[dict]:
    """Biren's market value in CNY and its price-to-sales on FY2024, FY2025 and run-rate revenue, at the offer,
    at the first close and at the latest common date, each converted at a rate dated near its day."""
    revenues = {"ps_fy2024": f.fin("biren", "FY2024", "revenue", currency="CNY"),
                "ps_fy2025": f.fin("biren", "FY2025", "revenue", currency="CNY"),
                "ps_run_rate": run_rate_revenue(f)}
    latest = latest_common_day(f)
    points = [("At the offer price", LISTING_DAY, f.term(BIREN, "offer_price", currency="HKD"),
               f.term(BIREN, "shares_outstanding_at_listing")),
              ("At the first close", LISTING_DAY, biren_close(f, LISTING_DAY),
               f.term(BIREN, "shares_outstanding_at_listing")),
              (f"At the close of {written(latest)}", latest, prices.close_on(f, "biren", latest),
               f.term(BIREN, "shares_outstanding_after_greenshoe"))]
    rows = []
    for label, day, price, shares in points:
        rate, detail = cny_per(f, "HKD", day)
        mcap_hkd_m = price * shares / 1e6
        mcap_cny_m = mcap_hkd_m * rate
        row = {"label": Text(label), "day": day, "price": price, "mcap_hkd_bn": mcap_hkd_m / 1e3, "rate": rate,
               "rate_dates": Text(", ".join(written(d, "short") for d in sorted(detail.dates)), rate.served),
               "mcap_cny_bn": mcap_cny_m / 1e3}
        for key, revenue in revenues.items():
            row[key] = metrics.price_to_sales(mcap_cny_m, revenue)
        rows.append(row)
    return rows


def gpu_premium(f: Facts) -> list[dict]:
    """The A-share AI-chip makers' market value over revenue in December 2025 and in May 2026: on FY2024
    revenue (what was known in December) and on FY2025 revenue where the data has it."""
    rows = []
    for company in PREMIUM_PEERS:
        for day in PREMIUM_DAYS:
            mcap = f.obs(company, day, "close", "market_cap", unit="million", currency="CNY")
            precision = f.obs_row(company, day, "close", "market_cap")["date_precision"]
            row = {"company_id": company, "company": f.name(company), "date": day, "precision": precision,
                   "mcap_bn": mcap / 1e3,
                   "ps_fy2024": metrics.price_to_sales(mcap, f.fin(company, "FY2024", "revenue", currency="CNY"))}
            has_fy2025 = len(f.rows("financials", company_id=company, period="FY2025", metric="revenue", record=False))
            row["ps_fy2025"] = (metrics.price_to_sales(mcap, f.fin(company, "FY2025", "revenue", currency="CNY"))
                                if has_fy2025 else None)
            rows.append(row)
    return rows


def listings_2026(f: Facts) -> list[dict]:
    """The AI and AI-chip listings of 2026 in the data, with the offer price and the money raised."""
    offerings = f.rows("offerings", kind="ipo", record=False)
    rows = []
    for _, offering in offerings.iterrows():
        dates = f.rows("offering_dates", offering_id=offering["offering_id"], event="listing", record=False)
        if dates.empty or dates["date"].iloc[0].year != 2026:
            continue
        oid = offering["offering_id"]
        currency = offering["currency"]
        row = {"company": f.name(offering["company_id"]), "exchange": offering["exchange"],
               "listed": f.date(oid, "listing"), "offer": f.term(oid, "offer_price", currency=currency),
               "currency": currency,
               "gross_m": f.term(oid, "gross_proceeds", unit="million", currency=currency)
               if f.has_term(oid, "gross_proceeds") else None}
        rows.append(row)
    return sorted(rows, key=lambda r: (r["listed"], str(r["company"])))
