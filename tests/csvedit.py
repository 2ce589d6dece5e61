"""Edit a scratch copy of data/ the way a maintainer (or an attacker) might."""
import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str):
    """A developer tool's module (tools/<name>.py), which is not part of the library."""
    spec = importlib.util.spec_from_file_location(f"tools.{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def row_count(table, directory=ROOT / "data"):
    """Data rows in `table`.csv (header not counted): the row number a duplicate appended at the end gets."""
    return len(read_rows(directory / f"{table}.csv")) - 1


def append_row(directory, table, values: dict):
    """Add a row to `table`.csv, blank in every column `values` does not name."""
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    rows.append([values.get(column, "") for column in rows[0]])
    write_rows(path, rows)


def set_cell(directory, table, row, column, value):
    """Set data row `row` (1-based, header not counted) of `column` in `table`.csv."""
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    rows[row][rows[0].index(column)] = value
    write_rows(path, rows)


def get_cell(directory, table, row, column):
    rows = read_rows(directory / f"{table}.csv")
    return rows[row][rows[0].index(column)]


def find_row(directory, table, **key):
    """1-based data row whose cells equal `key`."""
    rows = read_rows(directory / f"{table}.csv")
    header = rows[0]
    for number, row in enumerate(rows[1:], start=1):
        if all(row[header.index(k)] == v for k, v in key.items()):
            return number
    raise LookupError(f"no row {key} in {table}.csv")


def drop_column(directory, table, column):
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    index = rows[0].index(column)
    write_rows(path, [r[:index] + r[index + 1:] for r in rows])


def add_column(directory, table, column):
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0] + [column]] + [r + ["x"] for r in rows[1:]])


def duplicate_row(directory, table, row):
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    write_rows(path, rows + [rows[row]])


def drop_row(directory, table, row):
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    write_rows(path, rows[:row] + rows[row + 1:])


def drop_rows_citing(directory, table, source_id):
    path = directory / f"{table}.csv"
    rows = read_rows(path)
    column = rows[0].index("source_id")
    write_rows(path, [r for r in rows if r[column] != source_id])


def source_row(source_id):
    """1-based data row of a source in the committed sources.csv."""
    ids = [r[0] for r in read_rows(ROOT / "data" / "sources.csv")[1:]]
    return ids.index(source_id) + 1


def empty_file(directory, table):
    (directory / f"{table}.csv").write_text("", encoding="utf-8")


def replace_bytes(directory, table, old: bytes, new: bytes):
    path = directory / f"{table}.csv"
    content = path.read_bytes()
    assert old in content, (table, old)
    path.write_bytes(content.replace(old, new, 1))
