"""The data appendix: a data dictionary from datapackage.json and the "as of" dates of the data."""
from __future__ import annotations

import pandas as pd

from gpuipo.contract import loader as data
from gpuipo.contract.vocabulary import GRADES
from gpuipo.publish import Markup, code, download, markdown_table, show_bibliography, show_web_only
from gpuipo.publish.bibliography import bib_file


def dictionary(name: str) -> pd.DataFrame:
    resource = data.schema_of(name)
    rows = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        rules = []
        if constraints.get("required"):
            rules.append("required")
        if "enum" in constraints:
            rules.append("one of: " + ", ".join(constraints["enum"]))
        if "minimum" in constraints:
            rules.append(f"≥ {constraints['minimum']}")
        if "pattern" in constraints:
            rules.append("pattern")
        rows.append({"Field": code(field["name"]), "Type": field["type"], "Unit": field.get("unit", ""),
                     "Description": field["description"], "Rules": "; ".join(rules)})
    return pd.DataFrame(rows)


def tables() -> pd.DataFrame:
    rows = []
    for resource in data.validate()["resources"]:
        frame = data.load(resource["name"])
        key = ", ".join(resource["schema"]["primaryKey"])
        rows.append({"Table": download(resource["path"], f"../data/{resource['path']}"),
                     "Rows": str(len(frame)), "Primary key": key, "What it holds": resource["description"]})
    return pd.DataFrame(rows)


def grades() -> pd.DataFrame:
    """The authority grades, what each means, and how many registered sources hold it."""
    from gpuipo.contract.vocabulary import GRADES

    counts = data.load("sources")["grade"].value_counts()
    return pd.DataFrame({"Grade": list(GRADES), "What the document is": list(GRADES.values()),
                         "Sources": [int(counts.get(grade, 0)) for grade in GRADES]})


def show_dictionaries() -> None:
    """Every table's fields, on the site only: the PDF lists the tables and points here."""
    for name in data.table_names():
        show_web_only(Markup(f"```{{rubric}} {name}.csv\n```"), data.schema_of(name)["description"],
                      f"Fields of {name}.csv.", Markup(markdown_table(dictionary(name))))


def show_source_registry() -> None:
    """Every registered source, one list per authority grade under its own heading (on the site; print
    gathers the lists into its bibliography, with the same headings)."""
    for grade, meaning in GRADES.items():
        show_bibliography(f"Grade {grade}", meaning[:1].upper() + meaning[1:] + ".", bib_file(grade))
