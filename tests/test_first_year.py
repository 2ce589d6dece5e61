"""Chapter 4, the first year: its figures against values worked out by hand from the CSVs, and against
an independent computation published with the research dataset the daily prices come from."""
import pandas as pd
import pytest

from gpuipo.chapters import aftermarket
from gpuipo.facts import Facts, served_by

pytestmark = [pytest.mark.data]


@pytest.fixture(scope="module")
def f():
    return Facts()


@pytest.fixture(scope="module")
def v(f):
    return aftermarket.figures(f)


def test_horizon_returns_by_hand(f):
    rows = {r["horizon"]: r for r in aftermarket.horizon_returns(f)}
    six = rows["Six months"]
    assert six["date"] == pd.Timestamp("2026-07-02")           # 2 July is a trading day; 1 July a holiday
    assert six["from_offer"] == pytest.approx(48.32 / 19.60 - 1)
    assert six["from_first_close"] == pytest.approx(48.32 / 34.46 - 1)
    # The dataset's own six-month index returns: HSI -12.47 %, HSTECH -22.35 %
    assert six["HSI"] == pytest.approx(-0.1247, abs=5e-4)
    assert six["HSTECH"] == pytest.approx(-0.2235, abs=5e-4)
    # One month: 2 February 2026 (2 February is a Monday)
    assert rows["One month"]["date"] == pd.Timestamp("2026-02-02")
    assert rows["Latest common date"]["date"] == pd.Timestamp("2026-09-22")
    assert rows["Latest common date"]["from_offer"] == pytest.approx(42.90 / 19.60 - 1)


def test_horizons_on_the_same_day_share_a_row(f):
    merged = aftermarket.merged_horizons(aftermarket.horizon_returns(f))
    assert [r["horizon"] for r in merged] == ["First close", "One month", "Three months",
                                               "Six months (lock-up expiry)", "Latest common date"]


def test_lockup_event_study_matches_the_datasets_own_computation(f):
    """The research dataset publishes market-adjusted CARs against the HSI for each lock-up; computing them
    from its daily prices here gives the same numbers (its version of 1 October 2026)."""
    study = {r["company_id"]: r for r in aftermarket.lockup_event_study(f)}
    published = {"biren": (-0.6729, -0.207209), "iluvatar": (0.30995, -0.228661),
                 "zhipu": (0.15117, -0.324814), "minimax": (-0.341662, -0.50908)}
    for company, (car20, car5) in published.items():
        assert study[company]["[−20, +20]"] == pytest.approx(car20, abs=5e-5), company
        assert study[company]["[−5, +5]"] == pytest.approx(car5, abs=5e-6), company


def test_lockup_first_free_day_follows_the_exchange_notice(f):
    """The grade C first free day is the first trading day after the grade A end of the lock-up."""
    ends = f.date("biren-hk-ipo", "cornerstone_lockup_ends")
    days = f.rows("stock_daily", company_id="biren")["date"]
    assert aftermarket.lockup_day(f, "biren") == days[days > ends].min()


def _csv(name):
    import csv

    from tests.csvedit import ROOT

    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_drawdown_volatility_and_turnover_by_hand(v):
    import math
    import statistics

    assert v["drawdown"] == pytest.approx(28.04 / 68.00 - 1)
    assert (str(v["drawdown_peak"]), str(v["drawdown_trough"])) == ("25 June", "30 July")
    rows = [r for r in _csv("stock_daily") if r["company_id"] == "biren"]   # read apart from the package's loader
    closes = [float(r["close"]) for r in rows]
    logs = [math.log(b / a) for a, b in zip(closes, closes[1:])]
    assert v["vol"] == pytest.approx(statistics.stdev(logs) * math.sqrt(252))
    assert v["vol"] == pytest.approx(1.0171, abs=5e-5)
    assert v["turnover_m"] == pytest.approx(sum(int(r["turnover"]) for r in rows) / len(rows) / 1e6)


def test_results_capital_and_valuation_by_hand(v):
    assert v["rev_growth_fy2025"] == pytest.approx(1034.614 / 336.803 - 1)
    assert v["gm_fy2025"] == pytest.approx(557.002 / 1034.614)
    assert v["h1_2026_implied_m"] == pytest.approx(58.903 * 21)          # +2,000 % on the H1 2025 base
    assert v["cap_placing_prior_close"] == pytest.approx(31.08 / (1 - 0.0976))
    assert v["cap_placing_gross_m"] == pytest.approx(130 * 31.08)
    assert v["cap_greenshoe_gross_m"] == pytest.approx(42.7268 * 19.60)
    # the October placing as announced (its completion is not in the data)
    assert v["dilution_since_listing"] == pytest.approx((2_438_858_500 + 130_000_000) / 2_396_131_700 - 1)
    assert v["mcap_now_bn"] == pytest.approx(42.90 * 2.4388585)     # a lower bound: two raises are not in the data
    # 22 September 2026: CNY 6.7459 per US$, HK$ 4,040 per US$ 515
    cny_per_hkd = 6.7459 / (4040 / 515)
    assert v["ps_now_fy2025"] == pytest.approx(42.90 * 2_438_858_500 * cny_per_hkd / 1e6 / 1034.614)
    assert v["ps_now_run_rate"] == pytest.approx(42.90 * 2_438_858_500 * cny_per_hkd / 1e6 / (58.903 * 21 * 2))


def test_the_gpu_premium_by_hand(v):
    assert v["premium_moore_may"] == pytest.approx(3363 / 15.05)
    assert v["premium_cambricon_may"] == pytest.approx(7168 / 64.97)
    # the only 2026 values rest on one undated newsletter: the chapter gives no verdict, and says its grade
    assert str(v["premium_may_grades"]) == "D"


def test_the_lockup_day_beside_the_cohort_and_held_to_the_end(f, v):
    """Biren's first free day against the three January peers still locked up, and buy-and-hold over 41 days."""
    closes = {(r["company_id"], r["date"]): float(r["close"]) for r in _csv("stock_daily")}
    hsi = {r["date"]: float(r["close"]) for r in _csv("index_daily") if r["index_id"] == "HSI"}
    day, before = "2026-07-02", "2026-06-30"
    market = hsi[day] / hsi[before] - 1
    peers = [closes[(c, day)] / closes[(c, before)] - 1 - market for c in ("iluvatar", "zhipu", "minimax")]
    assert v["cohort_ar_on_biren_day0"] == pytest.approx(sum(peers) / 3)
    # day -21 is 1 June, day +20 is 30 July
    bhar = (closes[("biren", "2026-07-30")] / closes[("biren", "2026-06-01")] - 1) - (hsi["2026-07-30"] / hsi["2026-06-01"] - 1)
    assert v["lockup_bhar20"] == pytest.approx(bhar)
    assert v["lockup_bhar20"] > v["lockup_car20"]     # the summed CAR overstates this fall


def test_zhipus_disputed_first_free_day_matches_the_earlier_dataset(v):
    """The dataset's earlier version put Zhipu's lock-up a day earlier and published CAR[-5,+5] = -0.139151."""
    assert str(v["zhipu_day_before"]) == "8 July"
    assert v["zhipu_car5_day_before"] == pytest.approx(-0.139151, abs=5e-6)


def test_the_timeline_is_dated_sourced_and_in_order(f):
    events = aftermarket.timeline(f)
    assert [e["number"] for e in events] == list(range(1, len(events) + 1))
    keys = [e["date"] for e in events if e["precision"] == "day"]
    assert keys == sorted(keys)
    assert all(served_by(e["event"]) for e in events)
    assert {"Placing of new shares announced", "First day of trading"} <= {str(e["event"]) for e in events}
    assert [str(e["event"]) for e in events if e["status"] == "scheduled"] == [
        "Controlling shareholders' lock-up ends (last restricted day)"]


def test_a_new_milestone_reaches_the_timeline_and_the_chart(tmp_path):
    """A maintainer adds a dated event to the CSV; the timeline and the chart's markers follow."""
    import shutil

    from tests.csvedit import append_row

    data = tmp_path / "data"
    shutil.copytree(Facts().data_dir, data)
    append_row(data, "biren_milestones", {"date": "2026-08-04", "date_precision": "day", "product": "inference",
                                          "event": "Inference validation with a new model", "status": "done",
                                          "source_id": "tomshardware-biren-h1-2026", "known_from": "",
                                          "reliability": "single-source", "corroborated_by": "", "note": ""})
    end = pd.Timestamp("2026-09-22")
    before = aftermarket.event_marks(Facts(), end)
    f = Facts(data)
    events = {str(e["event"]): e for e in aftermarket.timeline(f)}
    new = events["Inference validation with a new model"]
    assert new["date"] == pd.Timestamp("2026-08-04")
    marks = aftermarket.event_marks(f, end)                 # the chart's event rules and their numbers
    assert marks.equals(aftermarket.path_chart(f).data)
    assert len(marks) == len(before) + 1
    assert ((marks["date"] == new["date"]) & (marks["n"] == str(new["number"]))).any()
