"""How a number printed in the article is read against a number recomputed from the data.

One rule for every chapter: chapter 1 and the claims audit read "nearly 30-fold" the same way because
both call `match`. The tolerances live in vocabulary.TOLERANCES.
"""
from __future__ import annotations

import math

from gpuipo.contract.vocabulary import TOLERANCES

EXACT, ROUNDED, OFF = "exact", "rounded", "off"
# Float noise allowance when comparing a recomputed value with the printed precision.
EPSILON = 1e-9


def match(recomputed: float, stated: float, decimals: int, qualifier: str) -> str:
    """How a recomputed number matches a printed one.

    exact: as the qualifier allows. A plain number: within half a unit of its last printed digit.
      "about N": within TOLERANCES["about"] of N either side. "nearly N": at most N and at least
      N less TOLERANCES["nearly"] of N. "more than N": N or more once rounded to the printed digits.
    rounded (plain numbers only): equal to the recomputed value rounded to a coarser power of ten that
      the printed number is a multiple of (e.g. 29.47 printed as 30);
    off: otherwise.
    """
    half_unit = 0.5 * 10 ** (-decimals)
    if qualifier == "more_than":
        return EXACT if round(recomputed, decimals) >= stated - EPSILON else OFF
    if qualifier == "about":
        return EXACT if abs(recomputed - stated) <= max(half_unit, TOLERANCES["about"] * abs(stated)) + EPSILON else OFF
    if qualifier == "nearly":
        low = stated - max(half_unit, TOLERANCES["nearly"] * abs(stated))
        return EXACT if low - EPSILON <= recomputed <= stated + half_unit + EPSILON else OFF
    if abs(recomputed - stated) <= half_unit + EPSILON:
        return EXACT
    if stated != 0:
        coarsest = int(math.floor(math.log10(abs(stated))))
        for power in range(-decimals + 1, coarsest + 1):
            step = 10 ** power
            if abs(stated / step - round(stated / step)) < EPSILON and abs(round(recomputed / step) * step - stated) < EPSILON:
                return ROUNDED
    return OFF


def fits(recomputed: float, stated: float, decimals: int, qualifier: str) -> bool:
    return match(recomputed, stated, decimals, qualifier) == EXACT
