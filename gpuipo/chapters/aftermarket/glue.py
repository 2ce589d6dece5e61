from __future__ import annotations

from gpuipo.chapters.aftermarket.lookups import (COHORT, INDICES, PLACING, PREMIUM_DAYS, PREMIUM_PEERS,
                                                 latest_common_day, lockup_day)
from gpuipo.chapters.aftermarket.returns import (capital_raised, debut_table, event_window, gpu_premium, h1_2026,
                                                 horizon_returns, lockup_event_study, results_table, risk_table,
                                                 share_steps, valuation_now, window_name)
from gpuipo.chapters.aftermarket.tables import horizon_names, merged_horizons
from gpuipo.facts import Facts, Text, prices
from gpuipo.facts.dates import written
from gpuipo.shared.deals import BIREN, LISTING_DAY, biren_close, cny_per


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
    v.update({"latest": Text(written(latest), prices.close_on(f, "biren", latest).served),
              "peak": prices.close_on(f, "biren", peak_day), "peak_day": Text(written(peak_day, "day_month")),
              "low": prices.close_on(f, "biren", low_day), "low_day": Text(written(low_day, "day_month"))})
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
    v["ahead_at"] = horizon_names(ahead)
    v["behind_at"] = horizon_names(behind)
    v["offer_verdict"] = Text("it was" if v["now_from_offer"] > 0 and v["low"] > offer_price else "it was not",
                              v["now_from_offer"].served | v["low"].served)
    v["offer_never_breached"] = Text("never closed below it" if v["low"] > offer_price else "closed below it at times",
                                     v["low"].served)

    # Lock-up expiry.
    study = {r["company_id"]: r for r in lockup_event_study(f)}
    cohort_days = sorted({lockup_day(f, c) for c in COHORT if c != "biren"})
    v["cohort_lockup_days"] = Text(" and ".join(written(d, "day_month") for d in cohort_days))
    v["lockup_day"] = Text(written(lockup_day(f, "biren")), f.row(
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
    v["zhipu_day_before"] = Text(written(zhipu_earlier, "day_month"))
    others = [study[c][window_name(5, 5)] for c in COHORT if c != "biren"]
    v["cohort_car5_min"], v["cohort_car5_max"] = min(others), max(others)

    # Risk.
    risk = {r["id"]: r for r in risk_table(f)}
    v["drawdown"] = risk["biren"]["drawdown"]
    v["drawdown_depth"] = -v["drawdown"]
    v["drawdown_peak"] = Text(written(risk["biren"]["peak"], "day_month"))
    v["drawdown_trough"] = Text(written(risk["biren"]["trough"], "day_month"))
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
    v["index_last_found"] = Text(written(last))
    for index_id in INDICES:
        v[f"{index_id.lower()}_last_found"] = f.index_close(index_id, last) / f.index_close(index_id, LISTING_DAY) - 1
    planned = f.row("biren_milestones", product="BR20X", status="planned")
    v["next_product"] = Text(planned["event"], f.served(planned))

    # Valuation at the listing, on the latest full year then known.
    v["ps_offer"], v["ps_close"] = now[0]["ps_fy2024"], now[1]["ps_fy2024"]
    rate, detail = cny_per(f, "HKD", LISTING_DAY)
    v["fx_cny_per_hkd"] = rate
    v["fx_dates"] = Text(" and ".join(written(d) for d in sorted(detail.dates)), rate.served)
    return v
