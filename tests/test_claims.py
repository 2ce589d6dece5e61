"""The claims audit: one verdict rule, applied evenly, and verdicts that follow the data.

The rule is stated in gpuipo/chapters/claims/__init__.py and the methodology. Besides hand-checked verdicts, the tests
here check it as properties on edited copies of the data: equivalent claims get the same verdict, one
counter-example turns a superlative into a contradiction, and confirmation follows the sources' grades.
"""
import pandas as pd
import pytest

from gpuipo.chapters import claims
from gpuipo.contract import validation
from gpuipo.contract import vocabulary
from gpuipo.chapters.claims import Judged, verdict
from gpuipo.facts import Facts
from gpuipo.shared import deals
from gpuipo.shared.reading import EXACT, OFF, ROUNDED, match
from tests.csvedit import append_row, find_row, read_rows, set_cell, write_rows

pytestmark = [pytest.mark.data]


@pytest.fixture(scope="module")
def audit():
    return claims.audit(Facts())


def audit_of(directory) -> pd.DataFrame:
    return claims.audit(Facts(directory)).set_index("claim_id")


def test_every_claim_has_a_verdict_on_the_scale(audit):
    registry = Facts().rows("claims")
    assert len(registry) >= 35
    assert list(audit["claim_id"]) == list(registry["claim_id"])
    assert set(audit["verdict"]) <= set(vocabulary.VERDICTS)
    assert audit["verdict"].notna().all()


def test_every_target_is_a_known_rule_and_every_rule_is_used():
    targets = set(Facts().rows("claims")["target"].dropna())
    assert targets == set(claims.TARGETS)
    # The schema's vocabulary of targets is the set of recomputations, so an unknown target is refused by check-data.
    assert list(claims.TARGETS) == vocabulary.CLAIM_TARGETS


def test_claims_the_data_cannot_reach_say_why(audit):
    registry = Facts().rows("claims").set_index("claim_id")
    for _, row in audit.iterrows():
        claim = registry.loc[row["claim_id"]]
        if claim["claim_kind"] == "company-statement":
            assert row["verdict"] == "company statement" and row["note"].startswith("A company statement: ")
        elif pd.isna(claim["target"]):
            assert row["verdict"] == "not yet sourced" and row["note"].startswith("Not yet sourced: ")


@pytest.mark.parametrize("claim_id, expected", [
    ("C02-08", "confirmed"),              # 3.37亿 vs 336,803 thousand in the prospectus
    ("C02-11", "confirmed"),              # R&D 2022 from the prospectus's income statement
    ("C01-04", "depends-on-definition"),  # 468.78 % is the open, not the close
    ("C01-08", "contradicted"),           # 682 % vs a close of +692.95 %
    ("C03-01", "contradicted"),           # HSI 'about 23 %' vs +28.07 %
    ("C03-06", "confirmed"),              # 65.7 % on the issuer's basis (base offer, prospectus price)
    ("C03-08", "confirmed"),              # about 64 % on the same basis, for Biren
    ("C01-03", "not yet sourced"),        # 'nearly 30-fold' fits, but the trough rests on a grade D page
    ("C02-09", "not yet sourced"),        # the adjusted loss is found only in an AI-written summary
    ("C01-11", "contradicted"),           # Hygon sits between Cambricon and Moore Threads
    ("C03-12", "not yet sourced"),        # 'first HK GPU stock' holds only among the companies in the data
    ("C02-02", "company statement"),      # the cluster's uptime, as the company tells it
])
def test_hand_checked_verdicts(audit, claim_id, expected):
    assert audit.set_index("claim_id").loc[claim_id, "verdict"] == expected


def test_one_reading_of_nearly_in_chapter_1_and_chapter_5(audit):
    from gpuipo.chapters import pricing

    f = Facts()
    stated = f.number("claims", "stated", claim_id="C01-03")
    note = audit.set_index("claim_id").loc["C01-03", "note"]
    readings = pricing.cambricon_run(f)
    assert str(readings["cam_fold_reading"]) == "fits both the gain and the price multiple"
    gain, multiple = readings["cam_gain_high"], readings["cam_multiple_high"]
    assert match(gain, stated, 0, "nearly") == match(multiple, stated, 0, "nearly") == EXACT
    assert f"{gain:.2f}" in note and f"{multiple:.2f}" in note


def test_match_rule_by_hand():
    assert match(3.36803, 3.37, 2, "exact") == EXACT          # within half a cent of 亿
    assert match(3.3649, 3.37, 2, "exact") == OFF             # 3.36 would be printed
    assert match(29.47, 30, 0, "exact") == ROUNDED            # rounds to 30 only at the tens
    assert match(692.95, 682, 0, "exact") == OFF              # no rounding of 692.95 gives 682
    assert match(63.96, 64, 0, "about") == EXACT
    assert match(28.6, 30, 0, "about") == EXACT               # within 5 %
    assert match(28.4, 30, 0, "about") == OFF
    assert match(28.07, 23, 0, "about") == OFF
    assert match(27.1, 30, 0, "nearly") == EXACT              # within 10 % below
    assert match(26.9, 30, 0, "nearly") == OFF
    assert match(30.4, 30, 0, "nearly") == EXACT              # printed precision: 30.4 prints as 30
    assert match(30.6, 30, 0, "nearly") == OFF                # "nearly" is never above
    assert match(1585, 1500, 0, "more_than") == EXACT
    assert match(1499, 1500, 0, "more_than") == OFF
    assert match(1.3796, 1.38, 2, "more_than") == EXACT       # 1.38 at the printed digits


def test_verdict_rule_by_hand():
    strong, weak = True, False
    assert verdict([Judged(True, EXACT, strong), Judged(False, OFF)]) == "confirmed"
    assert verdict([Judged(True, EXACT, weak)]) == "not yet sourced"
    assert verdict([Judged(True, ROUNDED, strong)]) == "rounded"
    assert verdict([Judged(True, OFF), Judged(False, EXACT, strong)]) == "depends-on-definition"
    assert verdict([Judged(True, OFF), Judged(False, EXACT, weak)]) == "not yet sourced"
    assert verdict([Judged(True, OFF), Judged(False, OFF)]) == "contradicted"
    assert verdict([Judged(True, OFF, weak)]) == "contradicted"   # a counter-example needs no grade to refute
    assert verdict([Judged(True, EXACT, strong)], "superlative", complete=False) == "not yet sourced"
    assert verdict([Judged(True, EXACT, strong)], "superlative", complete=True) == "confirmed"
    assert verdict([Judged(True, OFF, strong)], "superlative", complete=False) == "contradicted"
    assert verdict([Judged(True, EXACT, strong)], "company-statement") == "company statement"
    assert verdict([]) == "not yet sourced"


# --- properties, on edited copies of the data ---------------------------------------------------------

def test_changing_a_data_value_flips_the_verdict(data_copy):
    row = find_row(data_copy, "financials", company_id="biren", period="FY2024", metric="revenue")
    set_cell(data_copy, "financials", row, "value", "401200")
    changed = audit_of(data_copy)
    assert changed.loc["C02-08", "verdict"] == "contradicted"
    assert changed.loc["C02-08", "recomputed"].startswith("4.01")


def test_equivalent_claims_get_the_same_verdict(data_copy):
    """Every claim restated in other words under another id is judged the same way."""
    rows = read_rows(data_copy / "claims.csv")
    header, body = rows[0], rows[1:]
    twins = []
    for row in body:
        twin = list(row)
        section, number = row[0][1:3], int(row[0][4:])
        twin[header.index("claim_id")] = f"C{section}-{number + 50:02d}"
        twin[header.index("claim")] = "Restated: " + row[header.index("claim")]
        twins.append(twin)
    write_rows(data_copy / "claims.csv", [header] + body + twins)
    judged = audit_of(data_copy)
    for original, twin in zip(body, twins):
        assert judged.loc[original[0], "verdict"] == judged.loc[twin[0], "verdict"], original[0]


def test_offer_percentages_are_read_on_one_basis_for_every_deal(data_copy):
    """CATL and Biren stated the same way get the same verdict: their own issuer's-basis figure is
    confirmed, and each deal's upsized-offer figure depends on the definition. (CATL's upsize count is
    moved to its grade B term sheet here, so that only the basis differs between the two deals.)"""
    upsize = find_row(data_copy, "offering_terms", offering_id="catl-hk-ipo", term="upsize_exercised_shares")
    set_cell(data_copy, "offering_terms", upsize, "source_id", "wallstreetcn-catl-terms")
    set_cell(data_copy, "offering_terms", upsize, "corroborated_by", "")
    set_cell(data_copy, "offering_terms", upsize, "known_from", "2025-05-19")
    f = Facts(data_copy)
    for claim_id, offering in (("C03-06", "catl-hk-ipo"), ("C03-08", "biren-hk-ipo")):
        row = find_row(data_copy, "claims", claim_id=claim_id)
        set_cell(data_copy, "claims", row, "stated_qualifier", "exact")
        set_cell(data_copy, "claims", row, "stated_decimals", "2")
        basis = 100 * deals.issuer_basis_share(f, offering)
        set_cell(data_copy, "claims", row, "stated", f"{basis:.2f}")
    on_basis = audit_of(data_copy)
    assert on_basis.loc["C03-06", "verdict"] == on_basis.loc["C03-08", "verdict"] == "confirmed"
    for claim_id, offering in (("C03-06", "catl-hk-ipo"), ("C03-08", "biren-hk-ipo")):
        upsized = next(r["share"] for r in deals.cornerstone_denominators(f, [offering])
                       if r["reading"] == "Upsized offer, final price")
        set_cell(data_copy, "claims", find_row(data_copy, "claims", claim_id=claim_id), "stated", f"{100 * upsized:.2f}")
    off_basis = audit_of(data_copy)
    assert off_basis.loc["C03-06", "verdict"] == off_basis.loc["C03-08", "verdict"] == "depends-on-definition"


def test_about_and_nearly_agree_inside_both_windows(data_copy):
    """Biren's 2024 revenue, 3.37亿, lies within 5 % of 3.5 and within 10 % below it, and outside both
    windows of 3.0: 'about' and 'nearly' give the same verdict wherever their windows overlap."""
    row = find_row(data_copy, "claims", claim_id="C02-08")
    set_cell(data_copy, "claims", row, "stated_decimals", "1")
    verdicts = {}
    for qualifier, stated in (("about", "3.0"), ("nearly", "3.0")):
        set_cell(data_copy, "claims", row, "stated_qualifier", qualifier)
        set_cell(data_copy, "claims", row, "stated", stated)
        verdicts[qualifier] = audit_of(data_copy).loc["C02-08", "verdict"]   # 3.37亿: outside both windows of 3.0
    assert verdicts == {"about": "contradicted", "nearly": "contradicted"}
    for qualifier in ("about", "nearly"):
        set_cell(data_copy, "claims", row, "stated_qualifier", qualifier)
        set_cell(data_copy, "claims", row, "stated", "3.5")                  # 3.37 within 5 % and 10 % below 3.5
        verdicts[qualifier] = audit_of(data_copy).loc["C02-08", "verdict"]
    assert verdicts == {"about": "confirmed", "nearly": "confirmed"}


def test_a_counter_example_flips_a_superlative(data_copy):
    """Add a Hong Kong GPU maker that listed before Biren: 'the first HK GPU stock' is contradicted."""
    def append(table, values):
        append_row(data_copy, table, values)

    assert audit_of(data_copy).loc["C03-12", "verdict"] == "not yet sourced"
    append("companies", {"company_id": "earlier-gpu", "name_en": "Earlier GPU", "name_zh": "早先", "exchange": "HKEX",
                         "board": "Main Board", "segment": "GPU maker", "category": "gpu", "source_id": "hkex-biren-allotment"})
    append("offerings", {"offering_id": "earlier-gpu-hk-ipo", "company_id": "earlier-gpu", "kind": "ipo",
                         "exchange": "HKEX", "currency": "HKD", "source_id": "hkex-biren-allotment"})
    append("offering_dates", {"offering_id": "earlier-gpu-hk-ipo", "event": "listing", "date": "2025-11-03",
                              "source_id": "hkex-biren-allotment"})
    judged = audit_of(data_copy).loc["C03-12"]
    assert judged["verdict"] == "contradicted" and judged["recomputed"] == "2"


def test_no_verdict_rests_on_the_words_of_a_text_column(data_copy, audit):
    """Chapters select companies by the coded category, never by the words describing them: reword every
    company's segment (none says GPU any more) and every verdict and recomputed value stays as it was."""
    for row in range(1, len(read_rows(data_copy / "companies.csv"))):
        set_cell(data_copy, "companies", row, "segment", "chips")
    reworded = audit_of(data_copy)
    committed = audit.set_index("claim_id")
    pd.testing.assert_frame_equal(reworded[["verdict", "recomputed"]], committed[["verdict", "recomputed"]])


def test_without_the_counter_example_the_superlative_is_not_yet_sourced(data_copy):
    """Put Hygon's December market values below MetaX's: Cambricon, Moore Threads and MetaX then stand in
    the stated order among the STAR companies in the data, but that set is incomplete, so the ranking is
    not confirmed either."""
    rows = read_rows(data_copy / "market_observations.csv")
    header = rows[0]
    for r in rows[1:]:
        if r[header.index("company_id")] == "hygon" and r[header.index("date")] >= "2025-12":
            r[header.index("value")] = "100" if r[header.index("unit")] == "billion" else "1000"
    write_rows(data_copy / "market_observations.csv", rows)
    assert audit_of(data_copy).loc["C01-11", "verdict"] == "not yet sourced"


def test_confirmation_follows_the_grades(data_copy):
    """R&D 2022 is confirmed on the prospectus (A); moved to an AI summary (D) it is not yet sourced;
    a named corroboration by another grade C publisher beside a grade C source confirms it again."""
    row = find_row(data_copy, "financials", company_id="biren", period="FY2022", metric="rd_expense")
    assert audit_of(data_copy).loc["C02-11", "verdict"] == "confirmed"
    set_cell(data_copy, "financials", row, "source_id", "reportify-biren-phip")
    set_cell(data_copy, "financials", row, "known_from", "2025-12-17")
    assert audit_of(data_copy).loc["C02-11", "verdict"] == "not yet sourced"
    set_cell(data_copy, "financials", row, "source_id", "cnfol-biren-launch")
    set_cell(data_copy, "financials", row, "known_from", "")
    assert audit_of(data_copy).loc["C02-11", "verdict"] == "not yet sourced"          # one grade C source
    set_cell(data_copy, "financials", row, "reliability", "corroborated")
    set_cell(data_copy, "financials", row, "corroborated_by", "bkeconomy-metax")
    assert audit_of(data_copy).loc["C02-11", "verdict"] == "confirmed"                # two independent C


def test_a_corroboration_must_come_from_another_publisher(data_copy):
    row = find_row(data_copy, "financials", company_id="biren", period="FY2023", metric="adjusted_net_profit")
    set_cell(data_copy, "financials", row, "corroborated_by", "reportify-biren-offer")   # Reportify again
    with pytest.raises(validation.DataValidationError, match=r"financials.csv.*corroborated_by.*not independent"):
        validation.read_package(data_copy)


def test_audit_is_published_with_the_required_columns(audit):
    published = claims.published(audit)
    for column in ("claim_id", "section", "kind", "claim", "stated", "recomputed", "verdict", "lowest_grade", "note"):
        assert column in published.columns
    assert set(published["lowest_grade"]) <= {"", *vocabulary.GRADES}
