"""The report's controlled vocabularies, defined once: the schema (schema.py), the cross-cell rules
(rules.py) and the unit conversions (units.py) all read them from here."""
from datetime import date

# The article under review appeared on this day. Chapters 1-3 rest only on what was public by then;
# anything later they show sits in a marked hindsight note.
ARTICLE_DATE = date(2025, 12, 22)

# No date anywhere in data/ may be later than this: a typo such as 2099 is refused, and the
# "data as of" a reader sees cannot run ahead of the edition. Move it forward with newer data.
DATA_HORIZON = date(2026, 11, 28)
# A scheduled date (a lock-up's end, a planned launch) may lie ahead of the data, but not by years:
# its field carries "scheduled": true in gpuipo/contract/schema.py.
SCHEDULE_HORIZON = date(2028, 12, 31)

# unit -> (kind, scale). Units of one kind rescale into each other exactly (units.convert);
# a scale of None means the unit does not rescale (a ratio, a rank, a duration).
UNITS = {
    "per_share": ("price", 1.0),
    "thousand": ("amount", 1e3),
    "ten_thousand": ("amount", 1e4),
    "million": ("amount", 1e6),
    "hundred_million": ("amount", 1e8),
    "billion": ("amount", 1e9),
    "trillion": ("amount", 1e12),
    "shares": ("shares", 1.0),
    "million_shares": ("shares", 1e6),
    "count": ("count", 1.0),
    "times": ("times", None),
    "percent": ("percent", None),
    "persons": ("persons", None),
    "rank": ("rank", None),
    "days": ("days", None),
    "months": ("months", None),
}
MONEY_KINDS = {"price", "amount"}
# The units a CSV may use for `value` (trillion exists for conversions only): filings print RMB'000,
# Chinese press 万 and 亿.
MONEY_UNITS = ["per_share", "thousand", "ten_thousand", "million", "hundred_million", "billion"]
OTHER_UNITS = ["shares", "million_shares", "count", "times", "percent", "persons", "rank", "days", "months"]

# What a company makes, coded: chapters select companies by this, never by the words of `segment`.
COMPANY_CATEGORIES = {
    "gpu": "general-purpose GPUs (GPGPUs)",
    "ai-accelerator": "AI accelerator chips other than GPUs (ASICs and the like)",
    "cpu": "CPUs, with or without accelerators",
    "ai-model": "AI models (large language models)",
    "photonics": "photonic computing and optical interconnect",
    "batteries": "batteries",
}
# The article prints at most two decimals; more than this is a typo (and 10**-400 is zero, which would divide).
MOST_STATED_DECIMALS = 6

CURRENCIES = ["CNY", "HKD", "USD"]
FX_CURRENCIES = ["CNY", "CNH", "HKD", "USD"]
RELIABILITY = ["corroborated", "single-source", "low-authority"]
QUALIFIERS = ["exact", "about", "more_than"]
# The article's words for an approximate number (claims.csv, stated_qualifier): 约 about, 近 nearly,
# 超过 / 突破 / 余 more than.
CLAIM_QUALIFIERS = QUALIFIERS + ["nearly"]
# How far a recomputed value may sit from a stated one, as a share of the stated value: "about N" is
# within 5% either side, "nearly N" within 10% below (and not above). Both windows are a tenth of N wide.
# "exact" allows half a unit of the last printed digit; "more than N" needs N or more at the printed precision.
TOLERANCES = {"about": 0.05, "nearly": 0.10}
PERIODS = ["FY2022", "FY2023", "FY2024", "FY2025", "H1-2024", "H1-2025", "Q1-2025", "9M-2025",
           "FY2022-FY2024", "FY2022-H1-2025", "Jan-2026", "Q1-2026", "H1-2026", "9M-2026"]  # each with its last day in PERIOD_END

# What a source document is (not what it quotes): a copy of a press article on another site is a
# mirror, a newspaper's text republished by a content site is a mirror too.
SOURCE_KINDS = ["subject-article", "primary-filing", "exchange", "index-publisher", "benchmark-publisher",
                "broker-research", "press", "data-vendor", "research-dataset", "aggregator", "mirror", "ai-summary",
                "content-farm"]

# Authority grades, by what the document is.
GRADES = {
    "A": "primary: a filing or exchange notice, an index publisher's or benchmark body's own release, "
         "the company's own results (and the article under review, for what it says)",
    "B": "a named, reputable news organisation's or broker's own document",
    "C": "an aggregator, a mirror or copy of another document, a data vendor's page, a minor news site",
    "D": "an AI-written summary, a content farm, an undated string",
}
# The grades each kind can have (press runs from reputable originals, B, to minor sites, C).
KIND_GRADES = {
    "subject-article": "A", "primary-filing": "A", "exchange": "A", "index-publisher": "A", "benchmark-publisher": "A",
    "broker-research": "B", "press": "BC", "data-vendor": "C", "research-dataset": "C", "aggregator": "C", "mirror": "C",
    "ai-summary": "D", "content-farm": "D",
}
# A figure whose sources are all of these grades is marked where it is printed.
LOW_GRADES = {"C", "D"}
STRONG_GRADES = {"A", "B"}
LOW_GRADE_MARK = "◇"

# Adjacent observations of one series this many times apart are refused as a likely unit typo (thousand
# for million), unless the later row's note begins with SCALE_CHECKED and explains the jump.
SCALE_JUMP = 100
SCALE_CHECKED = "Scale checked:"

# A run of Chinese characters and their punctuation: marked lang="zh-Hans" on the site, set in the Chinese
# faces in print, where a line may break between any two of them.
CHINESE_RUN = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
# Characters in a printed line of the PDF's text width: a longer word cannot be broken, so it is refused.
PRINT_LINE = 100

# A specialist publisher is an authority only on its speciality: an index publisher's document
# cannot be the source of a company's revenue, nor the article under review the source of a fact.
SPECIALIST_KIND_TABLES = {
    "subject-article": {"claims"},
    "index-publisher": {"index_levels", "index_changes"},
    "benchmark-publisher": {"mlperf_results", "biren_milestones"},
}
# Tables that only one kind of source can feed.
TABLE_KINDS = {
    "claims": {"subject-article"},
    "mlperf_results": {"benchmark-publisher"},
}

# The date each table's value refers to (its "as of"): a column, or "period" for reporting periods
# (their last day, PERIOD_END). Tables not listed are registries, as of their document.
AS_OF_COLUMNS = {
    "market_observations": "date",
    "index_levels": "date",
    "index_changes": "end_date",
    "southbound_flows": "as_of",
    "hk_ipo_market": "as_of",
    "company_snapshots": "as_of",
    "offering_terms": "as_of",
    "fx_rates": "date",
    "largest_hk_ipos_2025": "as_of",
    "offering_dates": "date",
    "biren_milestones": "date",
    "analyst_ratings": "date",
    "listing_rules": "as_of",
    "financials": "period",
    "stock_daily": "date",
    "index_daily": "date",
}
PERIOD_END = {
    "FY2022": "2022-12-31", "FY2023": "2023-12-31", "FY2024": "2024-12-31", "FY2025": "2025-12-31",
    "H1-2024": "2024-06-30", "H1-2025": "2025-06-30", "Q1-2025": "2025-03-31", "9M-2025": "2025-09-30",
    "FY2022-FY2024": "2024-12-31", "FY2022-H1-2025": "2025-06-30", "Jan-2026": "2026-01-31",
    "Q1-2026": "2026-03-31", "H1-2026": "2026-06-30", "9M-2026": "2026-09-30",
}
# Offering dates, milestones and rules in force can be announced before the day they name; every
# other dated value is an observation, which no document can report before it happened.
SCHEDULED_TABLES = {"offering_dates", "biren_milestones", "listing_rules"}
OBSERVED_DATE_COLUMNS = {table: column for table, column in AS_OF_COLUMNS.items()
                         if table not in SCHEDULED_TABLES and column != "period"}

# Percentages of a whole (shares of revenue, of an offer, discounts) lie within 0-100; index
# changes, the only other percentages, can be anything.
PERCENT_OF_WHOLE_TABLES = {"financials", "company_snapshots", "offering_terms", "listing_rules"}

# The recomputations gpuipo.chapters.claims implements; claims.csv may name only these as its `target`.
CLAIM_TARGETS = [
    "cambricon_2023_low", "cambricon_record_price", "cambricon_trough_to_peak", "moore_day1_change",
    "moore_day1_mcap", "metax_day1_change", "metax_day1_mcap", "biren_founded_year", "biren_revenue_fy2022",
    "biren_revenue_fy2024", "biren_adj_loss_fy2023", "biren_adj_loss_fy2024", "biren_rd_fy2022", "biren_rd_fy2023",
    "biren_rd_fy2024", "biren_patents_filed", "biren_patents_granted", "biren_binding_orders",
    "biren_framework_value", "biren_loss_narrowed", "hsi_2025_ytd", "hstech_2025_ytd", "southbound_ytd_1215",
    "southbound_since_launch", "catl_cornerstone_count", "catl_cornerstone_share", "biren_cornerstone_count",
    "biren_cornerstone_share", "biren_greenshoe_pct", "biren_offer_open", "biren_listing_date",
    "biren_first_hk_gpu", "star_market_value_ranks", "catl_listing_date",
]

# What a claim is, for the verdict rule: a figure (a number, a date, a yes or no) is matched against its
# readings; a superlative (first, only, largest) is confirmed only against a complete set and refuted by
# one counter-example; a company statement is something only the company could know.
CLAIM_KINDS = ["figure", "superlative", "company-statement"]
# The verdicts, in the order the report shows them.
VERDICTS = ["confirmed", "rounded", "depends-on-definition", "contradicted", "company statement", "not yet sourced"]

# How a daily price row is stored: as traded, or on a split-adjusted basis (traded price = stored price ×
# to_traded). The look-ups serve traded prices only, so two bases are never mixed silently.
PRICE_BASES = ["traded", "adjusted"]

# Characters a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
