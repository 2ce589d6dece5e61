"""The verdict rule of the claims audit, in one place (also in the methodology, and tested as properties
in tests/test_claims.py):
- a figure is read against the data with one tolerance per qualifier (gpuipo.shared.reading: "about", "nearly",
  "more than", or the printed precision);
- confirmed: the natural reading matches; rounded: it matches only after rounding to a coarser power
  of ten than printed; depends-on-definition: the natural reading misses and another stated reading
  matches; contradicted: no reading matches, or one counter-example in the data refutes a superlative;
- a superlative is confirmed only against a complete set; true of an incomplete one, it is not yet sourced;
- confirming needs sources of authority: every row behind the matching reading comes from a grade A or
  B document, or from two independent grade C documents (facts.well_sourced); else not yet sourced;
- offer-structure percentages are read on the issuer's own disclosure basis for every deal
  (deals.issuer_basis_share);
- a company statement is what only the company could know; a claim the data cannot reach yet is not
  yet sourced.
"""
from __future__ import annotations

from dataclasses import dataclass

from gpuipo.contract.vocabulary import VERDICTS
from gpuipo.facts import served_by
from gpuipo.shared.reading import EXACT, OFF, ROUNDED

CONFIRMED, ROUNDED_VERDICT, DEPENDS, CONTRADICTED, COMPANY_STATEMENT, NOT_YET_SOURCED = VERDICTS


@dataclass
class Reading:
    label: str
    value: object            # a Fact (it carries its rows), or a date or flag with its rows in `served`
    natural: bool = False
    served: frozenset | None = None

    def rows(self) -> frozenset:
        return self.served if self.served is not None else served_by(self.value)


@dataclass
class Recomputed:
    """The readings of one claim. For a superlative, `complete` says whether the set compared is every
    member there is (only then can it be confirmed); `note` explains the readings."""
    readings: list[Reading]
    note: str = ""
    complete: bool = True


@dataclass(frozen=True)
class Judged:
    """One reading's match and whether its rows meet the bar for confirming."""
    natural: bool
    level: str
    well_sourced: bool = True


def verdict(judged: list[Judged], kind: str = "figure", complete: bool = True) -> str:
    """The verdict on the fixed scale (vocabulary.VERDICTS) from the judged readings of one claim."""
    if kind == "company-statement":
        return COMPANY_STATEMENT
    if not judged:
        return NOT_YET_SOURCED
    natural = next((j for j in judged if j.natural), Judged(True, OFF))
    if natural.level in (EXACT, ROUNDED):
        if kind == "superlative" and not complete or not natural.well_sourced:
            return NOT_YET_SOURCED
        return CONFIRMED if natural.level == EXACT else ROUNDED_VERDICT
    others = [j for j in judged if not j.natural and j.level in (EXACT, ROUNDED)]
    if others:
        return DEPENDS if any(j.well_sourced for j in others) else NOT_YET_SOURCED
    return CONTRADICTED
