from __future__ import annotations

import pandas as pd

from gpuipo.chapters.aftermarket.lookups import EVENT_WINDOWS, PERIOD_NAMES, PLACING, latest_common_day
from gpuipo.chapters.aftermarket.returns import (capital_raised, cohort_returns, gpu_premium, horizon_returns,
                                                 listings_2026, lockup_event_study, monthly_table, results_table,
                                                 risk_table, share_steps, timeline, valuation_now, window_name)
from gpuipo.facts import Facts, Text, marked, prices, shown
from gpuipo.facts.dates import written, written_to
from gpuipo.shared.deals import BIREN, LISTING_DAY, biren_close


def _pct(value) -> str:
    return "" if value is None else shown(value, "+.1%").replace("-", "−")


def _day(day, precision: str = "day") -> str:
    return written_to(day, precision).replace(" ", "\u00a0")   # a date never breaks across lines


def timeline_table(f: Facts) -> pd.DataFrame:
    events = timeline(f)
    return pd.DataFrame({"No.": [str(e["number"]) for e in events],
                         "Date": [_day(e["date"], e["precision"]) for e in events],
                         "Event": [marked(str(e["event"]), e["event"]) for e in events],
                         "Status": [e["status"] for e in events]})


def horizon_names(rows: list[dict]) -> Text:
    names = [r["horizon"].lower() for r in rows]
    words = " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]
    return Text(words or "none", frozenset().union(*(r["excess_hsi"].served for r in rows)) if rows else frozenset())


def merged_horizons(rows: list[dict]) -> list[dict]:
    """Horizons that fall on the same trading day, shown once under both names."""
    out = []
    for row in rows:
        if out and out[-1]["date"] == row["date"]:
            out[-1] = {**out[-1], "horizon": f"{out[-1]['horizon']} ({row['horizon'].lower()})"}
        else:
            out.append(dict(row))
    return out


def horizon_table(f: Facts) -> pd.DataFrame:
    rows = merged_horizons(horizon_returns(f))
    return pd.DataFrame({"Horizon": [f"{r['horizon']}, {_day(r['date'])}" for r in rows],
                         "Close (HK$)": [shown(r["close"], ".2f") for r in rows],
                         "From the offer": [_pct(r["from_offer"]) for r in rows],
                         "From the first close": [_pct(r["from_first_close"]) for r in rows],
                         "HSI": [_pct(r["HSI"]) for r in rows],
                         "HSTECH": [_pct(r["HSTECH"]) for r in rows],
                         "Biren less HSI": [_pct(r["excess_hsi"]) for r in rows]})


def cohort_table(f: Facts) -> pd.DataFrame:
    rows = cohort_returns(f)
    columns = {"Company (listed)": [f"{r['company']} ({_day(r['listing'])})" for r in rows]}
    for name in ("First close", "One month", "Six months", "Lock-up expiry", "Latest common date"):
        columns[name] = [_pct(r[name]) for r in rows]
    return pd.DataFrame(columns)


def event_table(f: Facts) -> pd.DataFrame:
    rows = lockup_event_study(f)
    columns = {"Company": [str(r["company"]) for r in rows], "Day 0": [_day(r["day"]) for r in rows]}
    for before, after in EVENT_WINDOWS:
        name = window_name(before, after)
        columns["Day 0 (AR)" if name == "day 0" else f"CAR {name}"] = [_pct(r[name]) for r in rows]
    columns[f"BHAR {window_name(*EVENT_WINDOWS[-1])}"] = [_pct(r["bhar"]) for r in rows]
    return pd.DataFrame(columns)


def risk_frame(f: Facts) -> pd.DataFrame:
    rows = risk_table(f)
    return pd.DataFrame({
        "Series": [str(r["name"]) for r in rows],
        "From": [_day(r["start"]) for r in rows],
        "Largest fall": [_pct(r["drawdown"]) for r in rows],
        "Peak to trough": [f"{_day(r['peak'])} to {_day(r['trough'])}" for r in rows],
        "Annualised volatility": [shown(r["volatility"], ".0%") for r in rows],
        "Average daily turnover (HK$ m)": [shown(r["turnover_m"], ",.0f") if "turnover_m" in r else "" for r in rows]})


def monthly_frame(f: Facts) -> pd.DataFrame:
    rows = monthly_table(f)
    return pd.DataFrame({
        "Month": [written(r["month"], "short_month") for r in rows],
        "Last close (HK$)": [shown(r["close"], ".2f") for r in rows],
        "Biren in the month (January: from the first close)": [_pct(r["change"]) for r in rows],
        "HSI in the month": [_pct(r["hsi_change"]) for r in rows],
        "Average daily turnover (HK$ m)": [shown(r["turnover_m"], ",.0f") for r in rows],
        "Trading days": [str(r["days"]) for r in rows]})


def results_frame(f: Facts) -> pd.DataFrame:
    rows = results_table(f)
    return pd.DataFrame({
        "Period": [PERIOD_NAMES[r["period"]] for r in rows],
        "Revenue (CNY m)": [shown(r["revenue"], ",.1f") for r in rows],
        "Gross margin": [shown(r["gross_margin"], ".1%") for r in rows],
        "Adjusted net loss (CNY m)": [shown(r["adjusted_loss"], ",.1f") for r in rows],
        "Five largest customers' share": [shown(r["top5"], ".1%") for r in rows]})


def shares_frame(f: Facts) -> pd.DataFrame:
    steps = share_steps(f)
    return pd.DataFrame({
        "Step": [str(s["step"]) for s in steps],
        "New shares (m)": ["" if s["new"] is None else shown(s["new"] / 1e6, ",.1f") for s in steps],
        "Shares in issue (m)": [shown(s["shares"] / 1e6, ",.1f") for s in steps],
        "Change since listing": [_pct(s["vs_listing"]) if i else "" for i, s in enumerate(steps)]})


def valuation_frame(f: Facts) -> pd.DataFrame:
    rows = valuation_now(f)
    return pd.DataFrame({
        "Biren": [f"{r['label']}, HK$ {shown(r['price'], '.2f')}" for r in rows],
        "Market value (HK$ bn)": [shown(r["mcap_hkd_bn"], ",.1f") for r in rows],
        "CNY per HK$ (rates of)": [f"{shown(r['rate'], '.4f')} ({r['rate_dates']})" for r in rows],
        "Market value (CNY bn)": [shown(r["mcap_cny_bn"], ",.1f") for r in rows],
        "P/S, 2024 revenue": [shown(r["ps_fy2024"], ",.0f") for r in rows],
        "P/S, 2025 revenue": [shown(r["ps_fy2025"], ",.0f") for r in rows],
        "P/S, run-rate revenue": [shown(r["ps_run_rate"], ",.0f") for r in rows]})


def premium_frame(f: Facts) -> pd.DataFrame:
    rows = gpu_premium(f)
    return pd.DataFrame({
        "Company": [str(r["company"]) for r in rows],
        "Date": [_day(r["date"], r["precision"]) for r in rows],
        "Market value (CNY bn)": [shown(r["mcap_bn"], ",.1f") for r in rows],
        "P/S, 2024 revenue": [shown(r["ps_fy2024"], ",.0f") for r in rows],
        "P/S, 2025 revenue": ["not in the data" if r["ps_fy2025"] is None else shown(r["ps_fy2025"], ",.0f")
                              for r in rows]})


def listings_frame(f: Facts) -> pd.DataFrame:
    rows = listings_2026(f)
    return pd.DataFrame({
        "Company": [str(r["company"]) for r in rows],
        "Exchange": [r["exchange"] for r in rows],
        "Listed": [_day(r["listed"]) for r in rows],
        "Offer price": [f"{r['currency']} {shown(r['offer'], ',.2f')}" for r in rows],
        "Raised (millions, before options)": ["not in the data" if r["gross_m"] is None
                                              else f"{r['currency']} {shown(r['gross_m'], ',.0f')}" for r in rows]})


def deal_box(f: Facts) -> pd.DataFrame:
    """Where Biren stands, in one small table: the deal, its value then and now, and the return since."""
    company = f.company("biren")
    offer_price = f.term(BIREN, "offer_price", currency="HKD")
    listed = f.term(BIREN, "shares_outstanding_at_listing")
    latest = latest_common_day(f)
    latest_close = prices.close_on(f, "biren", latest)
    first_close = biren_close(f, LISTING_DAY)
    raised = capital_raised(f)
    hsi = prices.index_close_on(f, "HSI", latest) / prices.index_close_on(f, "HSI", LISTING_DAY) - 1
    placing_day = f.date(PLACING, "announced")
    rows = [
        ("Ticker", Text(f"{company['ticker']}, listed {f.date_text(BIREN, 'listing')} on the {company['board']}",
                        f.served(company))),
        ("Offer price and money raised", f"HK$ {shown(offer_price, '.2f')}; HK$ {shown(raised['ipo_gross_m'], ',.0f')} "
                                         f"million, and HK$ {shown(raised['greenshoe_gross_m'], ',.0f')} million from the "
                                         "over-allotment option"),
        ("Market value", f"HK$ {shown(offer_price * listed / 1e9, ',.1f')} billion at the offer price, "
                         f"{shown(first_close * listed / 1e9, ',.1f')} billion at the first close (HK$ "
                         f"{shown(first_close, '.2f')}), at least "
                         f"{shown(latest_close * f.term(BIREN, 'shares_outstanding_after_greenshoe') / 1e9, ',.1f')} "
                         f"billion on {_day(latest)} (HK$ {shown(latest_close, '.2f')}; on the shares the data records)"),
        ("Return since the offer", f"{_pct(latest_close / offer_price - 1)} to {_day(latest)}, the last daily close "
                                   f"in the data; from the first close {_pct(latest_close / first_close - 1)}, against "
                                   f"{_pct(hsi)} for the Hang Seng Index"),
        ("Latest price found", f"a placing of new shares announced at HK$ {shown(raised['placing_price'], '.2f')} on "
                               f"{_day(placing_day)}, {shown(raised['placing_discount'], '.2%')} below the close before "
                               f"it, which puts that close near HK$ {shown(raised['placing_prior_close'], '.2f')} "
                               f"({_pct(raised['placing_prior_close'] / offer_price - 1)} from the offer)"),
        ("Data as of", _day(f.data_as_of())),
    ]
    # Where it is now first: the return, the value, the latest price; then the deal itself.
    rows = [rows[i] for i in (3, 2, 4, 1, 0, 5)]
    return pd.DataFrame({"Biren Technology 壁仞科技": [label for label, _ in rows],
                         "Where it stands": [marked(str(value), value) if isinstance(value, Text) else value
                                             for _, value in rows]})
