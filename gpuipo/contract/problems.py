"""A problem in the data package, named by file, row and column; and the error that lists them, capped
so that a file of a hundred thousand bad rows reads in a screen."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is not counted); None for whole-file problems
    column: str | None
    message: str
    line: int | None = None  # 1-based line of the file, when it differs from row + 1

    def __str__(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line or self.row + 1})")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


SHOWN_PER_RULE = 5   # problems listed for each file and rule; the rest are counted


def rule_of(problem: Problem) -> str:
    """A problem's rule: its message with the values it quotes left out ("'x' is not a number" and
    "'y' is not a number" break one rule)."""
    return re.sub(r"-?[0-9][0-9.,]*", "N", re.sub(r"'[^']*'", "'…'", problem.message))


class DataValidationError(ValueError):
    """Every problem found (in .problems); its message lists the first few of each file and rule, and
    counts the rest, so that a file of a hundred thousand bad rows reads in a screen."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown, counts = [], {}
        for problem in self.problems:
            group = (problem.file, problem.column, rule_of(problem))
            counts[group] = counts.get(group, 0) + 1
            if counts[group] <= SHOWN_PER_RULE:
                shown.append(f"  - {problem}")
        more = [f"  - {file}" + (f", column '{column}'" if column else "") +
                f": {count - SHOWN_PER_RULE} more like those above ({count} in all): {rule}"
                for (file, column, rule), count in counts.items() if count > SHOWN_PER_RULE]
        super().__init__(f"data validation failed with {len(self.problems)} problem(s):\n" + "\n".join(shown + more))
