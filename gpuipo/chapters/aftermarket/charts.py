from __future__ import annotations

import altair as alt
import pandas as pd

from gpuipo.chapters.aftermarket.lookups import BASE_LEVEL, COHORT, INDICES, lockup_day
from gpuipo.chapters.aftermarket.returns import debut_table, event_marks, rebased
from gpuipo.facts import Facts, metrics, prices
from gpuipo.facts.dates import CHART_DAY, CHART_MONTH, written
from gpuipo.shared.deals import BIREN, LISTING_DAY
from gpuipo.shared.style import ACCENT, MUTED, NARROW, PALETTE, subject_on_top
from gpuipo.shared.words import change, listing, number, percent


def path_chart(f: Facts):
    lines = rebased(f)
    end = lines["date"].max()
    first = float(prices.close_on(f, "biren", LISTING_DAY))
    offer_level = float(f.term(BIREN, "offer_price", currency="HKD")) / first * BASE_LEVEL
    marks = event_marks(f, end)
    order = ["Biren 壁仞科技", *INDICES.values()]
    base = alt.Chart(lines).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format=CHART_MONTH, tickCount="month")),
        y=alt.Y("level:Q", title=f"First close = {BASE_LEVEL}", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=None, sort=order, scale=alt.Scale(domain=order, range=[ACCENT, PALETTE[1], MUTED])),
        strokeDash=alt.StrokeDash("series:N", title=None, sort=order,
                                  scale=alt.Scale(domain=order, range=[[1, 0], [6, 3], [2, 2]])),
        strokeWidth=alt.StrokeWidth("series:N", title=None, sort=order,
                                    scale=alt.Scale(domain=order, range=[2.5, 1.5, 1.5])),
        tooltip=[alt.Tooltip("series:N", title=None), alt.Tooltip("date:T", format=CHART_DAY),
                 alt.Tooltip("level:Q", title="Level", format=".1f")])
    rules = alt.Chart(marks).mark_rule(color="#999999", strokeWidth=0.8).encode(x="date:T")
    labels = alt.Chart(marks).mark_text(dy=-4, fontSize=10, color="#333333", baseline="bottom").encode(
        x="date:T", y=alt.value(0), text="n:N")
    offer_rule = alt.Chart(pd.DataFrame({"level": [offer_level], "text": ["offer price"]}))
    offer_line = offer_rule.mark_rule(strokeDash=[4, 3], color="#444444").encode(y="level:Q")
    offer_text = offer_rule.mark_text(align="left", dx=2, dy=-6, fontSize=10, color="#444444").encode(
        y="level:Q", x=alt.value(0), text="text:N")
    return (rules + labels + offer_line + offer_text + base.mark_line()).properties(
        description=_path_words(lines, offer_level, len(marks)),
        title=alt.Title("Biren against the Hang Seng indices, 2026",
                        subtitle="Daily closes, first close on 2 January = 100; numbers mark the events in the timeline"))


def _path_words(lines: pd.DataFrame, offer_level: float, events: int) -> str:
    series = {name: frame.set_index("date")["level"] for name, frame in lines.groupby("series", sort=False)}
    biren = series.pop("Biren 壁仞科技")
    peak = biren.idxmax()
    after_peak = biren.loc[peak:]
    low = after_peak.idxmin()
    ends = listing(f"the {name} at {number(level.iloc[-1])}" for name, level in series.items())
    return (f"Line chart of daily closes from {written(biren.index[0])} to {written(biren.index[-1])}, each series set "
            f"to {BASE_LEVEL} at Biren's first close. Biren peaks at {number(biren.max())} on {written(peak)}, falls to "
            f"{number(after_peak.min())} on {written(low)} and ends at {number(biren.iloc[-1])}; {ends}. The offer "
            f"price sits at {number(offer_level)}; {events} numbered lines mark the events of the deal timeline.")


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
    ends = frame[frame["t"] == frame["t"].max()].set_index("company")["car"]
    lowest = frame.loc[frame.groupby("company")["car"].idxmin()].set_index("company")
    return (zero_rule + line).properties(description=(
        f"{len(names)} lines of cumulative abnormal return against the Hang Seng Index, from "
        f"{-int(frame['t'].min())} trading days before each lock-up's first free day to {int(frame['t'].max())} after: "
        + "; ".join(f"{name} reaches {percent(lowest.loc[name, 'car'])} at its lowest (day {int(lowest.loc[name, 't'])}) "
                    f"and ends at {percent(ends[name])}" for name in names) + "."),
        title=alt.Title(
        "Lock-up expiries: the stock against the Hang Seng Index",
        subtitle="Sum of daily returns less the HSI's, from 20 trading days before the first free day"))


def debut_chart(f: Facts):
    frame = pd.DataFrame(debut_table(f))
    frame["company"] = frame["company"].astype(str)
    frame["label"] = frame["company"] + " (" + frame["listing"].map(lambda d: written(d, "short")) + ")"
    frame["subject"] = frame["company_id"] == "biren"
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("change:Q", title="First-day close against the offer price", axis=alt.Axis(format="%")),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("subject:N", legend=None, scale=alt.Scale(domain=[False, True], range=[MUTED, ACCENT])),
        tooltip=[alt.Tooltip("label:N", title="Listing"), alt.Tooltip("offer:Q", title="Offer (HK$)", format=".2f"),
                 alt.Tooltip("close:Q", title="Close (HK$)", format=".2f"), alt.Tooltip("change:Q", format="+.1%")],
    ).properties(width=NARROW, height=170, description=(
        "Bars of the first close against the offer price: " + listing(
            f"{row.company} {change(row.change)}" for row in frame.sort_values("change", ascending=False).itertuples())
        + "."), title=alt.Title("Hong Kong debuts: Biren, the January 2026 AI cohort and CATL",
                                                          subtitle="Change of the first close from the offer price"))
