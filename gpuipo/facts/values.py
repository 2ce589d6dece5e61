"""Values that carry the data rows they were computed from: a `Fact` is a float with its rows, unit and
currency, and arithmetic on Facts merges their rows (so a derived figure cites everything it came from);
`Text` is text computed from the data; `Served` is one such row."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Served:
    """One data row a value was computed from."""
    table: str
    key: tuple          # the row's primary key, as the CSV spells it
    source_id: str
    as_of: str          # YYYY-MM-DD: the day (or the end of the period) the value refers to
    known_from: str     # YYYY-MM-DD: the first day the value was public
    grade: str          # the source's authority grade, A to D (vocabulary.GRADES)
    corroborated_by: str = ""   # a second, independent document giving the same value, if one is named
    second_grade: str = ""      # its grade


def served_by(value) -> frozenset:
    return getattr(value, "served", frozenset())


def _merge(*values) -> frozenset:
    merged = frozenset()
    for value in values:
        merged |= served_by(value)
    return merged


class Fact(float):
    """A number with the rows it was computed from and, while it keeps one, its unit."""

    def __new__(cls, value, served=frozenset(), unit: str | None = None):
        fact = super().__new__(cls, value)
        fact.served = frozenset(served)
        fact.unit = unit
        return fact

    def __repr__(self):
        return f"Fact({float(self)!r}, {self.unit!r}, {len(self.served)} rows)"

    def __reduce__(self):
        return (Fact, (float(self), self.served, self.unit))


def _unit_of(value):
    return value.unit if isinstance(value, Fact) else None


def _additive(a, b):
    ua, ub = _unit_of(a), _unit_of(b)
    if ua is None or ub is None or ua == ub:
        return ua or ub
    return "derived"


def _multiplicative(a, b, dividing: bool):
    ua, ub = _unit_of(a), _unit_of(b)
    if dividing and ua is not None and ua == ub:
        return "ratio"
    if dividing and ua == "percent" and b == 100:
        return "ratio"
    if ub is None or ub == "ratio":
        return ua
    if ua is None or ua == "ratio":
        return None if dividing else ub
    return "derived"


def _operation(name, unit_rule, reflected=False):
    method = getattr(float, name)

    def apply(self, other):
        result = method(self, other)
        if result is NotImplemented:
            return result
        left, right = (other, self) if reflected else (self, other)
        return Fact(result, _merge(self, other), unit_rule(left, right))
    apply.__name__ = name
    return apply


for _name, _rule in (("add", _additive), ("sub", _additive),
                     ("mul", lambda a, b: _multiplicative(a, b, False)),
                     ("truediv", lambda a, b: _multiplicative(a, b, True)),
                     ("pow", lambda a, b: "ratio" if _unit_of(a) == "ratio" else "derived")):
    setattr(Fact, f"__{_name}__", _operation(f"__{_name}__", _rule))
    setattr(Fact, f"__r{_name}__", _operation(f"__r{_name}__", _rule, reflected=True))
for _name in ("__neg__", "__pos__", "__abs__"):
    setattr(Fact, _name, (lambda method: lambda self: Fact(method(self), self.served, self.unit))(getattr(float, _name)))


class Text(str):
    """Text computed from the data (a date written out, say), with the rows it came from."""

    def __new__(cls, value, served=frozenset()):
        text = super().__new__(cls, value)
        text.served = frozenset(served)
        return text

