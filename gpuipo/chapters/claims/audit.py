"""Each claim read against its recomputation and judged by the rule (gpuipo.chapters.claims.rule): the
audit's rows, with the readings, the sources' grades and the reason a claim is not yet sourced."""
from __future__ import annotations

import pandas as pd

from gpuipo.chapters.claims.rule import COMPANY_STATEMENT, Judged, NOT_YET_SOURCED, Reading, verdict
from gpuipo.chapters.claims.targets import TARGETS
from gpuipo.facts import Facts, well_sourced
from gpuipo.facts.dates import iso_day
from gpuipo.shared.reading import EXACT, OFF, ROUNDED, match

UNIT_LABEL = {"per_share_cny": "CNY", "times": "×", "percent": "%", "ten_thousand_cny": "万 CNY",
              "hundred_million_cny": "亿 CNY", "trillion_hkd": "tn HK$", "count": "", "year": "", "month": "(month)",
              "days": "days", "minutes": "minutes", "rank": "(rank)", "ranking": "", "boolean": "", "date": ""}


def _fmt(value, unit, decimals=2):
    if isinstance(value, pd.Timestamp):
        return iso_day(value)
    if unit in ("boolean", "ranking"):
        return "yes" if value else "no"
    if unit in ("year", "month", "count", "rank"):
        return f"{value:.0f}"
    return f"{value:,.{decimals}f} {UNIT_LABEL.get(unit, '')}".strip()


def _lowest_grade(rows) -> str:
    return max((row.grade for row in rows), default="")   # "D" sorts after "A"


def _grades_of(reading: Reading) -> str:
    return "/".join(sorted({row.grade for row in reading.rows()}))


def _why_not_yet_sourced(kind, complete, readings: list[Reading], judged: list[Judged]) -> str:
    """The reason a recomputed claim is not yet sourced, in words."""
    natural = next(j for j in judged if j.natural)
    if natural.level in (EXACT, ROUNDED) and kind == "superlative" and not complete:
        return "A superlative is confirmed only against a complete set, and the data's set is not complete."
    bar = "confirming needs a grade A or B source or two independent grade C sources"
    if natural.level in (EXACT, ROUNDED):
        reading = readings[judged.index(natural)]
        return f"The data agree, but on sources of grade {_grades_of(reading)}, not all of which meet the bar: {bar}."
    matching = [r for r, j in zip(readings, judged) if not j.natural and j.level in (EXACT, ROUNDED)]
    return (f"Another reading ({matching[0].label}) matches, but on sources of grade {_grades_of(matching[0])}, "
            f"not all of which meet the bar: {bar}.")


def audit_row(f: Facts, claim: pd.Series) -> dict:
    unit, qualifier, kind = claim["stated_unit"], claim["stated_qualifier"], claim["claim_kind"]
    decimals = int(claim["stated_decimals"]) if pd.notna(claim["stated_decimals"]) else 0
    base = {"claim_id": claim["claim_id"], "section": claim["section"], "claim": claim["claim"],
            "excerpt_zh": claim["excerpt_zh"],
            "kind": kind}
    if pd.notna(claim["stated_date"]) and pd.isna(claim["stated"]):
        stated_value, stated_text = claim["stated_date"], iso_day(claim["stated_date"])
    elif pd.notna(claim["stated"]):
        stated_value = float(claim["stated"])
        words = {"more_than": "more than ", "about": "about ", "nearly": "nearly "}
        stated_text = words.get(qualifier, "") + _fmt(stated_value, unit, decimals)
        if pd.notna(claim["stated_date"]):
            stated_text += f" (by {iso_day(claim['stated_date'])})"
    else:
        stated_value, stated_text = None, "(superlative)"
    target = claim["target"]
    if kind == "company-statement" or pd.isna(target):
        outcome = verdict([], kind)
        reason = "A company statement" if outcome == COMPANY_STATEMENT else "Not yet sourced"
        return {**base, "stated": stated_text, "recomputed": "", "difference": "", "verdict": outcome,
                "note": f"{reason}: {claim['check_against']}", "lowest_grade": "", "sources": ""}
    with f.recording() as served:
        result = TARGETS[target](f)
    judged = []
    for reading in result.readings:
        if isinstance(stated_value, pd.Timestamp):
            level = EXACT if reading.value == stated_value else OFF
        elif stated_value is None:   # a superlative without a number: the reading says whether it holds
            level = EXACT if reading.value else OFF
        else:
            level = match(float(reading.value), stated_value, decimals, qualifier)
        judged.append(Judged(reading.natural, level, well_sourced(reading.rows())))
    outcome = verdict(judged, kind, result.complete)
    index = next(i for i, r in enumerate(result.readings) if r.natural)
    natural = result.readings[index]
    shown = max(decimals, 2) if unit not in ("count", "year", "month", "rank") else 0
    readings_text = "; ".join(f"{r.label}: {_fmt(r.value, unit, shown)}" for r in result.readings)
    difference = ""
    if isinstance(natural.value, (int, float)) and isinstance(stated_value, float) and unit not in ("boolean", "rank"):
        gap = float(natural.value) - stated_value
        difference = "0" if abs(gap) < 0.5 * 10 ** (-shown) else f"{gap:+,.{shown}f}"
    why = _why_not_yet_sourced(kind, result.complete, result.readings, judged) if outcome == NOT_YET_SOURCED else ""
    note = " ".join(part for part in (f"{readings_text}.", result.note, why) if part)
    return {**base, "stated": stated_text, "recomputed": _fmt(natural.value, unit, shown), "difference": difference,
            "verdict": outcome, "note": note, "lowest_grade": _lowest_grade(natural.rows()),
            "sources": ",".join(sorted({row.source_id for row in served}))}


def audit(f: Facts, section: str | None = None) -> pd.DataFrame:
    claims = f.rows("claims", **({"section": section} if section else {}))
    table = pd.DataFrame([audit_row(f, claim) for _, claim in claims.iterrows()])
    table.attrs["served"] = f.served(claims)  # the article's claims themselves
    return table
