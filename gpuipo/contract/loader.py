"""Load the report's data package: validate every table, then return typed pandas DataFrames.

The validation (validation.py) is the same one `make check-data` runs, and the frames are built from
the values it parsed, so nothing it passes can fail later and nothing is coerced. A problem raises
DataValidationError naming the file, the row and the column.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from gpuipo.contract.validation import DataValidationError, Package, Problem, read_package  # noqa: F401 (re-exported)
from gpuipo import reads
from gpuipo.paths import DATA_DIR

PANDAS_DTYPES = {"string": "string", "number": "float64", "integer": "Int64", "date": "datetime64[s]"}


def _fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        digest.update(path.name.encode())
        digest.update(b"link" if path.is_symlink() else path.read_bytes() if path.is_file() else b"other")
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _package(directory: str, fingerprint: str) -> Package:
    return read_package(directory)


def package(data_dir: Path | str = DATA_DIR) -> Package:
    """The validated package; read again whenever a file in the directory changes."""
    directory = Path(data_dir).absolute()
    return _package(str(directory), _fingerprint(directory))


def validate(data_dir: Path | str = DATA_DIR) -> dict:
    """Validate the whole package; return its descriptor or raise DataValidationError."""
    return package(data_dir).descriptor


def schema_of(name: str, data_dir: Path | str = DATA_DIR) -> dict:
    for resource in validate(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no table named {name!r} in the data package")


def load(name: str, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Return one validated table with the dtypes its schema declares (and note that the page being
    built read it: gpuipo.reads)."""
    table = package(data_dir).tables[name]
    reads.table(name, data_dir, table.digest)
    columns = {}
    for spec in table.fields:
        values = [row[spec["name"]] for row in table.values]
        kind = spec["type"]
        if kind == "date":
            columns[spec["name"]] = pd.Series(pd.to_datetime(values), dtype=PANDAS_DTYPES[kind])
        else:
            columns[spec["name"]] = pd.Series(values, dtype=PANDAS_DTYPES[kind] if values else None)
    frame = pd.DataFrame(columns)
    frame.attrs["source_file"] = f"{name}.csv"
    return frame


def table_names(data_dir: Path | str = DATA_DIR) -> list[str]:
    return [r["name"] for r in validate(data_dir)["resources"]]

