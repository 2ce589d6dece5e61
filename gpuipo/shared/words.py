"""Numbers as a chart's description says them to a screen reader: every number in a description is
computed from the data the chart draws, through these (never typed)."""
from __future__ import annotations


def percent(share, digits: int = 0, signed: bool = False) -> str:
    """A share as words a screen reader says plainly: 0.4687 → "47 percent", -0.67 → "minus 67 percent",
    signed: "plus 47 percent"."""
    value = float(share) * 100
    sign = "minus " if value < 0 else "plus " if signed and value > 0 else ""
    return f"{sign}{abs(value):,.{digits}f} percent"


def change(share, digits: int = 0) -> str:
    """A change as words: 4.69 → "up 469 percent", -0.12 → "down 12 percent"."""
    value = float(share)
    return ("up " if value >= 0 else "down ") + percent(abs(value), digits)


def number(value, digits: int = 0) -> str:
    return f"{float(value):,.{digits}f}"


def listing(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
