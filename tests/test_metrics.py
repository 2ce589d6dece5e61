"""The report's arithmetic against values worked out by hand (a calculator, not the code)."""
import pandas as pd
import pytest

from gpuipo.facts import fx
from gpuipo.facts import metrics
from gpuipo.facts import Facts
from gpuipo.facts.units import convert

pytestmark = [pytest.mark.data]


def test_change_and_multiple():
    # Moore Threads: offer 114.28, first close 600.50 -> +425.46 %
    assert metrics.change(114.28, 600.50) == pytest.approx(4.2546, abs=1e-4)
    # Cambricon: 54.15 -> 1595.88 is 29.47 times, a gain of 2847 %
    assert metrics.multiple(54.15, 1595.88) == pytest.approx(29.4715, abs=1e-4)
    assert metrics.change(54.15, 1595.88) == pytest.approx(28.4715, abs=1e-4)
    with pytest.raises(ZeroDivisionError):
        metrics.change(0, 1)


def test_cagr():
    # Biren revenue 0.499 -> 336.803 CNY m over two years: sqrt(674.95) - 1 = 24.98
    assert metrics.cagr(0.499, 336.803, 2) == pytest.approx(24.9798, abs=1e-3)
    assert metrics.cagr(100, 121, 2) == pytest.approx(0.10)
    with pytest.raises(ValueError):
        metrics.cagr(0, 5, 2)


def test_market_cap_and_price_to_sales():
    # Biren at the offer: 19.60 x 2,396,131,700 = HK$46,964.18 m
    assert metrics.market_cap(19.60, 2_396_131_700) == pytest.approx(46_964_181_320)
    # Hygon: CNY 509.7 bn over CNY 9,162 m revenue = 55.63 x
    assert metrics.price_to_sales(509_700, 9_162) == pytest.approx(55.632, abs=1e-3)
    with pytest.raises(ValueError):
        metrics.price_to_sales(1, 0)


def test_cornerstone_share_on_each_denominator():
    # Biren: HK$2,899.357 m of cornerstone money at the HK$18.30 mid-price over 247,692,800 base shares
    assert metrics.cornerstone_share_by_amount(2_899_357_440, 18.30, 247_692_800) == pytest.approx(0.6396, abs=1e-4)
    # ... and 147,926,400 shares over the 284,846,600 upsized offer = 51.93 %
    assert 147_926_400 / 284_846_600 == pytest.approx(0.5193, abs=1e-4)


def test_greenshoe_outcome_above_and_below_the_offer():
    above = metrics.greenshoe_outcome(42_726_800, 19.60, 34.46)
    assert above.exercised == 42_726_800 and above.bought_in_market == 0
    assert above.extra_proceeds == pytest.approx(837_445_280)   # 42,726,800 x 19.60
    below = metrics.greenshoe_outcome(42_726_800, 19.60, 17.00)
    assert below.exercised == 0 and below.extra_proceeds == 0
    partial = metrics.greenshoe_outcome(42_726_800, 19.60, 17.00, shares_bought_if_below=10_000_000)
    assert partial.exercised == 32_726_800
    assert partial.buying_power == pytest.approx(837_445_280)


def test_unit_conversion():
    assert convert(3.37, "hundred_million", "million") == pytest.approx(337.0)
    assert convert(82.571, "billion", "million") == pytest.approx(82_571)
    assert convert(77.46, "million_shares", "shares") == pytest.approx(77_460_000)
    with pytest.raises(ValueError):
        convert(1, "lakh", "million")
    with pytest.raises(ValueError):
        convert(1, "million_shares", "million")   # shares are not money


def test_cross_rate_through_the_dollar():
    rates = pd.DataFrame({
        "date": pd.to_datetime(["2025-12-19", "2025-12-19", "2026-01-08"]),
        "base_currency": ["USD", "USD", "USD"], "quote_currency": ["CNY", "HKD", "HKD"],
        "base_amount": [1, 35.29, 558.0], "quote_amount": [7.0550, 274.6, 4350.0],
        "method": ["official_fixing", "implied_by_conversion", "implied_by_conversion"],
        "source_id": ["a", "b", "c"],
    })
    # 7.0550 CNY per USD over (274.6 / 35.29 =) 7.78124 HKD per USD = 0.906668 CNY per HKD
    rate = fx.cross_rate(rates, "HKD", "CNY", "2025-12-20")
    assert rate.value == pytest.approx(0.906668, abs=1e-6)
    assert rate.source_ids == ("b", "a")
    # nearest HKD row to 2026-01-05 is 2026-01-08 (3 days) not 2025-12-19 (17 days)
    assert fx.cross_rate(rates, "HKD", "CNY", "2026-01-05").dates[0] == pd.Timestamp("2026-01-08")


def test_chapter_figures_from_the_committed_data():
    from gpuipo.chapters import aftermarket
    from gpuipo.chapters import biren
    from gpuipo.chapters import hkmarket
    from gpuipo.chapters import pricing

    f = Facts()
    assert pricing.figures(f)["mt_change_close"] == pytest.approx(4.2546, abs=1e-4)
    b = biren.figures(f)
    assert b["gm_h1_2025"] == pytest.approx(18.769 / 58.903)                   # prospectus, RMB thousands
    assert b["rd_cumulative"] == pytest.approx(1017.860 + 885.646 + 826.957 + 571.616)
    assert b["burn_cash"] == pytest.approx((1073.324 + 93.2) / 6)               # operating outflow + capex
    assert b["runway_stated_cash_like"] == pytest.approx(2055.2 / 226.8)        # the filer's own burn rate
    assert b["runway_adj_cash_like"] == pytest.approx(2055.2 / (551.6 / 6))     # the adjusted loss
    h = hkmarket.figures(f)
    assert h["catl_cs_base"] == pytest.approx(0.6570, abs=1e-4)
    assert h["catl_cs_upsized"] == pytest.approx(0.5713, abs=1e-4)
    assert hkmarket.hindsight(f)["h_biren_cs_upsized"] == pytest.approx(0.5193, abs=1e-4)
    assert h["hsi_ytd_1219"] == pytest.approx(0.2807, abs=1e-4)
    assert h["gs_window_days"] == 30
    assert aftermarket.figures(f)["close"] == pytest.approx(34.46, abs=0.005)


def test_charts_plot_amounts_in_the_unit_their_axis_names():
    """The filings print Biren's statements in RMB thousands; its charts' axes say CNY million."""
    from gpuipo.chapters import biren

    f = Facts(as_known_on="2025-12-22")
    losses = biren.loss_chart(f).data.set_index(["period", "metric"])["amount_m"]
    assert losses[("FY2023", "net_profit")] == pytest.approx(1743.955)
    assert losses[("FY2023", "adjusted_net_profit")] == pytest.approx(1051.4)
    revenue = biren.revenue_chart(f).data.set_index("period")["revenue_m"]
    assert revenue["FY2024"] == pytest.approx(336.803)


def test_max_drawdown_by_hand():
    closes = pd.Series([10.0, 12.0, 9.0, 11.0, 6.0, 13.0],
                       index=pd.date_range("2026-01-01", periods=6))
    depth, peak, trough = metrics.max_drawdown(closes)
    assert depth == pytest.approx(6 / 12 - 1)          # 12 -> 6, not 10 -> 6 or 13 (no later fall)
    assert (peak, trough) == (pd.Timestamp("2026-01-02"), pd.Timestamp("2026-01-05"))


def test_annualised_volatility_by_hand():
    # log returns ln(1.1), ln(1/1.1): mean 0, sample sd = ln(1.1) * sqrt(2); times sqrt(252)
    closes = pd.Series([100.0, 110.0, 100.0])
    assert metrics.annualised_volatility(closes) == pytest.approx(0.0953102 * 2 ** 0.5 * 252 ** 0.5, rel=1e-6)


def test_abnormal_returns_and_their_sum_by_hand():
    days = pd.date_range("2026-07-01", periods=5)
    stock = pd.Series([10.0, 11.0, 9.9, 9.9, 10.89], index=days)      # +10%, -10%, 0, +10%
    market = pd.Series([100.0, 101.0, 101.0, 99.99, 99.99], index=days)  # +1%, 0, -1%, 0
    abnormal = metrics.abnormal_returns(stock, market)
    assert list(abnormal.round(6)) == [0.09, -0.1, 0.01, 0.1]
    assert metrics.cumulative_abnormal_return(abnormal, days[2], 1, 1) == pytest.approx(0.09 - 0.1 + 0.01)
    assert metrics.cumulative_abnormal_return(abnormal, days[3], 0, 0) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="runs past"):
        metrics.cumulative_abnormal_return(abnormal, days[1], 1, 0)
    # a day one series lacks is skipped, and the next return runs from the previous common day
    gap = metrics.abnormal_returns(stock.drop(days[2]), market)
    assert gap[days[3]] == pytest.approx((9.9 / 11.0 - 1) - (99.99 / 101.0 - 1))


def test_on_or_before():
    days = list(pd.to_datetime(["2026-01-30", "2026-02-02", "2026-02-03"]))
    assert metrics.on_or_before(days, pd.Timestamp("2026-02-01")) == pd.Timestamp("2026-01-30")
    assert metrics.on_or_before(days, pd.Timestamp("2026-02-02")) == pd.Timestamp("2026-02-02")
    with pytest.raises(ValueError):
        metrics.on_or_before(days, pd.Timestamp("2026-01-01"))


def test_buy_and_hold_abnormal_return_by_hand():
    days = pd.date_range("2026-07-01", periods=3)
    stock = pd.Series([10.0, 20.0, 10.0], index=days)      # +100 %, -50 %: held, no change
    market = pd.Series([100.0, 100.0, 110.0], index=days)
    assert metrics.buy_and_hold_abnormal_return(stock, market, days[0], days[2]) == pytest.approx(0 - 0.10)
    summed = metrics.cumulative_abnormal_return(metrics.abnormal_returns(stock, market), days[2], 1, 0)
    assert summed == pytest.approx(1.0 - 0.5 - 0.10)           # the sum of daily differences says +40 %


def test_the_data_is_as_of_its_latest_observation_not_a_schedule_or_a_publication_day():
    from gpuipo.contract.vocabulary import DATA_HORIZON

    latest = pd.Timestamp(Facts().data_as_of())
    assert latest.date() <= DATA_HORIZON
    scheduled = Facts().rows("offering_dates", event="controlling_holder_lockup_ends")["date"].max()
    assert scheduled > latest                              # a lock-up still to end is not data about that day
