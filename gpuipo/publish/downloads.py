"""CSV files the chapters publish beside the pages: spreadsheet-safe text."""
from __future__ import annotations

import pandas as pd

from gpuipo.contract.vocabulary import FORMULA_PREFIXES
from gpuipo.paths import GENERATED
from gpuipo.publish.markup import NUMBER


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """OWASP's CSV-injection defence for a published CSV: a text cell that a spreadsheet would read
    as a formula (it begins with =, +, -, @, a tab or a carriage return) gets a leading apostrophe."""
    def neutral(value):
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(value):
            return "'" + value
        return value
    return frame.map(neutral)


def csv_text(frame: pd.DataFrame) -> str:
    """A published CSV: spreadsheet-safe, Unix line ends."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\n")


def publish_csv(name: str, frame: pd.DataFrame) -> None:
    """Write a generated download to _build/generated/ (spreadsheet-safe), where its page links it."""
    path = GENERATED / name
    text_ = csv_text(frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text_:
        path.write_text(text_, encoding="utf-8")
