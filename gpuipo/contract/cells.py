"""Each cell parsed once, strictly, by its field's type and constraints (stage 2 of the validation): what
the check passes is what the loader returns, and nothing is coerced."""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from gpuipo.contract import printable
from gpuipo.contract.vocabulary import DATA_HORIZON, FORMULA_PREFIXES, SCHEDULE_HORIZON

NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# Control, format (zero-width, bidirectional overrides), line/paragraph separators, private-use,
# surrogate and unassigned code points: invisible in an editor, and some change how text renders.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def parse_cell(spec: dict, cell: str) -> tuple[object, str | None]:
    """(typed value, problem): the value is None for an empty cell or when there is a problem."""
    problem = _text_problem(cell)
    if problem:
        return None, problem
    constraints = spec.get("constraints", {})
    if cell == "":
        return None, "a required cell is empty" if constraints.get("required") else None
    kind = spec["type"]
    if kind == "string":
        # An address is printed with breaks allowed anywhere (xurl); other text breaks only at spaces.
        value, problem = cell, _formula_problem(cell) or (None if spec.get("format") == "uri" else printable.too_long(cell))
    elif kind == "number":
        value, problem = _number(cell)
    elif kind == "integer":
        value, problem = (int(cell), None) if INTEGER.fullmatch(cell) else (None, _not_a_number(cell, "a whole number"))
    elif kind == "date":
        value, problem = _date(cell, SCHEDULE_HORIZON if spec.get("scheduled") else DATA_HORIZON)
    else:
        raise ValueError(f"unknown field type {kind!r} in gpuipo/contract/schema.py")
    if problem:
        return None, problem
    return value, _constraint_problem(constraints, cell, value)


def _text_problem(cell: str) -> str | None:
    if cell and not cell.strip():
        return "the cell is only whitespace"
    if cell != cell.strip():
        return "leading or trailing whitespace (including non-breaking spaces) in the cell"
    for character in cell:
        if character in "\r\n":
            return "contains a line break; keep each cell on one line"
        if unicodedata.category(character) in INVISIBLE:
            name = unicodedata.name(character, "control character")
            return f"contains U+{ord(character):04X} ({name}), which is invisible or a control character"
    return None


def _formula_problem(cell: str) -> str | None:
    if cell.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(cell):
        return (f"text begins with {cell[0]!r}, which a spreadsheet opening the CSV would run as a formula; "
                "reword it")
    return None


def _number(cell: str) -> tuple[float | None, str | None]:
    if not NUMBER.fullmatch(cell):
        return None, _not_a_number(cell, "a number")
    value = float(cell)
    if not math.isfinite(value):
        return None, f"{cell!r} is too large to be a finite number"
    return value, None


def _not_a_number(cell: str, what: str) -> str:
    if any(c.isdigit() and not "0" <= c <= "9" for c in cell):
        reason = "it uses digits other than ASCII 0-9"
    elif cell.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        reason = "it is not a finite number"
    elif "," in cell:
        reason = "no thousands separators"
    elif "_" in cell:
        reason = "no digit separators"
    elif "%" in cell:
        reason = "no percent sign: the unit column says percent"
    elif re.fullmatch(r"[+-]?0[0-9].*", cell):
        reason = "no leading zeros"
    else:
        reason = "write plain digits with an optional minus sign, decimal point and exponent"
    return f"{cell!r} is not {what}: {reason}"


def _date(cell: str, latest: date = DATA_HORIZON) -> tuple[date | None, str | None]:
    if not DATE.fullmatch(cell):
        return None, f"{cell!r} is not a date: write YYYY-MM-DD"
    try:
        value = date.fromisoformat(cell)
    except ValueError:
        return None, f"{cell!r} is not a real date"
    if value > latest:
        what = "the latest date a schedule may name" if latest != DATA_HORIZON else "the data horizon"
        return None, f"{cell} is after {what} {latest} (gpuipo/contract/vocabulary.py)"
    return value, None


def _constraint_problem(constraints: dict, cell: str, value) -> str | None:
    if "enum" in constraints and cell not in constraints["enum"]:
        return f"{cell!r} is not one of: {', '.join(constraints['enum'])}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], cell):
        return f"{cell!r} does not match the pattern {constraints['pattern']}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"{cell} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"{cell} is above the maximum {constraints['maximum']}"
    return None
