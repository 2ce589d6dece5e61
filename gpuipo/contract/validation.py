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

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from gpuipo.contract import printable, rules, schema
from gpuipo.contract.files import Table, package_problems, read_table
from gpuipo.contract.problems import DataValidationError, Problem

REQUIRED_FACTS = Path(__file__).with_name("required_facts.json")


@dataclass
class Package:
    descriptor: dict
    tables: dict[str, Table]
    notes: list[str] = field(default_factory=list)   # checks that could not run here, and why


def read_package(data_dir: Path | str) -> Package:
    """Read and validate the whole package; raise DataValidationError listing every problem found."""
    directory = Path(data_dir)
    descriptor = schema.descriptor()
    problems = package_problems(directory, descriptor)
    if problems:
        raise DataValidationError(problems)
    tables, problems = {}, []
    for resource in descriptor["resources"]:
        table, found = read_table(directory, resource)
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


# --- stage 2: files and cells ----------------------------------------------------------------------


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
