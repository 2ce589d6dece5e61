"""Conversions between the units of data/ (their kinds and scales are in vocabulary.UNITS)."""
from gpuipo.contract.vocabulary import UNITS


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Rescale an amount between units of the same kind (e.g. hundred_million -> million)."""
    try:
        (from_kind, from_scale), (to_kind, to_scale) = UNITS[from_unit], UNITS[to_unit]
    except KeyError as missing:
        raise ValueError(f"no scale for unit {missing}; known: {sorted(UNITS)}") from None
    if from_kind != to_kind:
        raise ValueError(f"cannot convert {from_unit} ({from_kind}) to {to_unit} ({to_kind})")
    if from_scale is None or to_scale is None:
        if from_unit != to_unit:
            raise ValueError(f"{from_unit} does not rescale into {to_unit}")
        return float(value)
    return float(value) * from_scale / to_scale
