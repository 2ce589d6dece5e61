"""Chapter 4: the first year after the listing (everything here happened after 2025-12-22).

Daily prices come from data/stock_daily.csv and data/index_daily.csv on the comparable basis (gpuipo.facts.prices),
so a split never reads as a crash; offer prices are moved onto the same basis before any return is taken.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from gpuipo.contract import loader as data
from gpuipo.facts import metrics
from gpuipo.facts import prices
from gpuipo.publish.charts import ACCENT, MUTED, NARROW, PALETTE, subject_on_top
from gpuipo.shared.deals import BIREN, LISTING_DAY, biren_close, cny_per
from gpuipo.facts import Fact, Facts, Text, marked, shown
from gpuipo.contract.vocabulary import DATA_HORIZON

PLACING = "biren-2026-10-placing"
INDICES = {"HSI": "Hang Seng Index", "HSTECH": "Hang Seng TECH Index"}
# The January 2026 cohort: Hong Kong AI listings with a daily series in the data.
COHORT = {"biren": BIREN, "iluvatar": "iluvatar-hk-ipo", "zhipu": "zhipu-hk-ipo", "minimax": "minimax-hk-ipo"}
HORIZONS = [("First close", 0), ("One month", 1), ("Three months", 3), ("Six months", 6)]
# Event windows in trading days around the first day the locked-up shares could trade (day 0).
EVENT_WINDOWS = [(0, 0), (5, 5), (20, 20)]
TRADING_DAYS_A_YEAR = 252


# --- look-ups: listing, lock-up and the latest common day ----------------------------------------------

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


# --- returns at fixed horizons -------------------------------------------------------------------------

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


# --- the lock-up expiry as an event study ----------------------------------------------------------------

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


# --- risk and trading over the year -----------------------------------------------------------------------

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


# --- results against the listing story ----------------------------------------------------------------------

RESULT_PERIODS = ["FY2023", "FY2024", "H1-2025", "FY2025"]


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


# --- new capital and dilution --------------------------------------------------------------------------------

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


# --- the deal timeline ------------------------------------------------------------------------------------------

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


def timeline(f: Facts) -> list[dict]:
    """Biren's dated events since the prospectus: the offerings' dates, the company's later milestones (its
    listing milestones repeat the offering dates and are left out) and brokers' first ratings."""
    events = []

    def add(frame, table, words, status=lambda row: "done"):
        for index, row in frame.iterrows():
            row.attrs["table"] = table
            events.append({"date": row["date"], "event": Text(words(row), f.served(row)), "status": status(row),
                           "grade": f.grades(frame.loc[[index]]).iloc[0], "precision": row.get("date_precision", "day")})

    offerings = f.rows("offerings", company_id="biren", record=False)["offering_id"].tolist()
    add(f.rows("offering_dates", offering_id=offerings, event=list(OFFERING_EVENTS), record=False), "offering_dates",
        lambda row: OFFERING_EVENTS[row["event"]],
        lambda row: "scheduled" if row["date"].date() > DATA_HORIZON else "done")
    add(f.rows("biren_milestones", where=lambda t: (t["date"] >= TIMELINE_START) & (t["product"] != "IPO"),
               record=False), "biren_milestones", lambda row: row["event"], lambda row: row["status"])
    add(f.rows("analyst_ratings", company_id="biren", action="initiate", record=False), "analyst_ratings",
        lambda row: f"{row['broker']} starts coverage at {row['rating']}")
    # An event known only to the year or month sorts at the end of it, not on its first day.
    ends = {"day": pd.offsets.Day(0), "month": pd.offsets.MonthEnd(0), "year": pd.offsets.YearEnd(0)}
    events.sort(key=lambda e: (e["date"] + ends[e["precision"]], str(e["event"])))
    for number, event in enumerate(events, 1):
        event["number"] = number
    return events


# --- charts -----------------------------------------------------------------------------------------------------

def rebased(f: Facts) -> pd.DataFrame:
    """Biren and both indices, each set to 100 at Biren's first close."""
    frames = []
    for name, series in (("Biren 壁仞科技", prices.closes(f, "biren")),
                         *((INDICES[i], prices.index_closes(f, i)) for i in INDICES)):
        span = series.loc[LISTING_DAY:]
        frames.append(pd.DataFrame({"date": span.index, "series": name, "level": (span / span.iloc[0] * 100).values}))
    return pd.concat(frames, ignore_index=True)


def event_marks(f: Facts, end) -> pd.DataFrame:
    """The timeline's events dated to the day between the listing and `end`, by number, for the price chart."""
    return pd.DataFrame([{"date": e["date"], "n": str(e["number"])} for e in timeline(f)
                         if LISTING_DAY <= e["date"] <= end and e["precision"] == "day"])


def path_chart(f: Facts):
    lines = rebased(f)
    end = lines["date"].max()
    first = float(prices.close_on(f, "biren", LISTING_DAY))
    offer_level = float(f.term(BIREN, "offer_price", currency="HKD")) / first * 100
    marks = event_marks(f, end)
    order = ["Biren 壁仞科技", *INDICES.values()]
    base = alt.Chart(lines).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b", tickCount="month")),
        y=alt.Y("level:Q", title="First close = 100", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=None, sort=order, scale=alt.Scale(domain=order, range=[ACCENT, PALETTE[1], MUTED])),
        strokeDash=alt.StrokeDash("series:N", title=None, sort=order,
                                  scale=alt.Scale(domain=order, range=[[1, 0], [6, 3], [2, 2]])),
        strokeWidth=alt.StrokeWidth("series:N", title=None, sort=order,
                                    scale=alt.Scale(domain=order, range=[2.5, 1.5, 1.5])),
        tooltip=[alt.Tooltip("series:N", title=None), alt.Tooltip("date:T", format="%d %b %Y"),
                 alt.Tooltip("level:Q", title="Level", format=".1f")])
    rules = alt.Chart(marks).mark_rule(color="#999999", strokeWidth=0.8).encode(x="date:T")
    labels = alt.Chart(marks).mark_text(dy=-4, fontSize=10, color="#333333", baseline="bottom").encode(
        x="date:T", y=alt.value(0), text="n:N")
    offer_rule = alt.Chart(pd.DataFrame({"level": [offer_level], "text": ["offer price"]}))
    offer_line = offer_rule.mark_rule(strokeDash=[4, 3], color="#444444").encode(y="level:Q")
    offer_text = offer_rule.mark_text(align="left", dx=2, dy=-6, fontSize=10, color="#444444").encode(
        y="level:Q", x=alt.value(0), text="text:N")
    return (rules + labels + offer_line + offer_text + base.mark_line()).properties(
        title=alt.Title("Biren against the Hang Seng indices, 2026",
                        subtitle="Daily closes, first close on 2 January = 100; numbers mark the events in the timeline"))


def event_chart(f: Facts):
    """Cumulative abnormal return (against the HSI) from 20 trading days before each lock-up expiry to 20 after."""
    market = prices.index_closes(f, "HSI")
    frames = []
    for company in COHORT:
        stock = prices.closes(f, company)
        day = lockup_day(f, company)
        abnormal = metrics.abnormal_returns(stock, market)
        days = list(abnormal.index)
        zero = days.index(day)
        window = abnormal.iloc[zero - 20: zero + 21]
        frames.append(pd.DataFrame({"company": str(f.name(company)), "t": range(-20, 21), "car": window.cumsum().values}))
    frame = pd.concat(frames, ignore_index=True)
    names = [str(f.name(c)) for c in COHORT]
    line = alt.Chart(frame).mark_line().encode(
        x=alt.X("t:Q", title="Trading days from the first free day", scale=alt.Scale(domain=[-20, 20]),
                axis=alt.Axis(values=list(range(-20, 21, 5)))),
        y=alt.Y("car:Q", title="Cumulative abnormal return", axis=alt.Axis(format="%")),
        color=alt.Color("company:N", title=None, sort=names, scale=alt.Scale(domain=names, range=[ACCENT, *PALETTE[1:4]])),
        tooltip=[alt.Tooltip("company:N", title=None), alt.Tooltip("t:Q", title="Day"),
                 alt.Tooltip("car:Q", title="CAR", format="+.1%")])
    zero_rule = alt.Chart(pd.DataFrame({"t": [0]})).mark_rule(color="#444444", strokeDash=[4, 3]).encode(x="t:Q")
    line = subject_on_top(line, "company", names[0])
    return (zero_rule + line).properties(title=alt.Title(
        "Lock-up expiries: the stock against the Hang Seng Index",
        subtitle="Sum of daily returns less the HSI's, from 20 trading days before the first free day"))


# --- the debut (dated observations of grade A or B where the data has them) ----------------------------------

DEBUTS = [("biren", BIREN, "2026-01-02"), ("iluvatar", "iluvatar-hk-ipo", "2026-01-08"),
          ("zhipu", "zhipu-hk-ipo", "2026-01-08"), ("minimax", "minimax-hk-ipo", "2026-01-09"),
          ("catl", "catl-hk-ipo", "2025-05-20")]


def debut_table(f: Facts) -> list[dict]:
    rows = []
    for company, offering, day in DEBUTS:
        price = f.term(offering, "offer_price", currency="HKD")
        close = biren_close(f, day) if company == "biren" else f.obs(company, day, "close", currency="HKD")
        rows.append({"company_id": company, "company": f.name(company), "listing": pd.Timestamp(day), "offer": price,
                     "close": close, "change": metrics.change(price, close)})
    return rows


def debut_chart(f: Facts):
    frame = pd.DataFrame(debut_table(f))
    frame["company"] = frame["company"].astype(str)
    frame["label"] = frame["company"] + " (" + frame["listing"].dt.strftime("%d %b %Y") + ")"
    frame["subject"] = frame["company_id"] == "biren"
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("change:Q", title="First-day close against the offer price", axis=alt.Axis(format="%")),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("subject:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N", title="Listing"), alt.Tooltip("offer:Q", title="Offer (HK$)", format=".2f"),
                 alt.Tooltip("close:Q", title="Close (HK$)", format=".2f"), alt.Tooltip("change:Q", format="+.1%")],
    ).properties(width=NARROW, height=170, title=alt.Title("Hong Kong debuts: Biren, the January 2026 AI cohort and CATL",
                                                          subtitle="Change of the first close from the offer price"))


# --- the chapter's numbers -------------------------------------------------------------------------------------

def figures(f: Facts) -> dict:
    offer_price = f.term(BIREN, "offer_price", currency="HKD")
    listed = f.term(BIREN, "shares_outstanding_at_listing")
    close = biren_close(f, LISTING_DAY)
    v = {
        "offer": offer_price,
        "open": f.obs("biren", LISTING_DAY, "open", currency="HKD"),
        "high": f.obs("biren", LISTING_DAY, "intraday_high", currency="HKD"),
        "close": close,
        "mcap_offer_bn": offer_price * listed / 1e9,
        "mcap_close_bn": f.obs("biren", LISTING_DAY, "close", "market_cap", unit="billion", currency="HKD"),
        "greenshoe_exercised_m": f.term(BIREN, "greenshoe_exercised_shares") / 1e6,
        "shares_after_greenshoe_m": f.term(BIREN, "shares_outstanding_after_greenshoe") / 1e6,
        "stabilization_end": f.date_text(BIREN, "stabilization_period_ends"),
    }
    for key in ("open", "high", "close"):
        v[f"{key}_vs_offer"] = v[key] / offer_price - 1
    debuts = {r["company_id"]: r for r in debut_table(f)}
    for company in ("iluvatar", "zhipu", "minimax", "catl"):
        v[f"{company}_day1"] = debuts[company]["change"]

    # The year in prices.
    closes = prices.closes(f, "biren")
    latest = latest_common_day(f)
    peak_day, low_day = closes.loc[:latest].idxmax(), closes.loc[:latest].idxmin()
    v.update({"latest": Text(f"{latest:%d %B %Y}".lstrip("0"), prices.close_on(f, "biren", latest).served),
              "peak": prices.close_on(f, "biren", peak_day), "peak_day": Text(f"{peak_day:%d %B}".lstrip("0")),
              "low": prices.close_on(f, "biren", low_day), "low_day": Text(f"{low_day:%d %B}".lstrip("0"))})
    v["peak_vs_offer"] = v["peak"] / offer_price - 1
    v["low_vs_offer"] = v["low"] / offer_price - 1
    horizons = horizon_returns(f)
    by_horizon = {r["horizon"]: r for r in horizons}
    for key, name in (("m1", "One month"), ("m6", "Six months"), ("lockup", "Lock-up expiry"), ("now", "Latest common date")):
        r = by_horizon[name]
        v.update({f"{key}_close": r["close"], f"{key}_from_offer": r["from_offer"], f"{key}_from_first": r["from_first_close"],
                  f"{key}_hsi": r["HSI"], f"{key}_hstech": r["HSTECH"], f"{key}_excess_hsi": r["excess_hsi"],
                  f"{key}_excess_hstech": r["from_first_close"] - r["HSTECH"]})
    v["m3_from_first"] = by_horizon["Three months"]["from_first_close"]
    v["rise_to_peak"] = v["peak"] / by_horizon["Three months"]["close"] - 1
    v["mcap_now_bn"] = v["now_close"] * f.term(BIREN, "shares_outstanding_after_greenshoe") / 1e9
    later = [r for r in merged_horizons(horizons) if r["horizon"] != "First close"]
    ahead = [r for r in later if r["excess_hsi"] > 0]
    behind = [r for r in later if r["excess_hsi"] <= 0]
    v["beat_hsi_horizons"], v["horizons"] = len(ahead), len(later)
    v["ahead_at"] = _horizon_names(ahead)
    v["behind_at"] = _horizon_names(behind)
    v["offer_verdict"] = Text("it was" if v["now_from_offer"] > 0 and v["low"] > offer_price else "it was not",
                              v["now_from_offer"].served | v["low"].served)
    v["offer_never_breached"] = Text("never closed below it" if v["low"] > offer_price else "closed below it at times",
                                     v["low"].served)

    # Lock-up expiry.
    study = {r["company_id"]: r for r in lockup_event_study(f)}
    cohort_days = sorted({lockup_day(f, c) for c in COHORT if c != "biren"})
    v["cohort_lockup_days"] = Text(" and ".join(f"{d:%d %B}".lstrip("0") for d in cohort_days))
    v["lockup_day"] = Text(f"{lockup_day(f, 'biren'):%d %B %Y}".lstrip("0"), f.row(
        "offering_dates", offering_id=BIREN, event="lockup_first_free_day").pipe(f.served))
    v["lockup_ar0"] = study["biren"]["day 0"]
    v["lockup_car5"] = study["biren"][window_name(5, 5)]
    v["lockup_car20"] = study["biren"][window_name(20, 20)]
    v["lockup_bhar20"] = study["biren"]["bhar"]
    biren_day0 = lockup_day(f, "biren")
    same_day = [event_window(f, c, biren_day0, 0, 0) for c in COHORT if c != "biren"]
    v["cohort_ar_on_biren_day0"] = sum(same_day[1:], same_day[0]) / len(same_day)
    v["biren_ar0_less_cohort"] = v["lockup_ar0"] - v["cohort_ar_on_biren_day0"]
    coinciding = [c for c in COHORT if study[c]["placing_on_day0"]]
    v["placing_day0_companies"] = Text(" and ".join(str(f.name(c)) for c in coinciding) or "none")
    zhipu_days = list(prices.closes(f, "zhipu").index)
    zhipu_earlier = zhipu_days[zhipu_days.index(lockup_day(f, "zhipu")) - 1]   # the earlier dataset's day 0
    v["zhipu_car5_day_before"] = event_window(f, "zhipu", zhipu_earlier, 5, 5)
    v["zhipu_day_before"] = Text(f"{zhipu_earlier:%d %B}".lstrip("0"))
    others = [study[c][window_name(5, 5)] for c in COHORT if c != "biren"]
    v["cohort_car5_min"], v["cohort_car5_max"] = min(others), max(others)

    # Risk.
    risk = {r["id"]: r for r in risk_table(f)}
    v["drawdown"] = risk["biren"]["drawdown"]
    v["drawdown_depth"] = -v["drawdown"]
    v["drawdown_peak"] = Text(f"{risk['biren']['peak']:%d %B}".lstrip("0"))
    v["drawdown_trough"] = Text(f"{risk['biren']['trough']:%d %B}".lstrip("0"))
    v["vol"] = risk["biren"]["volatility"]
    v["vol_hsi"] = risk["HSI"]["volatility"]
    v["vol_hstech"] = risk["HSTECH"]["volatility"]
    v["turnover_m"] = risk["biren"]["turnover_m"]

    # Results.
    results = {r["period"]: r for r in results_table(f)}
    v["rev_fy2025_m"] = results["FY2025"]["revenue"]
    v["rev_growth_fy2025"] = results["FY2025"]["revenue"] / results["FY2024"]["revenue"] - 1
    v["gm_fy2025"] = results["FY2025"]["gross_margin"]
    v["gm_fy2024"] = results["FY2024"]["gross_margin"]
    v["gm_h1_2025"] = results["H1-2025"]["gross_margin"]
    v["top5_fy2025"] = results["FY2025"]["top5"]
    v["top5_fy2024"] = results["FY2024"]["top5"]
    v["adj_loss_fy2025_m"] = results["FY2025"]["adjusted_loss"]
    v["adj_loss_fy2024_m"] = results["FY2024"]["adjusted_loss"]
    h1 = h1_2026(f)
    v["h1_2026_growth"], v["h1_2026_implied_m"] = h1["growth"], h1["implied"]

    # Capital.
    raised = capital_raised(f)
    v.update({f"cap_{k}": value for k, value in raised.items()})
    v["placing_shares_m"] = f.term(PLACING, "new_shares") / 1e6
    steps = share_steps(f)
    v["shares_latest_m"] = steps[-1]["shares"] / 1e6
    v["dilution_since_listing"] = steps[-1]["vs_listing"]

    # Valuation now, and the A-share premium.
    now = valuation_now(f)
    v["ps_close_fy2025"], v["ps_close_run_rate"] = now[1]["ps_fy2025"], now[1]["ps_run_rate"]
    v["ps_now_fy2025"], v["ps_now_run_rate"] = now[-1]["ps_fy2025"], now[-1]["ps_run_rate"]
    premium = {(r["company_id"], r["date"]): r for r in gpu_premium(f)}
    december, may = PREMIUM_DAYS
    v["premium_moore_dec"] = premium[("moore-threads", december)]["ps_fy2025"]
    v["premium_moore_may"] = premium[("moore-threads", may)]["ps_fy2025"]
    v["premium_cambricon_dec"] = premium[("cambricon", december)]["ps_fy2025"]
    v["premium_cambricon_may"] = premium[("cambricon", may)]["ps_fy2025"]
    v["premium_may_grades"] = Text("".join(sorted({row.grade for c in PREMIUM_PEERS
                                                   for row in premium[(c, may)]["mcap_bn"].served})))

    # The market in 2026.
    v["hk_ipo_h1_2026"] = f.number("hk_ipo_market", period="H1-2026", measure="ipo_count", compiler="press",
                                   as_of="2026-06-30")
    v["hk_funds_h1_2026_bn"] = f.number("hk_ipo_market", period="H1-2026", measure="funds_raised", compiler="press",
                                        as_of="2026-06-30", unit="billion", currency="HKD")
    v["southbound_2026_bn"] = f.number("southbound_flows", as_of="2026-09-25", measure="year_to_date", unit="billion",
                                       currency="HKD")
    v["next_lockup"] = f.date_text(BIREN, "controlling_holder_lockup_ends")
    # The latest dated index closes, which may run past the daily series.
    last = f.rows("index_levels", index_id="HSI", record=False)["date"].max()
    v["index_last_found"] = Text(f"{last:%d %B %Y}".lstrip("0"))
    for index_id in INDICES:
        v[f"{index_id.lower()}_last_found"] = f.index_close(index_id, last) / f.index_close(index_id, LISTING_DAY) - 1
    planned = f.row("biren_milestones", product="BR20X", status="planned")
    v["next_product"] = Text(planned["event"], f.served(planned))

    # Valuation at the listing, on the latest full year then known.
    v["ps_offer"], v["ps_close"] = now[0]["ps_fy2024"], now[1]["ps_fy2024"]
    rate, detail = cny_per(f, "HKD", LISTING_DAY)
    v["fx_cny_per_hkd"] = rate
    v["fx_dates"] = Text(" and ".join(d.strftime("%d %B %Y") for d in sorted(detail.dates)), rate.served)
    return v


# --- valuation now --------------------------------------------------------------------------------------------

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
              (f"At the close of {latest:%d %B %Y}".replace(" 0", " "), latest, prices.close_on(f, "biren", latest),
               f.term(BIREN, "shares_outstanding_after_greenshoe"))]
    rows = []
    for label, day, price, shares in points:
        rate, detail = cny_per(f, "HKD", day)
        mcap_hkd_m = price * shares / 1e6
        mcap_cny_m = mcap_hkd_m * rate
        row = {"label": Text(label), "day": day, "price": price, "mcap_hkd_bn": mcap_hkd_m / 1e3, "rate": rate,
               "rate_dates": Text(", ".join(f"{d:%d %b %Y}".lstrip("0") for d in sorted(detail.dates)), rate.served),
               "mcap_cny_bn": mcap_cny_m / 1e3}
        for key, revenue in revenues.items():
            row[key] = metrics.price_to_sales(mcap_cny_m, revenue)
        rows.append(row)
    return rows


PREMIUM_PEERS = ["cambricon", "moore-threads", "metax"]
PREMIUM_DAYS = [pd.Timestamp("2025-12-17"), pd.Timestamp("2026-05-01")]   # the second stands for May 2026


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


# --- tables as printed -------------------------------------------------------------------------------------------

def _pct(value) -> str:
    return "" if value is None else shown(value, "+.1%").replace("-", "−")


def _day(day, precision: str = "day") -> str:
    form = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}[precision]
    return f"{day:{form}}".lstrip("0").replace(" ", "\u00a0")   # a date never breaks across lines


def timeline_table(f: Facts) -> pd.DataFrame:
    events = timeline(f)
    return pd.DataFrame({"No.": [str(e["number"]) for e in events],
                         "Date": [_day(e["date"], e["precision"]) for e in events],
                         "Event": [marked(str(e["event"]), e["event"]) for e in events],
                         "Status": [e["status"] for e in events]})


def _horizon_names(rows: list[dict]) -> Text:
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
        "Month": [f"{r['month']:%b %Y}" for r in rows],
        "Last close (HK$)": [shown(r["close"], ".2f") for r in rows],
        "Biren in the month (January: from the first close)": [_pct(r["change"]) for r in rows],
        "HSI in the month": [_pct(r["hsi_change"]) for r in rows],
        "Average daily turnover (HK$ m)": [shown(r["turnover_m"], ",.0f") for r in rows],
        "Trading days": [str(r["days"]) for r in rows]})


PERIOD_NAMES = {"FY2023": "2023", "FY2024": "2024", "H1-2025": "First half 2025", "FY2025": "2025"}


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


def listings_frame(f: Facts) -> pd.DataFrame:
    rows = listings_2026(f)
    return pd.DataFrame({
        "Company": [str(r["company"]) for r in rows],
        "Exchange": [r["exchange"] for r in rows],
        "Listed": [_day(r["listed"]) for r in rows],
        "Offer price": [f"{r['currency']} {shown(r['offer'], ',.2f')}" for r in rows],
        "Raised (millions, before options)": ["not in the data" if r["gross_m"] is None
                                              else f"{r['currency']} {shown(r['gross_m'], ',.0f')}" for r in rows]})


# --- the front page's deal box ------------------------------------------------------------------------------------

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
        ("Data as of", _day(data.latest_date(f.data_dir))),
    ]
    # Where it is now first: the return, the value, the latest price; then the deal itself.
    rows = [rows[i] for i in (3, 2, 4, 1, 0, 5)]
    return pd.DataFrame({"Biren Technology 壁仞科技": [label for label, _ in rows],
                         "Where it stands": [marked(str(value), value) if isinstance(value, Text) else value for _, value in rows]})
