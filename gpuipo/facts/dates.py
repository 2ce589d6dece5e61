"""The report's rules about dates, each in one place."""
from __future__ import annotations

import pandas as pd

from gpuipo.facts.values import served_by


def iso_day(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def latest_day(published: str) -> str:
    """The last day a publication date of YYYY, YYYY-MM or YYYY-MM-DD can stand for."""
    if len(published) == 10:
        return published
    if len(published) == 7:
        return (pd.Timestamp(published + "-01") + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
    return f"{published[:4]}-12-31"


def known_by(value, day) -> bool:
    """Whether every row behind a value was public on `day`."""
    return all(s.known_from <= iso_day(day) for s in served_by(value))

