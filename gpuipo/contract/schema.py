"""The data package's Table Schemas, defined once: `descriptor()` is what data/datapackage.json must
contain. tools/write_datapackage.py writes it; the validator refuses a datapackage.json that differs,
so a hand edit cannot drop a constraint unnoticed.
"""
from gpuipo.contract.vocabulary import (AS_OF_COLUMNS, CLAIM_KINDS, CLAIM_QUALIFIERS, CLAIM_TARGETS, COMPANY_CATEGORIES,
                                        CURRENCIES, FX_CURRENCIES, GRADES, MONEY_UNITS, MOST_STATED_DECIMALS,
                                        OTHER_UNITS, PERIODS, PRICE_BASES, QUALIFIERS, RELIABILITY, SCHEDULED_TABLES,
                                        SOURCE_KINDS)

KEY_PATTERN = "^[a-z0-9][a-z0-9-]*$"
# Only web addresses: no other scheme, and nothing that could end an attribute or a LaTeX argument.
URL_PATTERN = r"^https?://[^\s\"'<>\\{}|^`]+$"


def f(name, type_, description, required=True, unit=None, **constraints):
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    cons = dict(constraints)
    if required:
        cons["required"] = True
    if cons:
        field["constraints"] = cons
    return field


def company_fk():
    return {"fields": ["company_id"], "reference": {"resource": "companies", "fields": ["company_id"]}}


def offering_fk():
    return {"fields": ["offering_id"], "reference": {"resource": "offerings", "fields": ["offering_id"]}}


def source_fk(field="source_id"):
    return {"fields": [field], "reference": {"resource": "sources", "fields": ["source_id"]}}


SOURCE = f("source_id", "string", "Key of the document this row comes from (see sources.csv).")
KNOWN = f("known_from", "date", "First day the value was public. Required when the source has no day of its own "
          "(sources.csv says why in undated_reason); otherwise blank, and the source's date applies.", required=False)
RELI = f("reliability", "string", "corroborated: a second independent source agrees; single-source: only one "
         "source found; low-authority: only a weak source.", enum=RELIABILITY)
CORROBORATED = f("corroborated_by", "string", "Key of a second, independent document that gives the same value "
                 "(see sources.csv); blank if none is on record. The claims audit counts a corroboration only "
                 "when it is named here.", required=False)
NOTE = f("note", "string", "Caveats, disagreements between sources and alternatives, in words.", required=False)
UNIT = f("unit", "string", "Unit of `value`: " + ", ".join(MONEY_UNITS) + " for money (per_share is currency per "
         "share; ten_thousand is 万, hundred_million 亿); " + ", ".join(OTHER_UNITS) + " otherwise.",
         enum=MONEY_UNITS + OTHER_UNITS)
CURRENCY = f("currency", "string", "ISO 4217 currency of a money value as reported; blank for non-money "
             "units.", required=False, enum=CURRENCIES)
QUAL = f("qualifier", "string", "How the source states the value: exact, about (rounded or approximate), "
         "more_than (a lower bound).", enum=QUALIFIERS)
VALUE = f("value", "number", "The value as reported, in `unit` and `currency`.", unit="see `unit` column")

RESOURCES = [
    ("sources", "Source registry: every document a value in this package comes from.", [
        f("source_id", "string", "Short stable key.", pattern=KEY_PATTERN),
        f("title", "string", "Title of the document (restated in English where needed)."),
        f("publisher", "string", "Who published it."),
        f("published", "string", "Publication date as far as known: YYYY, YYYY-MM or YYYY-MM-DD; blank if "
          "the document shows none.", required=False, pattern=r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"),
        f("undated_reason", "string", "Why the document has no day of publication (required then, and each row citing "
          "it gives its own known_from).", required=False),
        dict(f("url", "string", "Where to read it; blank only for the subject article, which has no stable "
               "address.", required=False, pattern=URL_PATTERN), format="uri"),
        f("kind", "string", "What the document is (not what it quotes).", enum=SOURCE_KINDS),
        f("grade", "string", "Authority grade, by what the document is: A primary; B named reputable press or broker; "
          "C aggregator, mirror, data vendor, minor site; D AI-written summary, content farm.", enum=list(GRADES)),
        NOTE,
    ], ["source_id"], []),
    ("companies", "Companies in the report.", [
        f("company_id", "string", "Short stable key.", pattern=KEY_PATTERN),
        f("name_en", "string", "English name."),
        f("name_zh", "string", "Chinese name."),
        f("ticker", "string", "Exchange ticker; blank if not listed or not known.", required=False),
        f("exchange", "string", "Listing exchange.", required=False, enum=["HKEX", "SSE"]),
        f("board", "string", "Board (and listing chapter).", required=False),
        f("segment", "string", "What the company makes, in words (shown to readers; never read by the report's code)."),
        f("category", "string", "What the company makes, coded (what the report's code selects companies by): "
          + "; ".join(f"{code}: {meaning}" for code, meaning in COMPANY_CATEGORIES.items()) + ".",
          enum=list(COMPANY_CATEGORIES)),
        SOURCE, KNOWN,
    ], ["company_id"], [source_fk()]),
    ("offerings", "Share offerings (IPOs and later placings).", [
        f("offering_id", "string", "Short stable key.", pattern=KEY_PATTERN),
        f("company_id", "string", "Issuer."),
        f("kind", "string", "ipo or placing.", enum=["ipo", "placing"]),
        f("exchange", "string", "Exchange.", enum=["HKEX", "SSE"]),
        f("currency", "string", "Currency of the offer price.", enum=CURRENCIES),
        SOURCE, KNOWN, NOTE,
    ], ["offering_id"], [source_fk(), company_fk()]),
    ("offering_terms", "Terms and outcomes of each offering, one term per row.", [
        f("offering_id", "string", "Offering (see offerings.csv)."),
        f("term", "string", "Which term.", enum=[
            "price_low", "price_high", "offer_price", "base_shares", "base_hk_shares", "base_intl_shares",
            "base_hk_share_pct", "upsize_max_shares", "upsize_exercised_shares", "greenshoe_max_shares",
            "greenshoe_max_shares_if_upsized", "over_allocated_shares", "greenshoe_exercised_shares",
            "clawback_shares", "final_hk_shares", "final_intl_shares", "new_shares", "offer_shares",
            "shares_outstanding_at_listing", "shares_outstanding_2025", "gross_proceeds",
            "gross_proceeds_with_greenshoe", "gross_proceeds_sought", "listing_expenses", "net_proceeds", "cornerstone_count",
            "cornerstone_amount", "cornerstone_shares", "cornerstone_share_stated",
            "cornerstone_share_all_options_stated", "hk_subscription", "intl_subscription", "net_proceeds_estimate_mid",
            "greenshoe_net_proceeds", "shares_outstanding_after_greenshoe", "net_proceeds_cny",
            "online_subscription", "valid_applications", "placees", "board_lot",
            "csrc_approved_max_shares", "discount_stated"]),
        dict(VALUE, constraints={"required": True, "minimum": 0}), UNIT, CURRENCY, QUAL,
        f("as_of", "date", "Date of the document the term is read from (prospectus, allotment, later notice)."),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["offering_id", "term"], [source_fk(), offering_fk()]),
    ("offering_dates", "Key dates of each offering.", [
        f("offering_id", "string", "Offering (see offerings.csv)."),
        f("event", "string", "Which event.", enum=[
            "prospectus", "public_offer_opens", "public_offer_closes", "allotment_results", "listing",
            "stabilization_period_ends", "greenshoe_exercise_announced", "cornerstone_lockup_ends",
            "lockup_first_free_day", "controlling_holder_lockup_ends", "announced"]),
        f("date", "date", "Date of the event (ISO 8601); a scheduled event may lie ahead of the data."),
        SOURCE, KNOWN, NOTE,
    ], ["offering_id", "event"], [source_fk(), offering_fk()]),
    ("financials", "Income-statement items and other period figures, one per row, in the unit reported.", [
        f("company_id", "string", "Company (see companies.csv)."),
        f("period", "string", "Reporting period: FY = calendar fiscal year, H1 = six months to 30 June, Q1 = "
          "three months to 31 March, 9M = nine months to 30 September; a range means cumulative.", enum=PERIODS),
        f("metric", "string", "Which figure. Profit items and operating_cash_flow are signed (a loss or an outflow "
          "is negative); loss_before_tax, redemption_liability_charge, capital_expenditure and cash_burn_rate_stated "
          "(the filer's stated average monthly cash burn) are positive amounts; revenue_growth_stated is the "
          "year-on-year growth a source states when the revenue itself was not found.", enum=[
            "revenue", "gross_profit", "operating_profit", "net_profit", "adjusted_net_profit",
            "loss_before_tax", "redemption_liability_charge", "rd_expense", "rd_share_of_opex",
            "top5_customer_share", "customers", "operating_cash_flow", "capital_expenditure", "cash_burn_rate_stated",
            "revenue_growth_stated"]),
        VALUE, UNIT, CURRENCY, QUAL, SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["company_id", "period", "metric"], [source_fk(), company_fk()]),
    ("company_snapshots", "Point-in-time company figures (balance sheet, orders, patents, staff).", [
        f("company_id", "string", "Company (see companies.csv)."),
        f("metric", "string", "Which figure.", enum=[
            "cash_and_equivalents", "cash_and_liquid_assets", "total_assets", "total_liabilities", "current_ratio",
            "bank_borrowings", "net_current_assets", "pre_ipo_funding",
            "rd_headcount", "employees", "patents_granted", "patent_applications_pending",
            "binding_orders_value", "binding_orders_count", "framework_and_contracts_value",
            "framework_agreements_count"]),
        f("as_of", "date", "Date the figure is as of."),
        VALUE, UNIT, CURRENCY, QUAL, SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["company_id", "metric", "as_of"], [source_fk(), company_fk()]),
    ("market_observations", "Dated share prices and market capitalisations.", [
        f("company_id", "string", "Company (see companies.csv)."),
        f("date", "date", "Trading day; for month or year precision, the first day of that month or year."),
        f("date_precision", "string", "day, month or year.", enum=["day", "month", "year"]),
        f("kind", "string", "Which price of the day or period.", enum=[
            "open", "close", "intraday_high", "intraday_low", "record_high", "all_time_low", "period_low"]),
        f("measure", "string", "price (per share) or market_cap.", enum=["price", "market_cap"]),
        dict(VALUE, constraints={"required": True, "minimum": 0}), UNIT, CURRENCY, QUAL, SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["company_id", "date", "kind", "measure"], [source_fk(), company_fk()]),
    ("index_levels", "Closing levels of Hong Kong indices.", [
        f("index_id", "string", "HSI = Hang Seng Index; HSTECH = Hang Seng TECH Index.", enum=["HSI", "HSTECH"]),
        f("date", "date", "Trading day."),
        f("close", "number", "Closing level.", unit="index points", minimum=0),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["index_id", "date"], [source_fk()]),
    ("stock_daily", "Daily trading of Hong Kong-listed shares in 2026: prices, volume and turnover, one row per "
     "company and trading day.", [
        f("company_id", "string", "Company (see companies.csv)."),
        f("date", "date", "Hong Kong trading day."),
        f("open", "number", "Opening price, on `price_basis`.", unit="currency per share", minimum=0),
        f("high", "number", "Highest price of the day, on `price_basis`.", unit="currency per share", minimum=0),
        f("low", "number", "Lowest price of the day, on `price_basis`.", unit="currency per share", minimum=0),
        f("close", "number", "Closing price, on `price_basis`.", unit="currency per share", minimum=0),
        f("currency", "string", "Currency of the prices and the turnover.", enum=CURRENCIES),
        f("price_basis", "string", "traded: prices as traded that day; adjusted: prices on a later split-adjusted "
          "basis (see to_traded).", enum=PRICE_BASES),
        f("to_traded", "number", "Factor from the stored prices to the prices as traded that day (1 when traded).",
          minimum=0),
        f("volume", "integer", "Shares traded (never adjusted).", unit="shares", minimum=0),
        f("turnover", "integer", "Value traded, in `currency` (never adjusted).", unit="currency", minimum=0),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["company_id", "date"], [source_fk(), company_fk()]),
    ("index_daily", "Daily levels of the Hang Seng Index and the Hang Seng TECH Index in 2026.", [
        f("index_id", "string", "HSI = Hang Seng Index; HSTECH = Hang Seng TECH Index.", enum=["HSI", "HSTECH"]),
        f("date", "date", "Hong Kong trading day."),
        f("open", "number", "Opening level.", unit="index points", minimum=0),
        f("high", "number", "Highest level of the day.", unit="index points", minimum=0),
        f("low", "number", "Lowest level of the day.", unit="index points", minimum=0),
        f("close", "number", "Closing level.", unit="index points", minimum=0),
        f("turnover", "integer", "Value traded in the index's constituents, HK$.", unit="HKD", minimum=0),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["index_id", "date"], [source_fk()]),
    ("index_changes", "Index changes as published, where the levels behind them are not in index_levels.", [
        f("index_id", "string", "HSI or HSTECH.", enum=["HSI", "HSTECH"]),
        f("start_date", "date", "Base date (the close the change is measured from)."),
        f("end_date", "date", "End date."),
        f("change", "number", "Change over the period.", unit="percent"),
        f("unit", "string", "Always percent.", enum=["percent"]),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["index_id", "start_date", "end_date"], [source_fk()]),
    ("southbound_flows", "Southbound Stock Connect net buying of Hong Kong shares by mainland investors.", [
        f("as_of", "date", "Date the total runs to."),
        f("measure", "string", "year_to_date (from 1 January) or since_launch (cumulative since November "
          "2014).", enum=["year_to_date", "since_launch"]),
        VALUE, UNIT, CURRENCY, QUAL, SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["as_of", "measure"], [source_fk()]),
    ("hk_ipo_market", "Hong Kong IPO market totals and global ranking, by compiler.", [
        f("period", "string", "Period covered.", enum=PERIODS),
        f("measure", "string", "ipo_count, funds_raised or global_rank (by funds raised).",
          enum=["ipo_count", "funds_raised", "global_rank"]),
        f("compiler", "string", "Who compiled the figure (methods differ)."),
        f("as_of", "date", "Date of the figure (an estimate may predate the period's end)."),
        VALUE, UNIT, CURRENCY, QUAL, SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["period", "measure", "compiler", "as_of"], [source_fk()]),
    ("largest_hk_ipos_2025", "The largest Hong Kong IPOs of 2025 by funds raised.", [
        f("company", "string", "Issuer (English)."),
        f("name_zh", "string", "Issuer (Chinese)."),
        dict(f("proceeds", "number", "Funds raised.", unit="see `unit` column"), constraints={"required": True, "minimum": 0}),
        UNIT, CURRENCY, f("as_of", "date", "Date of the ranking."), SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["company"], [source_fk()]),
    ("fx_rates", "Exchange rates: base_amount of base_currency equals quote_amount of quote_currency.", [
        f("date", "date", "Date of the rate."),
        f("base_currency", "string", "Currency quoted against.", enum=FX_CURRENCIES),
        f("quote_currency", "string", "Currency the price is in.", enum=FX_CURRENCIES),
        f("base_amount", "number", "Amount of base currency.", unit="base currency", minimum=0),
        f("quote_amount", "number", "Equivalent amount of quote currency.", unit="quote currency", minimum=0),
        f("method", "string", "official_fixing, market_quote, or implied_by_conversion (a source's own "
          "conversion of an amount; the rate is computed in the report).",
          enum=["official_fixing", "market_quote", "implied_by_conversion"]),
        SOURCE, KNOWN, NOTE,
    ], ["date", "base_currency", "quote_currency"], [source_fk()]),
    ("listing_rules", "Hong Kong listing-rule parameters used in the report.", [
        f("rule_id", "string", "Short stable key."),
        f("description", "string", "What the parameter is."),
        dict(VALUE, constraints={"required": True, "minimum": 0}), UNIT, CURRENCY,
        f("as_of", "date", "In force from, or (for observed practice) the date of the filing that shows it."),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["rule_id"], [source_fk()]),
    ("biren_milestones", "Biren Technology: product and corporate milestones.", [
        f("date", "date", "Date; for month or year precision, the first day of that month or year. A "
          "planned milestone may lie ahead of the data."),
        f("date_precision", "string", "day, month or year.", enum=["day", "month", "year"]),
        f("product", "string", "Product or track."),
        f("event", "string", "What happened."),
        f("status", "string", "done or planned.", enum=["done", "planned"]),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["date", "event"], [source_fk()]),
    ("analyst_ratings", "Brokers' published ratings and target prices, as reported.", [
        f("company_id", "string", "Company rated (see companies.csv)."),
        f("date", "date", "Date of the broker's note."),
        f("broker", "string", "Broker that published the rating."),
        f("action", "string", "initiate (first rating), change or reiterate.", enum=["initiate", "change", "reiterate"]),
        f("rating", "string", "The rating in the broker's words."),
        f("target_price", "number", "Target price per share.", unit="currency per share", minimum=0),
        f("currency", "string", "Currency of the target price.", enum=CURRENCIES),
        SOURCE, KNOWN, RELI, CORROBORATED, NOTE,
    ], ["company_id", "date", "broker"], [source_fk(), company_fk()]),
    ("mlperf_results", "MLPerf results as published by MLCommons.", [
        f("round", "string", "MLPerf round."),
        f("division", "string", "closed or open.", enum=["closed", "open"]),
        f("category", "string", "datacenter or edge.", enum=["datacenter", "edge"]),
        f("submitter", "string", "Submitting organisation."),
        f("system", "string", "System under test."),
        f("accelerator", "string", "Accelerator model."),
        f("accelerator_count", "integer", "Accelerators in the system.", unit="cards", minimum=1),
        f("benchmark", "string", "Benchmark model."),
        f("scenario", "string", "Scenario.", enum=["Offline", "Server"]),
        f("value", "number", "Result.", unit="see `unit` column", minimum=0),
        f("unit", "string", "Unit of the result.", enum=["samples_per_second", "queries_per_second"]),
        SOURCE, KNOWN,
    ], ["round", "system", "benchmark", "scenario"], [source_fk()]),
    ("claims", "Checkable claims of the article under review, one per row (the verdicts are computed in the report).", [
        f("claim_id", "string", "C<section>-<number>.", pattern=r"^C0[123]-[0-9]{2}$"),
        f("section", "string", "Article section: 01 pricing logic, 02 Biren's technology and business, 03 conclusion.",
          enum=["01", "02", "03"]),
        f("claim", "string", "The claim, paraphrased in English."),
        f("claim_kind", "string", "figure (a number, date or yes/no); superlative (first, only, largest: confirmed "
          "only against a complete set); company-statement (only the company could know).", enum=CLAIM_KINDS),
        f("excerpt_zh", "string", "A few characters of the article around the figure, to find it (not to republish)."),
        f("stated", "number", "The figure as the article prints it, in `stated_unit`.", required=False, unit="see `stated_unit`"),
        f("stated_decimals", "integer", "Decimals the article prints; sets the precision a match needs.",
          required=False, minimum=0, maximum=MOST_STATED_DECIMALS),
        f("stated_date", "date", "A date the claim states or is pinned to.", required=False),
        f("stated_unit", "string", "Unit of `stated`.", enum=[
            "per_share_cny", "times", "percent", "ten_thousand_cny", "hundred_million_cny", "trillion_hkd",
            "count", "year", "month", "days", "minutes", "rank", "ranking", "boolean", "date"]),
        f("stated_qualifier", "string", "exact; about (约); nearly (近); more_than (超过, 突破, 余).",
          enum=CLAIM_QUALIFIERS),
        f("check_against", "string", "What the claim is checked against: which data, computation and definition."),
        f("target", "string", "Key of the recomputation in gpuipo.chapters.claims; blank when the data cannot check the claim.",
          required=False, enum=CLAIM_TARGETS),
        SOURCE,
    ], ["claim_id"], [source_fk()]),
]


def descriptor() -> dict:
    resources = []
    for name, description, fields, primary_key, foreign_keys in RESOURCES:
        # The date a row of a table of schedules names may lie ahead of the data (one list: SCHEDULED_TABLES).
        fields = [dict(field, scheduled=True) if name in SCHEDULED_TABLES and field["name"] == AS_OF_COLUMNS[name]
                  else field for field in fields]
        schema = {"fields": fields, "primaryKey": primary_key, "missingValues": [""]}
        if CORROBORATED in fields:
            foreign_keys = foreign_keys + [source_fk("corroborated_by")]
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": description, "schema": schema,
        })
    return {
        "name": "china-gpu-ipo-wave",
        "title": "China's GPU IPO wave: data behind the Biren Technology (壁仞科技) report",
        "description": "Sourced facts on Biren Technology's Hong Kong IPO, its listed GPU peers and the "
                       "Hong Kong market. Every row names its source in sources.csv; amounts keep the unit "
                       "and currency they were reported in.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (compilation; facts belong to their sources)"}],
        "resources": resources,
    }


def text(package: dict) -> str:
    """The exact text of datapackage.json for a descriptor."""
    import json

    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


