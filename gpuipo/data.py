"""Load the report's data package: validate every table, then return typed pandas DataFrames.

Validation runs the Frictionless Table Schemas in data/datapackage.json (types, required cells,
enums, minimums, primary and foreign keys, header) and then the cross-cell rules in rules.py. Any
problem raises DataValidationError naming the file, the row and the column; nothing is coerced.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import rules

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
PANDAS_DTYPES = {"string": "string", "number": "float64", "integer": "Int64", "date": "datetime64[s]"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is not counted); None for whole-file problems
    column: str | None
    message: str

    def __str__(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataValidationError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"data validation failed with {len(self.problems)} problem(s):\n{lines}")


def _descriptor(data_dir: Path) -> dict:
    return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))


def _frictionless_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    from frictionless import Package

    report = Package(str(data_dir / "datapackage.json")).validate()
    resources = {r["name"]: r for r in descriptor["resources"]}
    problems = []
    for task in report.tasks:
        resource = resources.get(task.name, {})
        path = f"{data_dir.name}/{resource.get('path', task.name)}"
        schema = resource.get("schema", {})
        for error in task.errors:
            d = error.to_descriptor()
            row_number = d.get("rowNumber")
            row = row_number - 1 if row_number else None
            kind = d["type"]
            if kind == "source-error":
                expected = ",".join(fld["name"] for fld in schema.get("fields", []))
                problems.append(Problem(path, None, expected, f"cannot read the file ({d.get('note')}); "
                                                               "expected a header row with these columns"))
            elif kind in ("extra-label", "missing-label", "incorrect-label", "blank-label", "duplicate-label"):
                column = d.get("label") or d.get("fieldName")
                problems.append(Problem(path, None, column, f"{error.title.lower()}: {d['message']}"))
            elif kind == "primary-key":
                problems.append(Problem(path, row, "+".join(schema.get("primaryKey", [])),
                                        f"duplicate primary key: {d['note']}"))
            elif kind == "foreign-key":
                problems.append(Problem(path, row, "+".join(d.get("fieldNames", [])),
                                        f"unknown reference: {d['note']}"))
            elif kind in ("type-error", "constraint-error"):
                problems.append(Problem(path, row, d.get("fieldName"),
                                        f"{kind} for the cell {d.get('cell')!r}: {d['note']}"))
            else:
                problems.append(Problem(path, row, d.get("fieldName") or d.get("label"),
                                        f"{kind}: {d['message']}"))
    return problems


def _read_raw(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rule_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    problems = []
    used_sources = set()
    source_ids = []
    all_readable = True
    for resource in descriptor["resources"]:
        path = data_dir / resource["path"]
        name = f"{data_dir.name}/{resource['path']}"
        try:
            rows = _read_raw(path)
        except OSError:
            all_readable = False
            continue  # reported by the schema check
        if not rows:
            all_readable = False
            if path.stat().st_size:  # an empty file is reported by the schema check
                problems.append(Problem(name, None, None, "the table has a header but no data rows"))
        for rule in rules.RULES.get(resource["name"], []):
            for index, column, message in rule(rows):
                problems.append(Problem(name, index + 1, column, message))
        if resource["name"] == "sources":
            source_ids = [(i, row.get("source_id")) for i, row in enumerate(rows)]
        else:
            for row in rows:
                used_sources.update(v for k, v in row.items() if k and k.endswith("source_id") and v)
    # Usage is only meaningful when every table could be read.
    for index, source_id in source_ids if all_readable else []:
        if source_id not in used_sources:
            problems.append(Problem(f"{data_dir.name}/sources.csv", index + 1, "source_id",
                                    f"source '{source_id}' is not used by any table; remove it or cite it"))
    return problems


def _fingerprint(data_dir: Path) -> str:
    """Hash of every file in the data directory and of the code that validates it."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*")) + [Path(__file__), Path(rules.__file__)]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp(data_dir: Path, fingerprint: str) -> Path:
    # Validating takes seconds (mostly importing jsonschema), and every notebook loads the data;
    # a stamp records that exactly these bytes passed these rules, so later loads skip the work.
    return data_dir.parent / "_build" / ".validated" / fingerprint


@lru_cache(maxsize=8)
def _validated(data_dir: str, fingerprint: str, trust_stamp: bool = True) -> dict:
    directory = Path(data_dir)
    descriptor = _descriptor(directory)
    stamp = _stamp(directory, fingerprint)
    if trust_stamp and stamp.exists():
        return descriptor
    problems = _frictionless_problems(directory, descriptor) + _rule_problems(directory, descriptor)
    if problems:
        raise DataValidationError(problems)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass  # a read-only checkout just validates every time
    return descriptor


def validate(data_dir: Path | str = DATA_DIR, trust_stamp: bool = True) -> dict:
    """Validate the whole package; return its descriptor or raise DataValidationError.

    With trust_stamp, a package whose exact bytes already passed is not validated again."""
    directory = Path(data_dir).resolve()
    return _validated(str(directory), _fingerprint(directory), trust_stamp)


def schema_of(name: str, data_dir: Path | str = DATA_DIR) -> dict:
    for resource in validate(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no table named {name!r} in {data_dir}/datapackage.json")


def load(name: str, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Return one validated table with the dtypes its schema declares."""
    resource = schema_of(name, data_dir)
    path = Path(data_dir).resolve() / resource["path"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for field in resource["schema"]["fields"]:
        column = frame[field["name"]].replace("", None)
        kind = field["type"]
        if kind == "date":
            frame[field["name"]] = pd.to_datetime(column, format="%Y-%m-%d").astype(PANDAS_DTYPES[kind])
        elif kind in ("number", "integer"):
            frame[field["name"]] = pd.to_numeric(column).astype(PANDAS_DTYPES[kind])
        else:
            frame[field["name"]] = column.astype(PANDAS_DTYPES[kind])
    frame.attrs["source_file"] = resource["path"]
    return frame


def table_names(data_dir: Path | str = DATA_DIR) -> list[str]:
    return [r["name"] for r in validate(data_dir)["resources"]]
