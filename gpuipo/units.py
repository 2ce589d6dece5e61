"""Scale factors for the units used in data/ and conversions between them."""

# unit -> (kind, scale); only units of one kind convert into each other.
UNITS = {
    "per_share": ("price", 1.0),
    "count": ("count", 1.0),
    "shares": ("shares", 1.0),
    "million_shares": ("shares", 1e6),
    "ten_thousand": ("amount", 1e4),
    "million": ("amount", 1e6),
    "hundred_million": ("amount", 1e8),
    "billion": ("amount", 1e9),
    "trillion": ("amount", 1e12),
}


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Rescale an amount between units of the same kind (e.g. hundred_million -> million)."""
    try:
        (from_kind, from_scale), (to_kind, to_scale) = UNITS[from_unit], UNITS[to_unit]
    except KeyError as missing:
        raise ValueError(f"no scale for unit {missing}; known: {sorted(UNITS)}") from None
    if from_kind != to_kind:
        raise ValueError(f"cannot convert {from_unit} ({from_kind}) to {to_unit} ({to_kind})")
    return float(value) * from_scale / to_scale
