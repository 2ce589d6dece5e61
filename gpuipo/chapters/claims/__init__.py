"""Chapter 5, the claims audit: recompute each claim of the article from the data and give it a verdict
by one rule.

- rule: the verdict rule (stated in full there and in the methodology);
- targets: the recomputations, one per `target` key in claims.csv;
- audit: each claim judged; tables: what the chapter shows and publishes.
"""
from gpuipo.chapters.claims.audit import UNIT_LABEL, audit, audit_row
from gpuipo.chapters.claims.rule import (COMPANY_STATEMENT, CONFIRMED, CONTRADICTED, DEPENDS, NOT_YET_SOURCED,
                                         ROUNDED_VERDICT, Judged, Reading, Recomputed, verdict)
from gpuipo.chapters.claims.tables import SECTION_TITLES, chart, counts, published, section_table, verdict_chart
from gpuipo.chapters.claims.targets import (ISSUER_BASIS, STAR_NAMED, TARGETS, biren_first_hk_gpu, biren_founded_year,
                                            biren_greenshoe_pct, biren_loss_narrowed, biren_patents_filed,
                                            cambricon_2023_low, cambricon_record_price, cambricon_trough_to_peak,
                                            catl_listing_date, metax_day1_mcap, moore_day1_mcap,
                                            southbound_since_launch, southbound_ytd_1215, star_market_value_ranks)

__all__ = ['COMPANY_STATEMENT', 'CONFIRMED', 'CONTRADICTED', 'DEPENDS', 'ISSUER_BASIS', 'Judged', 'NOT_YET_SOURCED',
           'ROUNDED_VERDICT', 'Reading', 'Recomputed', 'SECTION_TITLES', 'STAR_NAMED', 'TARGETS',
           'UNIT_LABEL', 'audit', 'audit_row', 'biren_first_hk_gpu', 'biren_founded_year',
           'biren_greenshoe_pct', 'biren_loss_narrowed', 'biren_patents_filed', 'cambricon_2023_low',
           'cambricon_record_price', 'cambricon_trough_to_peak', 'catl_listing_date', 'chart', 'counts',
           'metax_day1_mcap', 'moore_day1_mcap', 'published', 'section_table', 'southbound_since_launch',
           'southbound_ytd_1215', 'star_market_value_ranks', 'verdict', 'verdict_chart']
