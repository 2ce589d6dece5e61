"""The audit as the chapter shows it: a table per section of the article, the verdict chart, the counts,
and the published CSV."""
from __future__ import annotations

import pandas as pd

from gpuipo.chapters.claims.audit import audit
from gpuipo.contract.vocabulary import VERDICTS
from gpuipo.facts import Fact, Facts

SECTION_TITLES = {"01": "§01 The pricing logic of high-end GPU stocks", "02": "§02 Biren's technology and business",
                  "03": "§03 Conclusion: the Hong Kong market"}


def section_table(f: Facts, section: str) -> pd.DataFrame:
    """The audit of one section of the article, as printed (the difference and the notes are in
    claims_audit.csv and under "Claims that are not confirmed")."""
    return audit(f, section).rename(columns={
        "claim_id": "Claim", "claim": "What the article says", "stated": "Stated", "recomputed": "Recomputed",
        "verdict": "Verdict", "lowest_grade": "Grade"})[
        ["Claim", "What the article says", "Stated", "Recomputed", "Grade", "Verdict"]]


def verdict_chart(f: Facts):
    return chart(audit(f))


def counts(table: pd.DataFrame) -> dict:
    """How many claims got each verdict, and in all (as Facts citing the claims counted)."""
    served = table.attrs.get("served", frozenset())
    tally = {verdict_: Fact(int((table["verdict"] == verdict_).sum()), served, "count") for verdict_ in VERDICTS}
    tally["all"] = Fact(len(table), served, "count")
    return tally


def chart(table: pd.DataFrame):
    import altair as alt

    from gpuipo.shared.style import PALETTE
    from gpuipo.shared.words import listing

    colours = {"confirmed": PALETTE[2], "rounded": PALETTE[4], "depends-on-definition": PALETTE[1],
               "contradicted": PALETTE[3], "company statement": "#b07aa1", "not yet sourced": "#8c8c8c"}
    grouped = table.groupby(["section", "verdict"]).size().reset_index(name="claims")
    grouped["section_label"] = "§" + grouped["section"]
    grouped["order"] = grouped["verdict"].map(VERDICTS.index)
    return alt.Chart(grouped).mark_bar().encode(
        x=alt.X("claims:Q", title="Number of claims", stack="zero"),
        y=alt.Y("section_label:N", title="Article section"),
        color=alt.Color("verdict:N", title="Verdict", sort=VERDICTS,
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("section_label:N", title="Section"), alt.Tooltip("verdict:N"), alt.Tooltip("claims:Q")],
    ).properties(height=140, description=(
        "Stacked bars of the verdicts on the article's claims in each of its sections: " + "; ".join(
            f"section {section}, {int(group['claims'].sum())} claims: " + listing(
                f"{int(n)} {verdict_}" for verdict_, n in zip(group["verdict"], group["claims"]))
            for section, group in grouped.sort_values("order").groupby("section")) + "."),
        title=alt.Title("Verdicts on the article's claims, by section",
                                              subtitle="Each claim recomputed from the data and judged by a fixed rule"))


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of claims_audit.csv, the audit published as data."""
    return table[["claim_id", "section", "kind", "claim", "excerpt_zh", "stated", "recomputed", "difference", "verdict",
                  "lowest_grade", "note", "sources"]]
