"""Look-ups over the validated tables, with the provenance of every value they serve.

Every value the report computes comes from rows served here, and the rows travel with it:
- a number looked up is a `Fact` (a float) that carries the rows it came from, its unit and its
  currency; arithmetic on Facts merges their rows, so a derived figure cites everything it was
  computed from without anyone typing a source (the way Our World in Data's indicators carry their
  origins);
- a chart or table is computed inside `Facts.recording()`, which collects every row served while it
  runs.
A served row (`Served`) names its table and key, its source, the date its value refers to (as of) and
the first day it was public (known from).

`Facts(as_known_on=day)` serves only rows that were public on that day, like a vintage of an archival
economic database: an audit of an article dated D must not rest on what was published after D.
Money look-ups state the currency they expect, and a row in another currency is an error.
"""
from gpuipo.facts.dates import known_by, latest_day
from gpuipo.facts.grades import low_authority, marked, only_low_grades, shown, well_sourced
from gpuipo.facts.lookups import Facts
from gpuipo.facts.values import Fact, Served, Text, served_by

__all__ = ["Fact", "Facts", "Served", "Text", "known_by", "latest_day", "low_authority", "marked", "only_low_grades",
           "served_by", "shown", "well_sourced"]
