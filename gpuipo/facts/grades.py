"""The authority of what a value rests on: the grades of its sources, the bar a verdict needs, and the
mark printed after a value that rests only on grade C or D documents."""
from __future__ import annotations

from gpuipo.contract.vocabulary import LOW_GRADES, LOW_GRADE_MARK, STRONG_GRADES
from gpuipo.facts.values import Served, served_by


def only_low_grades(grades) -> bool:
    """Whether every grade given is C or D (an aggregator, mirror, data vendor, AI summary or content
    farm): a figure whose sources are all such is marked where it is printed."""
    grades = list(grades)
    return bool(grades) and all(grade in LOW_GRADES for grade in grades)


def low_authority(served) -> bool:
    return only_low_grades(row.grade for row in served)


def well_sourced(served) -> bool:
    """The audit's bar for a verdict on the record: every row behind it comes from a grade A or B
    document, or from two independent grade C documents (the second named in `corroborated_by`)."""
    def enough(row: Served) -> bool:
        grades = {row.grade, row.second_grade}
        return bool(grades & STRONG_GRADES) or (row.grade == "C" and row.second_grade == "C")
    return bool(served) and all(enough(row) for row in served)


def marked(text: str, value) -> str:
    """`text` (a value as printed) followed by the low-authority mark when every source behind `value`
    is of grade C or D."""
    return f"{text}\u00a0{LOW_GRADE_MARK}" if low_authority(served_by(value)) else text   # never wrapped apart


def shown(value, spec: str) -> str:
    """A value formatted with `spec`, marked when it rests only on grade C or D sources."""
    return marked(format(value, spec), value)


