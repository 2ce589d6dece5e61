"""One rule per idea, each in one place: how a day is written, what is a schedule, what is hindsight, what
the data is "as of" (gpuipo.facts.dates); and the code's layers, which depend one way only."""
import ast
import json
import re

import pandas as pd
import pytest

from gpuipo.contract.schema import descriptor
from gpuipo.contract.vocabulary import AS_OF_COLUMNS, ARTICLE_DATE, SCHEDULED_TABLES
from gpuipo.facts import Facts, dates
from gpuipo.publish.ledger import served_rows

from .site import ROOT

pytestmark = [pytest.mark.data]

LIBRARY = ROOT / "gpuipo"
NOTEBOOKS = [ROOT / "index.ipynb", *sorted((ROOT / "chapters").glob("*.ipynb")), *sorted((ROOT / "appendix").glob("*.ipynb"))]
# The layers, bottom up; a module may import only from its own layer or those below it.
LAYERS = ["paths", "reads", "contract", "facts", "shared", "chapters", "publish", "build", "extension"]
LONGEST_MODULE = 360   # lines: "about 350"


def modules():
    return sorted(path for path in LIBRARY.rglob("*.py") if "__pycache__" not in path.parts)


def layer_of(dotted: str) -> str:
    return dotted.split(".")[1] if dotted.count(".") else ""


@pytest.mark.parametrize("form, expected", [("day", "2 January 2026"), ("day_month", "2 January"),
                                            ("short", "2 Jan 2026"), ("month", "January 2026"),
                                            ("short_month", "Jan 2026"), ("year", "2026"), ("iso", "2026-01-02")])
def test_a_day_is_written_one_way(form, expected):
    assert dates.written(pd.Timestamp("2026-01-02"), form) == expected


def test_no_date_format_is_written_out_anywhere_else():
    """strftime and format codes live in gpuipo/facts/dates.py only: not in other modules, not in notebooks."""
    pattern = re.compile(r"strftime|%[dbBY]\b|:%[dbBY]")
    found = [path.relative_to(ROOT).as_posix() for path in modules()
             if path.name != "dates.py" and pattern.search(path.read_text(encoding="utf-8"))]
    for notebook in NOTEBOOKS:
        code = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        if any(pattern.search("".join(c["source"])) for c in code):
            found.append(notebook.relative_to(ROOT).as_posix())
    assert found == []


def test_a_schedule_is_a_row_public_before_the_day_it_names():
    facts = Facts()
    lockup = facts.rows("offering_dates", offering_id="biren-hk-ipo", event="controlling_holder_lockup_ends")
    close = facts.rows("stock_daily", company_id="biren").iloc[[-1]]
    (scheduled,), (observed,) = facts.served(lockup), facts.served(close)
    assert dates.is_schedule(scheduled) and not dates.is_observation(scheduled)
    assert not dates.is_schedule(observed) and dates.is_observation(observed)
    assert dates.data_as_of([scheduled, observed]) == observed.as_of


def test_the_fields_that_may_name_a_later_day_are_those_of_the_tables_of_schedules():
    flagged = {(resource["name"], field["name"]) for resource in descriptor()["resources"]
               for field in resource["schema"]["fields"] if field.get("scheduled")}
    assert flagged == {(table, AS_OF_COLUMNS[table]) for table in SCHEDULED_TABLES}


def test_as_of_is_one_rule_for_the_package_a_chapter_and_a_point_in_time():
    facts = Facts()
    assert facts.data_as_of() == dates.data_as_of(facts.every_row())
    # A view as known on the article's day is as of no later than that day, by the same rule.
    earlier = Facts(as_known_on=ARTICLE_DATE)
    assert earlier.data_as_of() == dates.data_as_of(facts.every_row(), cutoff=ARTICLE_DATE) <= str(ARTICLE_DATE)


@pytest.mark.build
def test_hindsight_is_one_rule_for_pages_and_key_figures(site):
    ledger = json.loads((ROOT / "_build" / "generated" / "ledger" / "chapters__02_biren.json").read_text(encoding="utf-8"))
    for item in ledger["shown"]:
        assert item["hindsight"] == dates.after(served_rows(item["rows"]), ledger["as_known_on"]), item["name"]


def test_no_import_runs_up_the_layers_and_chapters_never_import_chapters():
    upward, sideways = [], []
    for path in modules():
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        here = layer_of(dotted)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gpuipo"):
                targets = [node.module] if node.module != "gpuipo" else [f"gpuipo.{a.name}" for a in node.names]
                for target in targets:
                    there = layer_of(target)
                    if here in LAYERS and there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                        upward.append(f"{dotted} imports {target}")
                    if here == there == "chapters" and target.split(".")[2] != dotted.split(".")[2]:
                        sideways.append(f"{dotted} imports {target}")
    assert upward == [] and sideways == []


def test_folders_show_the_layers_and_modules_stay_short():
    for path in modules():
        parts = path.relative_to(LIBRARY).parts
        assert len(parts) <= 3, f"{path}: deeper than two folders"
        assert len(parts) == 1 or parts[0] in LAYERS, f"{path}: not in a layer's folder"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= LONGEST_MODULE, f"{path.relative_to(ROOT)} has {lines} lines"
