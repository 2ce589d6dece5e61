"""The claims audit: every claim gets a verdict by rule, and the verdicts follow the data."""
import csv

import pandas as pd
import pytest

from gpuipo import claims, vocabulary
from gpuipo.claims import EXACT, OFF, ROUNDED, match, verdict
from gpuipo.facts import Facts


@pytest.fixture(scope="module")
def audit():
    return claims.audit(Facts())


def test_every_claim_has_a_verdict_on_the_scale(audit):
    registry = Facts().rows("claims")
    assert len(registry) >= 35
    assert list(audit["claim_id"]) == list(registry["claim_id"])
    assert set(audit["verdict"]) <= set(claims.VERDICTS)
    assert audit["verdict"].notna().all()


def test_every_target_is_a_known_rule_and_every_rule_is_used():
    targets = set(Facts().rows("claims")["target"].dropna())
    assert targets == set(claims.TARGETS)
    # The schema's vocabulary of targets is the set of recomputations, so an unknown target is refused by check-data.
    assert list(claims.TARGETS) == vocabulary.CLAIM_TARGETS


def test_claims_without_data_are_unverifiable_with_a_reason(audit):
    targets = Facts().rows("claims").set_index("claim_id")["target"]
    for _, row in audit.iterrows():
        if pd.isna(targets[row["claim_id"]]):
            assert row["verdict"] == "unverifiable" and row["note"]


@pytest.mark.parametrize("claim_id, expected", [
    ("C02-08", "confirmed"),              # 3.37亿 vs 336.803 CNY m
    ("C01-04", "depends-on-definition"),  # 468.78 % is the open, not the close
    ("C01-08", "contradicted"),           # 682 % vs a close of +692.95 %
    ("C03-01", "contradicted"),           # HSI 'about 23 %' vs +28.07 %
    ("C03-06", "depends-on-definition"),  # 65.7 % is the base offer, not the upsized one
    ("C01-03", "rounded"),                # 'nearly 30-fold' vs a 28.47-fold gain
    ("C02-11", "unverifiable"),           # per-year R&D not in the data
])
def test_hand_checked_verdicts(audit, claim_id, expected):
    assert audit.set_index("claim_id").loc[claim_id, "verdict"] == expected


def test_changing_a_data_value_flips_the_verdict(data_copy):
    path = data_copy / "financials.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("company_id")] == "biren" and row[header.index("period")] == "FY2024" \
                and row[header.index("metric")] == "revenue":
            row[header.index("value")] = "401.2"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    changed = claims.audit(Facts(data_copy)).set_index("claim_id")
    assert changed.loc["C02-08", "verdict"] == "contradicted"
    assert changed.loc["C02-08", "recomputed"].startswith("4.01")


def test_match_rule_by_hand():
    assert match(3.36803, 3.37, 2, "exact") == EXACT          # within half a cent of 亿
    assert match(3.3649, 3.37, 2, "exact") == OFF             # 3.36 would be printed
    assert match(29.47, 30, 0, "about") == ROUNDED            # rounds to 30 only at the tens
    assert match(692.95, 682, 0, "exact") == OFF              # no rounding of 692.95 gives 682
    assert match(63.96, 64, 0, "about") == EXACT
    assert match(1585, 1500, 0, "more_than") == EXACT
    assert match(1499, 1500, 0, "more_than") == OFF
    assert match(28.07, 23, 0, "about") == OFF


def test_verdict_rule_by_hand():
    assert verdict([(True, EXACT), (False, OFF)]) == "confirmed"
    assert verdict([(True, ROUNDED)]) == "rounded"
    assert verdict([(True, OFF), (False, EXACT)]) == "depends-on-definition"
    assert verdict([(True, OFF), (False, OFF)]) == "contradicted"
    assert verdict([]) == "unverifiable"


def test_audit_is_published_with_the_required_columns(audit):
    published = claims.published(audit)
    for column in ("claim_id", "section", "claim", "stated", "recomputed", "verdict", "note"):
        assert column in published.columns
