"""key_figures.csv: every number the chapters print, with its provenance, collected from their ledgers.

As a chapter runs, gpuipo.publish writes its ledger to _build/generated/ledger/<page>.json: each glued
value with the rows behind it, and each figure and table with the rows it used. This module reads
those ledgers and what each parsed page prints (its glued values, their formats, and whether inside a
hindsight note: gpuipo.extension.marks records them from the doctree) and writes one row per printed
value, figure and table. Nothing is computed again.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from gpuipo.facts.dates import after
from gpuipo.facts.grades import low_authority
from gpuipo.publish.downloads import csv_text
from gpuipo.publish.ledger import served_rows

# The Table Schema of key_figures.csv, the report's own output, published beside it.
KEY_FIGURES = {
    "fields": [
        {"name": "key", "type": "string", "description": "Glue key of the value, figure or table (blank for an unkeyed figure)."},
        {"name": "chapter", "type": "string", "description": "Chapter (1-5), appendix (A) or front page (F) that prints it.",
         "constraints": {"required": True}},
        {"name": "kind", "type": "string", "description": "value, figure or table.",
         "constraints": {"required": True, "enum": ["value", "figure", "table"]}},
        {"name": "value", "type": "number", "description": "The value as computed (before formatting); blank for "
                                                           "text, figures and tables."},
        {"name": "unit", "type": "string", "description": "Unit of the value while it keeps one (e.g. 'CNY million', "
                                                          "'ratio'); 'derived' when arithmetic mixed units; blank when unknown."},
        {"name": "printed", "type": "string", "description": "The text as printed in the report (for a figure or table, "
                                                             "its label and title).", "constraints": {"required": True}},
        {"name": "source_ids", "type": "string", "description": "Space-separated keys (sources.csv) of the documents "
                                                                "behind every row the value was computed from."},
        {"name": "best_grade", "type": "string", "description": "The highest authority grade among those documents (A-D).",
         "constraints": {"enum": ["A", "B", "C", "D"]}},
        {"name": "lowest_grade", "type": "string", "description": "The lowest authority grade among those documents (A-D).",
         "constraints": {"enum": ["A", "B", "C", "D"]}},
        {"name": "low_authority", "type": "boolean", "description": "True when every one of those documents is of grade C "
                                                                    "or D; the report marks such a figure where it prints it.",
         "constraints": {"required": True}},
        {"name": "as_of_earliest", "type": "date", "description": "Earliest as-of date among those rows."},
        {"name": "as_of_latest", "type": "date", "description": "Latest as-of date among those rows."},
        {"name": "known_from_latest", "type": "date", "description": "The day the last of those rows became public: the "
                                                                     "value could be known from then on."},
        {"name": "hindsight", "type": "boolean", "description": "True when a row behind it became public after the "
                                                                "chapter's point in time (22 December 2025 for chapters 1-3).",
         "constraints": {"required": True}},
        {"name": "in_hindsight_note", "type": "boolean", "description": "True when it is printed inside a marked "
                                                                        "hindsight note.", "constraints": {"required": True}},
    ],
    "missingValues": [""],
}

def manifests(root: Path) -> dict[str, dict]:
    """The chapters' ledgers, by page."""
    found = {}
    for path in sorted((root / "_build" / "generated" / "ledger").glob("*.json")):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        found[manifest["page"]] = manifest
    return found


def low_authority_keys(root: Path) -> dict[str, set]:
    """Per page, the glued values that rest only on grade C or D sources (marked where printed)."""
    return {page: {key for key, entry in manifest["glued"].items() if low_authority(served_rows(entry["rows"]))}
            for page, manifest in manifests(root).items()}


def provenance(records, cutoff: str | None) -> dict:
    """What key_figures.csv says of the rows behind a value: their sources, grades, dates and whether any
    became public after the chapter's day (hindsight), by the same rules as the pages."""
    rows = served_rows(records)
    known, as_of = sorted(row.known_from for row in rows), sorted(row.as_of for row in rows)
    grades = sorted({row.grade for row in rows})
    return {"source_ids": " ".join(sorted({row.source_id for row in rows})),
            "best_grade": grades[0] if grades else "", "lowest_grade": grades[-1] if grades else "",
            "low_authority": low_authority(rows),
            "as_of_earliest": as_of[0] if as_of else "", "as_of_latest": as_of[-1] if as_of else "",
            "known_from_latest": known[-1] if known else "", "hindsight": after(rows, cutoff)}


def rows_for(manifest: dict, printed: list, numbers: dict) -> list[dict]:
    """A page's rows of key_figures.csv: each glued value in the order the page prints it (`printed`: key,
    format, inside a hindsight note, as read from the parsed page), then its figures and tables."""
    cutoff = manifest.get("as_known_on")
    out, seen = [], set()
    for key, form, in_note in printed:
        entry = manifest["glued"].get(key)
        if entry is None or (key, form) in seen:
            continue
        seen.add((key, form))
        value = entry["value"]
        shown = ("{:" + form + "}").format(value) if form else str(value)
        out.append({"key": key, "chapter": manifest["chapter"], "kind": "value",
                    "value": value if isinstance(value, (int, float)) else None, "unit": entry["unit"] or "",
                    "printed": shown, **provenance(entry["rows"], cutoff), "in_hindsight_note": in_note})
    for item in manifest["shown"]:
        number = numbers[item["name"]]   # what Sphinx numbered it: the caption the page shows
        out.append({"key": item["name"], "chapter": manifest["chapter"], "kind": item["kind"], "value": None,
                    "unit": "", "printed": f"{number} {item['title']}".strip(), **provenance(item["rows"], cutoff),
                    "in_hindsight_note": False})
    return out


def table(root: Path, numbers: dict, printed: dict[str, list]) -> pd.DataFrame:
    """Every printed value, figure and table of the book's pages: `printed` holds, for each page the book
    builds, the glued values it prints; `numbers` maps a figure's or table's name to its number
    ("Figure 4.2"), as the toolchain assigned it. A ledger left by a page the book no longer has is not read."""
    rows = []
    for page, manifest in manifests(root).items():
        if page in printed:
            rows += rows_for(manifest, printed[page], numbers)
    columns = [f["name"] for f in KEY_FIGURES["fields"]]
    return pd.DataFrame(rows, columns=columns)


def write(root: Path, outdir: Path, numbers: dict, printed: dict[str, list]) -> None:
    """key_figures.csv and its Table Schema, beside the site's pages."""
    frame = table(root, numbers, printed)
    (outdir / "key_figures.csv").write_text(csv_text(frame), encoding="utf-8")
    (outdir / "key_figures.schema.json").write_text(json.dumps(KEY_FIGURES, ensure_ascii=False, indent=2) + "\n",
                                                    encoding="utf-8")
