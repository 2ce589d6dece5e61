"""Chapter 4: the first year after the listing (everything here happened after 2025-12-22).

Daily prices come from data/stock_daily.csv and data/index_daily.csv on the comparable basis (gpuipo.facts.prices),
so a split never reads as a crash; offer prices are moved onto the same basis before any return is taken.

- lookups: listing and lock-up days, the cohort, the horizons and windows, the latest common day;
- returns: every computation (returns, the lock-up event study, risk, results, dilution, the timeline,
  valuation, the GPU premium);
- charts and tables: what the chapter shows, computed from those;
- glue: the numbers its prose prints.
"""
from gpuipo.chapters.aftermarket.charts import debut_chart, event_chart, path_chart
from gpuipo.chapters.aftermarket.glue import figures
from gpuipo.chapters.aftermarket.lookups import (COHORT, DEBUTS, EVENT_WINDOWS, HORIZONS, INDICES, OFFERING_EVENTS,
                                                 PERIOD_NAMES, PLACING, PREMIUM_DAYS, PREMIUM_PEERS, RESULT_PERIODS,
                                                 TIMELINE_START, TRADING_DAYS_A_YEAR, horizon_days, latest_common_day,
                                                 listing_day, lockup_day, offer)
from gpuipo.chapters.aftermarket.returns import (capital_raised, cohort_returns, debut_table, event_marks, event_window,
                                                 gpu_premium, h1_2026, horizon_returns, listings_2026,
                                                 lockup_event_study, monthly_table, rebased, results_table, risk_table,
                                                 run_rate_revenue, share_steps, timeline, valuation_now, window_name)
from gpuipo.chapters.aftermarket.tables import (cohort_table, deal_box, event_table, horizon_names, horizon_table,
                                                listings_frame, merged_horizons, monthly_frame, premium_frame,
                                                results_frame, risk_frame, shares_frame, timeline_table, valuation_frame)

__all__ = ['COHORT', 'DEBUTS', 'EVENT_WINDOWS', 'HORIZONS', 'INDICES', 'OFFERING_EVENTS', 'PERIOD_NAMES', 'PLACING',
           'PREMIUM_DAYS', 'PREMIUM_PEERS', 'RESULT_PERIODS', 'TIMELINE_START', 'TRADING_DAYS_A_YEAR',
           'capital_raised', 'cohort_returns', 'cohort_table', 'deal_box', 'debut_chart', 'debut_table',
           'event_chart', 'event_marks', 'event_table', 'event_window', 'figures', 'gpu_premium', 'h1_2026',
           'horizon_days', 'horizon_names', 'horizon_returns', 'horizon_table', 'latest_common_day',
           'listing_day', 'listings_2026', 'listings_frame', 'lockup_day', 'lockup_event_study',
           'merged_horizons', 'monthly_frame', 'monthly_table', 'offer', 'path_chart', 'premium_frame',
           'rebased', 'results_frame', 'results_table', 'risk_frame', 'risk_table', 'run_rate_revenue',
           'share_steps', 'shares_frame', 'timeline', 'timeline_table', 'valuation_frame', 'valuation_now',
           'window_name']
