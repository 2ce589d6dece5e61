"""Chapter 1: how the A-share market priced 'high-end GPU' stocks."""
from __future__ import annotations

import altair as alt
import pandas as pd

from gpuipo.contract.vocabulary import TOLERANCES
from gpuipo.facts import Facts, Text, metrics, served_by, shown
from gpuipo.facts.dates import CHART_YEAR, written, written_to
from gpuipo.shared import deals
from gpuipo.shared.reading import fits
from gpuipo.shared.words import change, listing, number
from gpuipo.shared.style import ACCENT, MUTED, NARROW, PALETTE, WIDTH, subject_on_top

STAR_DEBUTS = [("moore-threads", "moore-threads-star-ipo", "2025-12-05"), ("metax", "metax-star-ipo", "2025-12-17")]


def cambricon_run(f: Facts) -> dict:
    trough_row = f.row("market_observations", company_id="cambricon", kind="period_low")
    trough = f.number("market_observations", company_id="cambricon", kind="period_low", currency="CNY")
    high = f.obs("cambricon", "2025-08-28", "intraday_high", currency="CNY")
    record_close = f.obs("cambricon", "2025-08-28", "close", currency="CNY")
    return {
        "cam_trough": trough,
        "cam_trough_month": Text(written(trough_row["date"], "month"), f.served(trough_row)),
        "cam_high": high,
        "cam_record_close": record_close,
        "cam_multiple_high": metrics.multiple(trough, high),
        "cam_multiple_close": metrics.multiple(trough, record_close),
        "cam_gain_high": metrics.change(trough, high),
        "cam_all_time_low": f.obs("cambricon", "2022-04-01", "all_time_low", currency="CNY"),
        "cam_offer": f.term("cambricon-star-ipo", "offer_price", currency="CNY"),
        "cam_peak_mcap_bn": f.obs("cambricon", "2025-08-28", "close", "market_cap", unit="billion", currency="CNY"),
        **article_fold_reading(f, metrics.change(trough, high), metrics.multiple(trough, high)),
    }


def article_fold_reading(f: Facts, gain, multiple) -> dict:
    """The article's "nearly N-fold" read by the report's one rule (gpuipo.shared.reading, as in the claims audit)."""
    claim = f.row("claims", claim_id="C01-03")
    stated = f.number("claims", "stated", claim_id="C01-03")
    decimals, qualifier = int(claim["stated_decimals"]), claim["stated_qualifier"]
    gain_fits, multiple_fits = (fits(value, stated, decimals, qualifier) for value in (gain, multiple))
    words = {(True, True): "fits both the gain and the price multiple",
             (True, False): "fits the gain but not the price multiple",
             (False, True): "fits the price multiple but not the gain",
             (False, False): "fits neither the gain nor the price multiple"}[(gain_fits, multiple_fits)]
    return {"article_cam_fold": stated,
            "cam_fold_reading": Text(words, served_by(gain) | served_by(multiple) | served_by(stated)),
            "tolerance_nearly": TOLERANCES["nearly"]}


def debut_records(f: Facts) -> list[dict]:
    """First-day prices of the two STAR GPU listings against their offer price."""
    rows = []
    for company, offering, day in STAR_DEBUTS:
        offer = f.term(offering, "offer_price", currency="CNY")
        shares = f.term(offering, "shares_outstanding_at_listing", unit="shares")
        open_, high, close = (f.obs(company, day, kind, currency="CNY") for kind in ("open", "intraday_high", "close"))
        rows.append({
            "company_id": company,
            "company": f.name(company),
            "listing": pd.Timestamp(day),
            "offer": offer, "open": open_, "high": high, "close": close,
            "change_open": metrics.change(offer, open_),
            "change_high": metrics.change(offer, high),
            "change_close": metrics.change(offer, close),
            "mcap_open_bn": metrics.market_cap(open_, shares) / 1e9,
            "mcap_close_bn": metrics.market_cap(close, shares) / 1e9,
            "mcap_close_stated_bn": f.obs(company, day, "close", "market_cap", unit="billion", currency="CNY"),
        })
    return rows


def debut_display(f: Facts) -> pd.DataFrame:
    """The debut table as printed: formatted strings, narrow enough for an A4 page."""
    t = pd.DataFrame(debut_records(f))
    return pd.DataFrame({
        "Company": t["company"],
        "Offer (CNY)": t["offer"].map("{:,.2f}".format),
        "Open": t["open"].map("{:,.2f}".format),
        "Close": t["close"].map("{:,.2f}".format),
        "Close vs offer": t["change_close"].map("{:+.2%}".format),
        "Value at open": t["mcap_open_bn"].map("{:,.1f}".format),
        "Value at close": t["mcap_close_bn"].map("{:,.1f}".format),
        "… reported": t["mcap_close_stated_bn"].map("{:,.1f}".format),
    })


def figures(f: Facts) -> dict:
    values = cambricon_run(f)
    debuts = {r["company_id"]: r for r in debut_records(f)}
    for company, key in (("moore-threads", "mt"), ("metax", "mx")):
        for column in ("offer", "open", "high", "close", "change_open", "change_high", "change_close",
                       "mcap_open_bn", "mcap_close_bn", "mcap_close_stated_bn"):
            values[f"{key}_{column}"] = debuts[company][column]
    basket = {r["company_id"]: r for r in deals.basket_valuation(f, deals.BASKET)}
    for company, key in (("cambricon", "cam"), ("moore-threads", "mt"), ("metax", "mx"), ("hygon", "hy")):
        values[f"{key}_ps"] = basket[company]["ps"]
    values["gpu_ps_min"] = min(basket["moore-threads"]["ps"], basket["metax"]["ps"])
    values["ps_ratio_gpu_to_hygon"] = values["gpu_ps_min"] / values["hy_ps"]
    values["mt_peak_close"] = f.obs("moore-threads", "2025-12-11", "close", currency="CNY")
    values["mt_close_1217"] = f.obs("moore-threads", "2025-12-17", "close", currency="CNY")
    values["mt_fall_to_1217"] = metrics.change(values["mt_peak_close"], values["mt_close_1217"])
    values["mt_online_sub"] = f.term("moore-threads-star-ipo", "online_subscription")
    values["mx_online_sub"] = f.term("metax-star-ipo", "online_subscription")
    values["cam_rev_9m2025"] = f.fin("cambricon", "9M-2025", "revenue", currency="CNY")
    values["cam_profit_9m2025"] = f.fin("cambricon", "9M-2025", "net_profit", currency="CNY")
    values["biren_customers_fy2024"] = f.fin("biren", "FY2024", "customers")
    values["biren_top5_fy2024"] = f.fin("biren", "FY2024", "top5_customer_share") / 100
    values["basket_date"] = written(deals.BASKET_DATE)
    return values


def hindsight(f: Facts) -> dict:
    """What the chapter can add with the record after the article (for its hindsight notes)."""
    peak = f.obs("moore-threads", "2025-12-11", "close", currency="CNY")
    close = f.obs("moore-threads", "2025-12-26", "close", currency="CNY")
    enflame = f.fin("enflame", "FY2024", "revenue", currency="CNY")
    public = max(row.known_from for row in enflame.served)
    return {
        "h_mt_close_1226": close,
        "h_mt_fall_from_peak": metrics.change(peak, close),
        "h_cam_rev_fy2025_growth": metrics.change(f.fin("cambricon", "FY2024", "revenue", currency="CNY"),
                                                  f.fin("cambricon", "FY2025", "revenue", currency="CNY")),
        "h_ilu_rev_fy2024": f.fin("iluvatar", "FY2024", "revenue", currency="CNY"),
        "h_enflame_rev_fy2024": enflame,
        "h_enflame_public": Text(written(public), enflame.served),
        "h_ilu_filing": f.date_text("iluvatar-hk-ipo", "listing"),
    }


def cambricon_chart(f: Facts) -> alt.Chart:
    rows = f.rows("market_observations", company_id="cambricon", measure="price",
                  where=lambda t: t["date"] >= pd.Timestamp("2022-01-01"))
    label = {"close": "close", "intraday_high": "record intraday high", "period_low": "2023 low (month)",
             "all_time_low": "all-time low (month)"}
    rows["point"] = rows["kind"].map(label)
    offer = f.term("cambricon-star-ipo", "offer_price", currency="CNY")
    base = alt.Chart(rows).encode(
        x=alt.X("date:T", title="Date", axis=alt.Axis(format=CHART_YEAR, tickCount="year")),
        y=alt.Y("value:Q", title="Share price (CNY, log scale)", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("point:N", title="Price"),
                 alt.Tooltip("value:Q", title="CNY", format=",.2f"), alt.Tooltip("source_id:N", title="Source")],
    )
    line = base.transform_filter(alt.datum.kind != "intraday_high").mark_line(color=MUTED, strokeDash=[4, 3])
    points = base.mark_point(size=80).encode(color=alt.Color("point:N", title=None))
    rule = alt.Chart(pd.DataFrame({"offer": [float(offer)]})).mark_rule(color=PALETTE[3], strokeDash=[2, 2]).encode(
        y="offer:Q")
    return (line + points + rule).properties(
        description=_cambricon_words(f, rows, offer),
        title=alt.Title("Cambricon 寒武纪: from the 2023 trough to the August 2025 record",
                        subtitle="Share price on dated observations, CNY, log scale; dotted line = 2020 IPO price"))


def _cambricon_words(f: Facts, rows: pd.DataFrame, offer) -> str:
    def point(kind):
        row = rows[rows["kind"] == kind].sort_values("value").iloc[0 if kind != "intraday_high" else -1]
        return f"CNY {number(row['value'], 2)} ({written_to(row['date'], row['date_precision'])})"
    listed = f.date("cambricon-star-ipo", "listing")
    return (f"Cambricon's share price on dated observations from {written(rows['date'].min(), 'year')} to "
            f"{written(rows['date'].max(), 'month')}, on a log scale: an all-time low of {point('all_time_low')}, a "
            f"later low of {point('period_low')} and a record intraday high of {point('intraday_high')}; the dotted "
            f"line is the price of its {written(listed, 'year')} IPO, CNY {number(offer, 2)}.")


def debut_chart(f: Facts) -> alt.Chart:
    table = pd.DataFrame(debut_records(f))
    long = table.melt(id_vars=["company"], value_vars=["change_open", "change_high", "change_close"],
                      var_name="moment", value_name="change")
    long["moment"] = long["moment"].map({"change_open": "open", "change_high": "intraday high",
                                         "change_close": "close"})
    moments = ["open", "intraday high", "close"]
    # Grouped bars in one view (not one panel per company), so a phone can lay the chart out again.
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("change:Q", title="Change from the offer price", axis=alt.Axis(format="%")),
        y=alt.Y("company:N", title=None),
        yOffset=alt.YOffset("moment:N", sort=moments),
        color=alt.Color("moment:N", title="Price on day one", sort=moments),
        tooltip=[alt.Tooltip("company:N"), alt.Tooltip("moment:N"), alt.Tooltip("change:Q", format="+.2%")],
    ).properties(width=NARROW, height=alt.Step(14, **{"for": "offset"}), description=(
        "Bars of the first trading day against the offer price: " + "; ".join(
            f"{record['company']} opened {change(record['change_open'])}, reached {change(record['change_high'])} "
            f"and closed {change(record['change_close'])}" for record in debut_records(f)) + "."),
        title=alt.Title(
        "First trading day of the STAR Market GPU listings",
        subtitle="Change of the open, intraday high and close against the offer price"))


def valuation_chart(f: Facts) -> alt.Chart:
    table = pd.DataFrame(deals.basket_valuation(f, deals.BASKET))
    return alt.Chart(table).mark_bar().encode(
        x=alt.X("ps:Q", title="Market value ÷ FY2024 revenue (times)"),
        y=alt.Y("company:N", title=None, sort="-x"),
        # The GPU makers are the report's subject: the accent; the ASIC and CPU makers are context.
        color=alt.Color("group:N", title=None, sort=[deals.GPU_GROUP, deals.PEER_GROUP],
                        scale=alt.Scale(domain=[deals.GPU_GROUP, deals.PEER_GROUP], range=[ACCENT, MUTED])),
        tooltip=[alt.Tooltip("company:N"), alt.Tooltip("date:T", title="Market value on"),
                 alt.Tooltip("mcap_bn:Q", title="Market value (CNY bn)", format=",.1f"),
                 alt.Tooltip("revenue_fy2024_m:Q", title="FY2024 revenue (CNY m)", format=",.0f"),
                 alt.Tooltip("ps:Q", title="P/S (x)", format=",.0f")],
    ).properties(width=NARROW, height=160, description=(
        "Horizontal bars of market value over FY2024 revenue at the closes of "
        f"{listing(written(day) for day in sorted(table['date'].unique()))}: "
        + listing(f"{row.company} {number(row.ps)} times" for row in table.sort_values("ps", ascending=False).itertuples())
        + "."), title=alt.Title(
        "The GPU premium: price-to-sales in December 2025",
        subtitle="Market value at a December 2025 close over FY2024 revenue, both in CNY"))


def revenue_chart(f: Facts) -> alt.Chart:
    peers = ["cambricon", "moore-threads", "metax", "biren", "iluvatar", "enflame"]
    rows = f.rows("financials", company_id=peers, metric="revenue", period=["FY2022", "FY2023", "FY2024"])
    rows["revenue_m"] = [float(f.fin(c, p, "revenue", currency="CNY")) for c, p in zip(rows["company_id"], rows["period"])]
    rows["company"] = rows["company_id"].map(lambda c: str(f.name(c)))
    rows["year"] = rows["period"].str.removeprefix("FY")
    # Biren in the accent and heavier; every other company a hue of its own (no second blue).
    shown_ids = set(rows["company_id"])
    companies = [str(f.name(c)) for c in dict.fromkeys(["biren", *peers]) if c in shown_ids]
    others = [PALETTE[1], PALETTE[3], PALETTE[5], PALETTE[2], PALETTE[7]]
    lines = alt.Chart(rows).mark_line(point=True).encode(
        x=alt.X("year:O", title="Fiscal year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("revenue_m:Q", title="Revenue (CNY m, log scale)", scale=alt.Scale(type="log")),
        color=alt.Color("company:N", title=None, sort=companies,
                        scale=alt.Scale(domain=companies, range=[ACCENT, *others][:len(companies)])),
        tooltip=[alt.Tooltip("company:N"), alt.Tooltip("period:N"), alt.Tooltip("revenue_m:Q", title="CNY m", format=",.1f")],
    )
    year = rows.pivot(index="company", columns="year", values="revenue_m")
    first, last = year.columns.min(), year.columns.max()
    biren_name = str(f.name("biren"))
    return subject_on_top(lines, "company_id", "biren").properties(
        width=WIDTH - 160, description=(
            f"Line chart on a log scale of revenue from {first} to {last} of the {len(year)} Chinese AI-chip companies "
            f"whose figures were public by the article's date. In {last}, {year[last].idxmax()} led with CNY "
            f"{number(year[last].max())} million; Biren (the heavier line) rose from CNY "
            f"{number(year.loc[biren_name, first], 1)} million in {first} to CNY {number(year.loc[biren_name, last])} "
            "million."), title=alt.Title("Revenue of China's AI-chip companies, 2022–2024",
                                           subtitle="CNY million, log scale; the GPU start-ups grew from a tiny base"))


def conditions_table(f: Facts) -> pd.DataFrame:
    """The article's five conditions, each with what this report's data says for and against it (a number
    resting only on grade C or D sources carries the low-authority mark)."""
    v = figures(f)
    mt_growth = metrics.multiple(f.fin("moore-threads", "FY2022", "revenue", currency="CNY"),
                                 f.fin("moore-threads", "FY2024", "revenue", currency="CNY"))
    rows = [
        ("1. Training-grade compute cannot do without GPUs",
         f"GPU start-ups' sales rose fast: Moore Threads' FY2024 revenue was {shown(mt_growth, '.1f')} times FY2022.",
         f"Cambricon, an ASIC maker, reported CNY {shown(v['cam_rev_9m2025'], ',.0f')} million of revenue and a CNY "
         f"{shown(v['cam_profit_9m2025'], ',.0f')} million profit for the first nine months of 2025: non-GPU accelerators "
         "also win the demand."),
        ("2. Supply is concentrated and constrained",
         "Not measurable here: the report holds no capacity or foundry data.",
         "Not measurable here."),
        ("3. High switching costs lock customers in",
         f"Biren sold its computing products to {shown(v['biren_customers_fy2024'], '.0f')} customers in 2024, and the five "
         f"largest took {shown(v['biren_top5_fy2024'], '.1%')} of revenue: a few buyers committed to one software stack.",
         "So few customers also means one lost buyer moves revenue; lock-in itself is not observed."),
        ("4. National strategic value",
         "Biren applied to list under Chapter 18C (specialist technology) with regulatory clearance; see chapter 3.",
         "A policy premium is not separable from the rest of the valuation in this data."),
        ("5. A positive feedback loop lifts the premium",
         f"Online tranches subscribed {shown(v['mt_online_sub'], ',.0f')} and {shown(v['mx_online_sub'], ',.0f')} times; P/S of "
         f"{shown(v['mt_ps'], ',.0f')} and {shown(v['mx_ps'], ',.0f')} times.",
         f"Loops run both ways: Moore Threads fell {shown(-v['mt_fall_to_1217'], '.0%')} from its record close of CNY "
         f"{shown(v['mt_peak_close'], ',.2f')} (11 December) to CNY {shown(v['mt_close_1217'], ',.2f')} six days later."),
    ]
    return pd.DataFrame(rows, columns=["Condition (article §01)", "Evidence for, in the data", "Evidence against or missing"])
