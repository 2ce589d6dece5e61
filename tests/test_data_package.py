"""The data package validates, and every kind of bad edit is stopped with file, row and column named."""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from gpuipo.contract import loader as data
from gpuipo.contract.loader import DataValidationError

from .csvedit import add_column, drop_column, drop_rows_citing, duplicate_row, empty_file, row_count, set_cell, source_row

pytestmark = [pytest.mark.data]

ROOT = Path(__file__).resolve().parents[1]


# name -> (corruption, file, column, row named in the error or None)
CORRUPTIONS = {
    "missing column": (lambda d: drop_column(d, "financials", "currency"), "financials.csv", "currency", None),
    "thousands separator": (lambda d: set_cell(d, "financials", 2, "value", "1,234"), "financials.csv", "value", 2),
    "n/a in a number": (lambda d: set_cell(d, "offering_terms", 3, "value", "n/a"), "offering_terms.csv", "value", 3),
    "percent sign in a number": (lambda d: set_cell(d, "index_changes", 1, "change", "17.7%"), "index_changes.csv", "change", 1),
    "negative share price": (lambda d: set_cell(d, "market_observations", 4, "value", "-54.56"), "market_observations.csv", "value", 4),
    "negative revenue": (lambda d: set_cell(d, "financials", 3, "value", "-336.8"), "financials.csv", "value", 3),
    "unknown unit": (lambda d: set_cell(d, "financials", 1, "unit", "lakh"), "financials.csv", "unit", 1),
    "unknown currency": (lambda d: set_cell(d, "financials", 1, "currency", "RMB"), "financials.csv", "currency", 1),
    "currency on a share count": (lambda d: set_cell(d, "offering_terms", 4, "currency", "HKD"), "offering_terms.csv", "currency", 4),
    "amount without currency": (lambda d: set_cell(d, "financials", 1, "currency", ""), "financials.csv", "currency", 1),
    "unknown source_id": (lambda d: set_cell(d, "index_levels", 2, "source_id", "no-such-source"), "index_levels.csv", "source_id", 2),
    "blank required field": (lambda d: set_cell(d, "companies", 3, "name_zh", ""), "companies.csv", "name_zh", 3),
    "duplicate primary key": (lambda d: duplicate_row(d, "index_levels", 1), "index_levels.csv", "index_id+date", row_count("index_levels") + 1),
    "impossible date": (lambda d: set_cell(d, "offering_dates", 2, "date", "2025-02-30"), "offering_dates.csv", "date", 2),
    "empty file": (lambda d: empty_file(d, "southbound_flows"), "southbound_flows.csv",
                   "as_of,measure,value,unit,currency,qualifier,source_id,known_from,reliability,corroborated_by,note", None),
    "stray extra column": (lambda d: add_column(d, "fx_rates", "comment"), "fx_rates.csv", "comment", None),
    "unused source": (lambda d: drop_rows_citing(d, "biren_milestones", "tomshardware-br100"),
                      "sources.csv", "source_id", source_row("tomshardware-br100")),
}


def expected_fragments(file, column, row):
    fragments = [f"data/{file}", f"column '{column}'"]
    if row is not None:
        fragments.append(f"row {row} ")
    return fragments


def test_package_validates_with_the_loader():
    descriptor = data.validate()
    assert len(descriptor["resources"]) >= 15


def test_frictionless_cli_validates_the_package_offline():
    cli = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(cli), "validate", "data/datapackage.json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_source_id_resolves_and_every_source_is_used():
    sources = set(data.load("sources")["source_id"])
    used = set()
    for name in data.table_names():
        frame = data.load(name)
        for column in frame.columns:
            if column.endswith("source_id") and name != "sources":
                used.update(frame[column].dropna())
    assert used <= sources
    assert sources <= used


def test_every_value_row_has_unit_source_and_date():
    for name in data.table_names():
        frame = data.load(name)
        fields = data.schema_of(name)["schema"]["fields"]
        if "value" in frame.columns and "unit" in frame.columns:
            assert frame["unit"].notna().all(), name
        if name != "sources":
            assert frame["source_id"].notna().all(), name
        # claims.csv holds the article's own figures, dated by the article itself (its source).
        if name != "claims" and any(f["type"] in ("number", "integer") for f in fields):
            # an as-of date, or the reporting period / benchmark round the figure belongs to
            dated = [f["name"] for f in fields if f["type"] == "date" and f.get("constraints", {}).get("required")]
            dated += [c for c in ("period", "round") if c in frame.columns]
            assert dated, f"{name} has numbers but no required date or period column"


def test_loader_returns_declared_dtypes():
    expected = {"string": "string", "number": "float64", "integer": "Int64"}
    for name in data.table_names():
        frame = data.load(name)
        fields = data.schema_of(name)["schema"]["fields"]
        assert list(frame.columns) == [f["name"] for f in fields]
        for field in fields:
            dtype = frame[field["name"]].dtype
            if field["type"] == "date":
                assert pd.api.types.is_datetime64_dtype(dtype), (name, field["name"], dtype)
            else:
                assert str(dtype) == expected[field["type"]], (name, field["name"], dtype)


def test_loader_keeps_values_exact():
    terms = data.load("offering_terms").set_index(["offering_id", "term"])["value"]
    assert terms[("biren-hk-ipo", "base_shares")] == 247_692_800
    levels = data.load("index_levels").set_index(["index_id", "date"])["close"]
    assert levels[("HSI", pd.Timestamp("2024-12-31"))] == 20059.95


@pytest.fixture(scope="module")
def corrupted_copies(tmp_path_factory):
    """Every corruption applied to its own copy of data/; make check-data started on all at once."""
    copies = {}
    for name, (corrupt, *_rest) in CORRUPTIONS.items():
        directory = tmp_path_factory.mktemp("corrupt") / "data"
        shutil.copytree(ROOT / "data", directory)
        corrupt(directory)
        copies[name] = directory
    processes = {name: subprocess.Popen(["make", "-s", "check-data", f"DATA_DIR={directory}"], cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for name, directory in copies.items()}
    results = {}
    for name, process in processes.items():
        output, _ = process.communicate(timeout=300)
        results[name] = (process.returncode, output)
    return copies, results


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_loader_rejects_corruption(name, corrupted_copies):
    copies, _ = corrupted_copies
    _corrupt, file, column, row = CORRUPTIONS[name]
    with pytest.raises(DataValidationError) as caught:
        data.load("companies", copies[name])
    message = str(caught.value)
    for fragment in expected_fragments(file, column, row):
        assert fragment in message, f"{fragment!r} missing from:\n{message}"


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_make_check_data_rejects_corruption(name, corrupted_copies):
    _, results = corrupted_copies
    returncode, output = results[name]
    _corrupt, file, column, row = CORRUPTIONS[name]
    assert returncode != 0, output
    for fragment in expected_fragments(file, column, row):
        assert fragment in output, f"{fragment!r} missing from:\n{output}"
