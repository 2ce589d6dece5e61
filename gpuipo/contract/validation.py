"""The one validation path of the data package: `make check-data` and the loader both run `read_package`.

Every cell is parsed here, strictly, with the parser the loader then uses, so nothing the check passes
can fail later and nothing is coerced. Stages, each reported in full before the next would be misled
by its errors:
1. the package: datapackage.json is exactly what gpuipo/contract/schema.py generates; data/ holds only the
   listed files, as regular files (no symbolic links);
2. the files and cells: UTF-8, CSV syntax, the header, each cell's type and constraints;
3. primary and foreign keys;
4. the cross-cell rules (rules.py), the facts the chapters need (required_facts.json), unused sources.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gpuipo.contract import printable
from gpuipo.contract import rules
from gpuipo.contract import schema
from gpuipo.contract.vocabulary import DATA_HORIZON, FORMULA_PREFIXES, SCHEDULE_HORIZON

DESCRIPTOR = "datapackage.json"
REQUIRED_FACTS = Path(__file__).with_name("required_facts.json")

NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Control, format (zero-width, bidirectional overrides), line/paragraph separators, private-use,
# surrogate and unassigned code points: invisible in an editor, and some change how text renders.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is not counted); None for whole-file problems
    column: str | None
    message: str
    line: int | None = None  # 1-based line of the file, when it differs from row + 1

    def __str__(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line or self.row + 1})")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


SHOWN_PER_RULE = 5   # problems listed for each file and rule; the rest are counted


def rule_of(problem: Problem) -> str:
    """A problem's rule: its message with the values it quotes left out ("'x' is not a number" and
    "'y' is not a number" break one rule)."""
    return re.sub(r"-?[0-9][0-9.,]*", "N", re.sub(r"'[^']*'", "'…'", problem.message))


class DataValidationError(ValueError):
    """Every problem found (in .problems); its message lists the first few of each file and rule, and
    counts the rest, so that a file of a hundred thousand bad rows reads in a screen."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown, counts = [], {}
        for problem in self.problems:
            group = (problem.file, problem.column, rule_of(problem))
            counts[group] = counts.get(group, 0) + 1
            if counts[group] <= SHOWN_PER_RULE:
                shown.append(f"  - {problem}")
        more = [f"  - {file}" + (f", column '{column}'" if column else "") +
                f": {count - SHOWN_PER_RULE} more like those above ({count} in all): {rule}"
                for (file, column, rule), count in counts.items() if count > SHOWN_PER_RULE]
        super().__init__(f"data validation failed with {len(self.problems)} problem(s):\n" + "\n".join(shown + more))


@dataclass
class Table:
    """One CSV, parsed: raw cell text (what the rules read) and typed values (what the loader returns)."""
    name: str
    file: str                     # as printed in messages, e.g. "data/financials.csv"
    fields: list[dict]
    raw: list[dict[str, str]] = field(default_factory=list)
    values: list[dict[str, object]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # first line of each row


@dataclass
class Package:
    descriptor: dict
    tables: dict[str, Table]
    notes: list[str] = field(default_factory=list)   # checks that could not run here, and why


def read_package(data_dir: Path | str) -> Package:
    """Read and validate the whole package; raise DataValidationError listing every problem found."""
    directory = Path(data_dir)
    descriptor = schema.descriptor()
    problems = _package_problems(directory, descriptor)
    if problems:
        raise DataValidationError(problems)
    tables, problems = {}, []
    for resource in descriptor["resources"]:
        table, found = _read_table(directory, resource)
        tables[resource["name"]] = table
        problems += found
    if problems:
        raise DataValidationError(problems)
    problems = _key_problems(descriptor, tables)
    if problems:
        raise DataValidationError(problems)
    glyphs, notes = _glyph_problems(tables)
    problems = _rule_problems(tables) + _required_fact_problems(tables) + _unused_source_problems(tables) + glyphs
    if problems:
        raise DataValidationError(problems)
    return Package(descriptor, tables, notes)


# --- stage 1: the package ------------------------------------------------------------------------

def _package_problems(directory: Path, descriptor: dict) -> list[Problem]:
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


# --- stage 2: files and cells ----------------------------------------------------------------------

def _read_table(directory: Path, resource: dict) -> tuple[Table, list[Problem]]:
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    file = f"{directory.name}/{resource['path']}"
    table = Table(resource["name"], file, fields)
    content = (directory / resource["path"]).read_bytes()
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


def parse_cell(spec: dict, cell: str) -> tuple[object, str | None]:
    """(typed value, problem): the value is None for an empty cell or when there is a problem."""
    problem = _text_problem(cell)
    if problem:
        return None, problem
    constraints = spec.get("constraints", {})
    if cell == "":
        return None, "a required cell is empty" if constraints.get("required") else None
    kind = spec["type"]
    if kind == "string":
        # An address is printed with breaks allowed anywhere (xurl); other text breaks only at spaces.
        value, problem = cell, _formula_problem(cell) or (None if spec.get("format") == "uri" else printable.too_long(cell))
    elif kind == "number":
        value, problem = _number(cell)
    elif kind == "integer":
        value, problem = (int(cell), None) if INTEGER.fullmatch(cell) else (None, _not_a_number(cell, "a whole number"))
    elif kind == "date":
        value, problem = _date(cell, SCHEDULE_HORIZON if spec.get("scheduled") else DATA_HORIZON)
    else:
        raise ValueError(f"unknown field type {kind!r} in gpuipo/contract/schema.py")
    if problem:
        return None, problem
    return value, _constraint_problem(constraints, cell, value)


def _text_problem(cell: str) -> str | None:
    if cell and not cell.strip():
        return "the cell is only whitespace"
    if cell != cell.strip():
        return "leading or trailing whitespace (including non-breaking spaces) in the cell"
    for character in cell:
        if character in "\r\n":
            return "contains a line break; keep each cell on one line"
        if unicodedata.category(character) in INVISIBLE:
            name = unicodedata.name(character, "control character")
            return f"contains U+{ord(character):04X} ({name}), which is invisible or a control character"
    return None


def _formula_problem(cell: str) -> str | None:
    if cell.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(cell):
        return (f"text begins with {cell[0]!r}, which a spreadsheet opening the CSV would run as a formula; "
                "reword it")
    return None


def _number(cell: str) -> tuple[float | None, str | None]:
    if not NUMBER.fullmatch(cell):
        return None, _not_a_number(cell, "a number")
    value = float(cell)
    if not math.isfinite(value):
        return None, f"{cell!r} is too large to be a finite number"
    return value, None


def _not_a_number(cell: str, what: str) -> str:
    if any(c.isdigit() and not "0" <= c <= "9" for c in cell):
        reason = "it uses digits other than ASCII 0-9"
    elif cell.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        reason = "it is not a finite number"
    elif "," in cell:
        reason = "no thousands separators"
    elif "_" in cell:
        reason = "no digit separators"
    elif "%" in cell:
        reason = "no percent sign: the unit column says percent"
    elif re.fullmatch(r"[+-]?0[0-9].*", cell):
        reason = "no leading zeros"
    else:
        reason = "write plain digits with an optional minus sign, decimal point and exponent"
    return f"{cell!r} is not {what}: {reason}"


def _date(cell: str, latest: date = DATA_HORIZON) -> tuple[date | None, str | None]:
    if not DATE.fullmatch(cell):
        return None, f"{cell!r} is not a date: write YYYY-MM-DD"
    try:
        value = date.fromisoformat(cell)
    except ValueError:
        return None, f"{cell!r} is not a real date"
    if value > latest:
        what = "the latest date a schedule may name" if latest != DATA_HORIZON else "the data horizon"
        return None, f"{cell} is after {what} {latest} (gpuipo/contract/vocabulary.py)"
    return value, None


def _constraint_problem(constraints: dict, cell: str, value) -> str | None:
    if "enum" in constraints and cell not in constraints["enum"]:
        return f"{cell!r} is not one of: {', '.join(constraints['enum'])}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], cell):
        return f"{cell!r} does not match the pattern {constraints['pattern']}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"{cell} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"{cell} is above the maximum {constraints['maximum']}"
    return None


# --- stage 3: keys -------------------------------------------------------------------------------

def _key_problems(descriptor: dict, tables: dict[str, Table]) -> list[Problem]:
    problems = []
    for resource in descriptor["resources"]:
        table = tables[resource["name"]]
        key = resource["schema"]["primaryKey"]
        seen = {}
        for index, raw in enumerate(table.raw, start=1):
            value = tuple(raw[k] for k in key)
            if value in seen:
                problems.append(Problem(table.file, index, "+".join(key),
                                        f"duplicate primary key {value} (also row {seen[value]})", line=table.lines[index - 1]))
            seen.setdefault(value, index)
        for foreign in resource["schema"].get("foreignKeys", []):
            target = tables[foreign["reference"]["resource"]]
            known = {tuple(raw[k] for k in foreign["reference"]["fields"]) for raw in target.raw}
            for index, raw in enumerate(table.raw, start=1):
                value = tuple(raw[k] for k in foreign["fields"])
                if all(value) and value not in known:
                    problems.append(Problem(table.file, index, "+".join(foreign["fields"]),
                                            f"unknown reference {'/'.join(value)!r}: not a key of {target.file}",
                                            line=table.lines[index - 1]))
    return problems


# --- stage 4: rules, required facts, unused sources ----------------------------------------------

def _rule_problems(tables: dict[str, Table]) -> list[Problem]:
    problems = []
    for name, table_rules in rules.ROW_RULES.items():
        table = tables[name]
        for rule in table_rules:
            for index, column, message in rule(table.raw):
                problems.append(Problem(table.file, index + 1, column, message, line=table.lines[index]))
    raw = {name: table.raw for name, table in tables.items()}
    for rule in rules.PACKAGE_RULES:
        for name, index, column, message in rule(raw):
            table = tables[name]
            problems.append(Problem(table.file, index + 1, column, message, line=table.lines[index]))
    return problems


def _glyph_problems(tables: dict[str, Table]) -> tuple[list[Problem], list[str]]:
    """Every text cell with a character the PDF's fonts cannot draw (gpuipo.contract.printable). Where those fonts
    are not installed (a machine that builds only the site) nothing can be checked, and a note says so."""
    latin, chinese, fonts = printable.coverage()
    if latin is None:
        return [], [f"characters not checked against the PDF's fonts ({fonts}); `make pdf` needs them"]
    texts = {name: [spec["name"] for spec in table.fields if spec["type"] == "string" and spec.get("format") != "uri"]
             for name, table in tables.items()}
    characters = set().union(*(raw[column] for name, table in tables.items() for raw in table.raw for column in texts[name]))
    bad = set(printable.undrawable("".join(characters), latin, chinese))
    if not bad:
        return [], []
    problems = []
    for name, table in tables.items():
        for index, raw in enumerate(table.raw):
            for column in texts[name]:
                for character in [c for c in raw[column] if c in bad][:1]:
                    problems.append(Problem(table.file, index + 1, column,
                                            f"U+{ord(character):04X} ({unicodedata.name(character, 'unnamed')}) has no glyph "
                                            f"in the PDF's fonts ({fonts}): print would leave a blank; write it in words "
                                            "or with another character", line=table.lines[index]))
    return problems, []


def required_facts() -> list[dict]:
    return json.loads(REQUIRED_FACTS.read_text(encoding="utf-8"))


def _required_fact_problems(tables: dict[str, Table]) -> list[Problem]:
    problems = []
    for fact in required_facts():
        table, key = tables[fact["table"]], fact["key"]
        matches = [i for i, raw in enumerate(table.raw, start=1) if all(raw[k] == v for k, v in key.items())]
        wanted = ", ".join(f"{k}={v!r}" for k, v in key.items())
        if not matches:
            problems.append(Problem(table.file, None, "+".join(key),
                                    f"the report needs the row where {wanted}, and there is none "
                                    f"(used by {', '.join(fact['used_by'])})"))
        elif len(matches) > 1:
            problems.append(Problem(table.file, matches[1], "+".join(key),
                                    f"the report needs one row where {wanted}; rows {matches} all match",
                                    line=table.lines[matches[1] - 1]))
    return problems


def _unused_source_problems(tables: dict[str, Table]) -> list[Problem]:
    used = {v for name, table in tables.items() if name != "sources"
            for raw in table.raw for k, v in raw.items() if k.endswith("source_id") and v}
    sources = tables["sources"]
    return [Problem(sources.file, i, "source_id", f"source '{raw['source_id']}' is not used by any table; remove it or cite it",
                    line=sources.lines[i - 1])
            for i, raw in enumerate(sources.raw, start=1) if raw["source_id"] not in used]
