"""Transcribe the verified 2026 daily price extracts into data/stock_daily.csv and data/index_daily.csv.

The extracts (../shared/facts/prices_2026/, with their README and verify.py) copy rows of the research
dataset GZ-November/urop-hk-ipo verbatim. This script only reshapes them: it keeps every price string as
written, drops the stored daily returns (the report computes returns), drops the indices' "volume" (an
HK$ amount, not a share count), and marks Iluvatar CoreX's rows before 2026-09-15 as split-adjusted (the
source divides those prices by 3; volume and turnover are as traded). Run once per new extract:

    .venv/bin/python tools/import_prices_2026.py ../shared/facts/prices_2026
"""
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STOCKS = {"biren_6082_daily.csv": "biren", "zhipu_2513_daily.csv": "zhipu",
          "iluvatar_9903_daily.csv": "iluvatar", "minimax_0100_daily.csv": "minimax"}
INDICES = {"hsi_daily_2026.csv": "HSI", "hstech_daily_2026.csv": "HSTECH"}
ILUVATAR_TRADED_FROM, ILUVATAR_FACTOR = "2026-09-15", "3"
ADJUSTED_NOTE = ("Prices split-adjusted by the source (traded price = 3 × stored; inferred from turnover ÷ volume, "
                 "no HKEX notice found); volume and turnover as traded.")
STOCK_SOURCE, INDEX_SOURCE = "urop-daily-panel", "urop-index-bars"
STOCK_COLUMNS = ["company_id", "date", "open", "high", "low", "close", "currency", "price_basis", "to_traded", "volume",
                 "turnover", "source_id", "known_from", "reliability", "corroborated_by", "note"]
INDEX_COLUMNS = ["index_id", "date", "open", "high", "low", "close", "turnover", "source_id", "known_from",
                 "reliability", "corroborated_by", "note"]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def stock_rows(folder: Path) -> list[dict]:
    rows = []
    for name, company in STOCKS.items():
        for r in read(folder / name):
            adjusted = company == "iluvatar" and r["trade_date"] < ILUVATAR_TRADED_FROM
            rows.append({"company_id": company, "date": r["trade_date"], "open": r["open"], "high": r["high"],
                         "low": r["low"], "close": r["close"], "currency": "HKD",
                         "price_basis": "adjusted" if adjusted else "traded",
                         "to_traded": ILUVATAR_FACTOR if adjusted else "1", "volume": r["volume"],
                         "turnover": r["turnover"], "source_id": STOCK_SOURCE, "known_from": r["trade_date"],
                         "reliability": "single-source", "corroborated_by": "",
                         "note": ADJUSTED_NOTE if adjusted else ""})
    return rows


def index_rows(folder: Path) -> list[dict]:
    return [{"index_id": index, "date": r["date"], "open": r["open"], "high": r["high"], "low": r["low"],
             "close": r["close"], "turnover": r["turnover"], "source_id": INDEX_SOURCE, "known_from": r["date"],
             "reliability": "single-source", "corroborated_by": "", "note": ""}
            for name, index in INDICES.items() for r in read(folder / name)]


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "facts" / "prices_2026")
    write(ROOT / "data" / "stock_daily.csv", STOCK_COLUMNS, stock_rows(folder))
    write(ROOT / "data" / "index_daily.csv", INDEX_COLUMNS, index_rows(folder))
    print("wrote data/stock_daily.csv and data/index_daily.csv")
