"""The package's files (stages 1 and 2 of the validation): datapackage.json exactly as generated, data/
holding only the listed regular files, each CSV read as UTF-8 with strict syntax and its header checked."""
from __future__ import annotations

import hashlib

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from gpuipo.contract import schema
from gpuipo.contract.cells import parse_cell
from gpuipo.contract.problems import Problem

DESCRIPTOR = "datapackage.json"


@dataclass
class Table:
    """One CSV, parsed: raw cell text (what the rules read) and typed values (what the loader returns)."""
    name: str
    file: str                     # as printed in messages, e.g. "data/financials.csv"
    fields: list[dict]
    raw: list[dict[str, str]] = field(default_factory=list)
    values: list[dict[str, object]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # first line of each row
    digest: str = ""              # SHA-256 of the bytes parsed: what a page that loads the table has read


def package_problems(directory: Path, descriptor: dict) -> list[Problem]:
    name = directory.name
    if not directory.is_dir():
        return [Problem(str(directory), None, None, "no such data directory")]
    listed = {DESCRIPTOR} | {r["path"] for r in descriptor["resources"]}
    problems = []
    for entry in sorted(directory.iterdir()):
        if entry.is_symlink():
            problems.append(Problem(f"{name}/{entry.name}", None, None,
                                    "is a symbolic link; data files must be regular files inside data/ "
                                    "(a link could pull any file on the machine into the build)"))
        elif entry.name not in listed:
            problems.append(Problem(f"{name}/{entry.name}", None, None,
                                    "is not part of the data package: describe it in gpuipo/contract/schema.py "
                                    "(then run python tools/write_datapackage.py) or remove it"))
        elif not entry.is_file():
            problems.append(Problem(f"{name}/{entry.name}", None, None, "is not a regular file"))
        elif entry.stat().st_nlink > 1:
            problems.append(Problem(f"{name}/{entry.name}", None, None,
                                    f"has {entry.stat().st_nlink} hard links; data files must be files of their own "
                                    "(a hard link could pull any file on the machine into the build): copy it instead"))
    for path in sorted(listed):
        if not (directory / path).exists() and not (directory / path).is_symlink():
            problems.append(Problem(f"{name}/{path}", None, None, "is missing" + (
                ": run python tools/write_datapackage.py" if path == DESCRIPTOR else "")))
    descriptor_file = directory / DESCRIPTOR
    if descriptor_file.is_file() and not descriptor_file.is_symlink():
        problems += _descriptor_problems(f"{name}/{DESCRIPTOR}", descriptor_file.read_bytes(), descriptor)
    return problems


def _descriptor_problems(file: str, content: bytes, descriptor: dict) -> list[Problem]:
    regenerate = "run python tools/write_datapackage.py (schemas are edited in gpuipo/contract/schema.py)"
    try:
        text = content.decode("utf-8")
        json.loads(text)
    except UnicodeDecodeError as error:
        return [Problem(file, None, None, f"is not UTF-8 (byte {error.start}); {regenerate}")]
    except json.JSONDecodeError as error:
        return [Problem(file, None, None, f"is not valid JSON ({error.msg}); {regenerate}", line=error.lineno)]
    expected = schema.text(descriptor)
    if text == expected:
        return []
    for number, (got, want) in enumerate(zip(text.splitlines(), expected.splitlines()), start=1):
        if got != want:
            return [Problem(file, None, None, f"differs from the generated schema (expected {want.strip()!r}, "
                                              f"found {got.strip()!r}); {regenerate}", line=number)]
    return [Problem(file, None, None, f"differs from the generated schema in length; {regenerate}")]


def read_table(directory: Path, resource: dict) -> tuple[Table, list[Problem]]:
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    file = f"{directory.name}/{resource['path']}"
    table = Table(resource["name"], file, fields)
    content = (directory / resource["path"]).read_bytes()
    table.digest = hashlib.sha256(content).hexdigest()
    if not content:
        return table, [Problem(file, None, ",".join(names),
                               "the file is empty; expected a header row with these columns")]
    if content.startswith(b"\xef\xbb\xbf"):
        return table, [Problem(file, None, None, "starts with a byte-order mark; save it as UTF-8 without BOM", line=1)]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        return table, [_encoding_problem(file, names, content, error)]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = []
        start = 1
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        opened = unclosed_quote(text)
        if opened:
            line, cell = opened
            return table, [Problem(file, len(records) or None, names[cell] if 0 < len(records) and cell < len(names) else None,
                                   "a quoted cell opens here and is never closed: add the closing quote "
                                   '(a quote inside a cell is written twice, "")', line=line)]
        return table, [Problem(file, None, None, f"is not valid CSV: {error}", line=reader.line_num)]
    header = records[0][1]
    problems = _header_problems(file, names, header)
    if problems:
        return table, problems
    if len(records) == 1:
        return table, [Problem(file, None, None, "the table has a header but no data rows")]
    for row_number, (line, record) in enumerate(records[1:], start=1):
        if not record:
            problems.append(Problem(file, row_number, None, "blank line", line=line))
            continue
        if len(record) != len(names):
            problems.append(Problem(file, row_number, None,
                                    f"has {len(record)} cells; the header has {len(names)}", line=line))
            continue
        raw, values = dict(zip(names, record)), {}
        for spec in fields:
            value, message = parse_cell(spec, raw[spec["name"]])
            if message:
                problems.append(Problem(file, row_number, spec["name"], message, line=line))
            values[spec["name"]] = value
        table.raw.append(raw)
        table.values.append(values)
        table.lines.append(line)
    return table, problems


def unclosed_quote(text: str) -> tuple[int, int] | None:
    """(line, cell index) where a quoted cell opens that never closes, or None. The csv module only
    notices at the end of the file, which names the wrong row."""
    line, cell, at_start, quoted, opened = 1, 0, True, False, None
    index = 0
    while index < len(text):
        character = text[index]
        if quoted:
            if character == '"':
                if text[index + 1:index + 2] == '"':
                    index += 1
                else:
                    quoted = False
            elif character == "\n":
                line += 1
        elif character == '"' and at_start:
            quoted, opened = True, (line, cell)
        elif character == ",":
            cell, at_start = cell + 1, True
            index += 1
            continue
        elif character == "\n":
            line, cell, at_start = line + 1, 0, True
            index += 1
            continue
        at_start = False
        index += 1
    return opened if quoted else None


def _encoding_problem(file, names, content: bytes, error: UnicodeDecodeError) -> Problem:
    line_start = content.rfind(b"\n", 0, error.start) + 1
    line = content.count(b"\n", 0, error.start) + 1
    prefix = content[line_start:error.start].decode("utf-8", errors="replace")
    cells = next(csv.reader([prefix]), [""])
    column = names[len(cells) - 1] if line > 1 and 0 < len(cells) <= len(names) else None
    return Problem(file, line - 1 if line > 1 else None, column,
                   f"byte 0x{content[error.start]:02x} is not UTF-8; save the file as UTF-8", line=line)


def _header_problems(file, names, header) -> list[Problem]:
    if header == names:
        return []
    problems = [Problem(file, None, column, "missing column") for column in names if column not in header]
    problems += [Problem(file, None, column or "(blank)", "unexpected column") for column in header if column not in names]
    problems += [Problem(file, None, column, "duplicated column") for column in dict.fromkeys(header)
                 if header.count(column) > 1]
    if not problems:
        problems.append(Problem(file, None, ",".join(names), "columns are out of order; expected these"))
    return problems
