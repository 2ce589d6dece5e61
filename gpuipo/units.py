"""Scale factors for the units used in data/ and conversions between them."""

SCALE = {
    "per_share": 1.0,
    "shares": 1.0,
    "count": 1.0,
    "million": 1e6,
    "million_shares": 1e6,
    "hundred_million": 1e8,
    "billion": 1e9,
    "trillion": 1e12,
    "ten_thousand": 1e4,
}

LABEL = {
    "million": "m",
    "hundred_million": "亿 (100 m)",
    "billion": "bn",
}


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Rescale an amount between units of the same kind (e.g. hundred_million -> million)."""
    try:
        return float(value) * SCALE[from_unit] / SCALE[to_unit]
    except KeyError as missing:
        raise ValueError(f"no scale for unit {missing}; known: {sorted(SCALE)}") from None
