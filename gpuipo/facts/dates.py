"""The report's rules about dates, each in one place: how a day is written, what became public when
(hindsight), which dated rows are schedules, and what the data is "as of"."""
from __future__ import annotations

import pandas as pd

from gpuipo.contract.vocabulary import AS_OF_COLUMNS, DATA_HORIZON, SCHEDULED_TABLES
from gpuipo.facts.values import Served, served_by

# --- how a day is written ------------------------------------------------------------------------------

FORMS = {
    "day": "{d.day} {d:%B %Y}",          # 2 January 2026: prose, captions, print
    "day_month": "{d.day} {d:%B}",       # 2 January, where the year is plain
    "short": "{d.day} {d:%b %Y}",        # 2 Jan 2026: tables and chart labels
    "month": "{d:%B %Y}",                # January 2026
    "short_month": "{d:%b %Y}",          # Jan 2026
    "year": "{d:%Y}",
    "iso": "{d:%Y-%m-%d}",               # what glue and the data files carry
}
# The same forms in a chart's tooltips and axis ticks (d3-time-format).
CHART_DAY, CHART_MONTH, CHART_YEAR = "%-d %b %Y", "%b", "%Y"


def written(day, form: str = "day") -> str:
    """A day as the report writes it: `form` is one of FORMS (day, day_month, short, month, short_month,
    year, iso). Never a leading zero, always the month's name."""
    return FORMS[form].format(d=pd.Timestamp(day))


def written_to(day, precision: str) -> str:
    """A day known only to its month or year (a date_precision of day, month or year), written no more
    precisely than that, in the short form."""
    return written(day, {"day": "short", "month": "short_month", "year": "year"}[precision])


def iso_day(value) -> str:
    return written(value, "iso")


def latest_day(published: str) -> str:
    """The last day a publication date of YYYY, YYYY-MM or YYYY-MM-DD can stand for."""
    if len(published) == 10:
        return published
    if len(published) == 7:
        return iso_day(pd.Timestamp(published + "-01") + pd.offsets.MonthEnd(0))
    return f"{published[:4]}-12-31"


# --- hindsight -------------------------------------------------------------------------------------------

def after(rows, day) -> bool:
    """Whether any of the rows became public after `day`: from that day's point of view, hindsight."""
    return day is not None and any(row.known_from > iso_day(day) for row in rows)


def known_by(value, day) -> bool:
    """Whether every row behind a value was public on `day`."""
    return not after(served_by(value), day)


# --- schedules and "as of" -------------------------------------------------------------------------------

def is_schedule(row: Served) -> bool:
    """A dated row public before the day it names (a lock-up's end, a planned launch, a rule in force
    from a later day): it says what is to happen, not what the data saw."""
    return row.table in SCHEDULED_TABLES and row.as_of > row.known_from


def is_observation(row: Served) -> bool:
    """A row about a day the data saw: dated (not a registry row such as a company's name), not a schedule,
    within the edition's horizon."""
    return row.table in AS_OF_COLUMNS and not is_schedule(row) and bool(row.as_of) \
        and row.as_of <= DATA_HORIZON.isoformat()


def data_as_of(rows, cutoff=None) -> str | None:
    """What data is "as of": the latest day any observation among `rows` refers to, leaving out rows
    public after `cutoff` (a chapter that rests on an earlier day). The same rule for a chapter's rows,
    a table's and the whole package's. None when no row is an observation."""
    days = [row.as_of for row in rows if is_observation(row) and not after([row], cutoff)]
    return max(days) if days else None
