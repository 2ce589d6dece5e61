"""Hostile or broken edits that `make check-data` must refuse before any build, naming the file and,
where there is one, the row and the column. Each case is injected into its own copy of data/; all
copies are checked at once, each by `make check-data`. (tests/test_hostile_build.py builds the cases
that must pass the check and asserts they reach the site, the LaTeX and the downloads as inert text.)
"""
import datetime
import json
import os
import shutil
import subprocess

import pytest

from gpuipo.contract import loader as data
from gpuipo.contract import printable
from gpuipo import publish

from .csvedit import (ROOT, drop_row, duplicate_row, find_row, get_cell, read_rows, replace_bytes, row_count, set_cell, tool,
                      write_rows)
from .site import cells_text

pytestmark = [pytest.mark.hostile]

SECRET = "SECRET-7f3a9c-not-in-the-repository"


def symlink_table(d, secret_file):
    (d / "index_levels.csv").unlink()
    (d / "index_levels.csv").symlink_to(secret_file)


def truncate_descriptor(d):
    path = d / "datapackage.json"
    path.write_bytes(path.read_bytes()[:5000])


def drop_a_constraint(d):
    path = d / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    fields = next(r for r in descriptor["resources"] if r["name"] == "index_levels")["schema"]["fields"]
    next(f for f in fields if f["name"] == "close")["constraints"].pop("minimum")
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def newline_in_cell(d):
    set_cell(d, "claims", 4, "claim", "Moore Threads rose.\n```{literalinclude} /etc/hostname\n```")


def observed_after_its_source(d):
    """Move an index close to the day after the document that reports it was published."""
    sources = {r[0]: r[3] for r in read_rows(d / "sources.csv")[1:]}
    row = find_row(d, "index_levels", index_id="HSI", date="2026-01-02")
    published = datetime.date.fromisoformat(sources[get_cell(d, "index_levels", row, "source_id")])
    set_cell(d, "index_levels", row, "date", str(published + datetime.timedelta(days=1)))


def blank_line(d):
    path = d / "fx_rates.csv"
    rows = read_rows(path)
    write_rows(path, rows[:3] + [[]] + rows[3:])


def short_row(d):
    path = d / "fx_rates.csv"
    rows = read_rows(path)
    rows[2] = rows[2][:4]
    write_rows(path, rows)


def duplicated_header(d):
    path = d / "fx_rates.csv"
    rows = read_rows(path)
    rows[0][7] = rows[0][6]
    write_rows(path, rows)


def cite_an_index_publisher(d):
    row = find_row(d, "sources", source_id="hsil-2025-hsi")
    set_cell(d, "sources", row, "kind", "index-publisher")
    set_cell(d, "sources", row, "grade", "A")
    set_cell(d, "financials", 1, "source_id", "hsil-2025-hsi")


def biren_row(d, table, **key):
    return find_row(d, table, **key)


def hard_link_table(d, secret_file):
    (d / "index_levels.csv").unlink()
    os.link(secret_file, d / "index_levels.csv")


def unclosed_quote(d):
    """An opening quote on row 3 of companies.csv that nothing closes: the csv module notices only at
    the end of the file."""
    path = d / "companies.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",general-purpose GPUs,", ',"general-purpose GPUs,', 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def many_bad_rows(d):
    """200,000 rows, each with a bad amount: the listing is capped, the rest counted."""
    path = d / "fx_rates.csv"
    rows = read_rows(path)
    rows += [[f"2024-{1 + i % 12:02d}-01", "USD", "CNY", "1", "seven", "market_quote", rows[1][6], "", ""]
             for i in range(BAD_ROWS)]
    write_rows(path, rows)


BAD_ROWS = 200_000
FY2024_REVENUE = {"company_id": "biren", "period": "FY2024", "metric": "revenue"}


# name -> (edit(data_dir, secret_file), file, column, data row named in the message or None)
CASES = {
    # cells the strict parser refuses
    "trailing non-breaking space": (lambda d, s: set_cell(d, "companies", 2, "name_en", "Cambricon\u00a0"), "companies.csv", "name_en", 2),
    "leading space": (lambda d, s: set_cell(d, "companies", 2, "segment", " AI chips"), "companies.csv", "segment", 2),
    "whitespace-only required cell": (lambda d, s: set_cell(d, "companies", 3, "segment", "   "), "companies.csv", "segment", 3),
    "full-width digits": (lambda d, s: set_cell(d, "financials", 3, "value", "３３６.８"), "financials.csv", "value", 3),
    "Arabic-Indic digits": (lambda d, s: set_cell(d, "financials", 3, "value", "٣٣٦"), "financials.csv", "value", 3),
    "digit separator": (lambda d, s: set_cell(d, "offering_terms", 4, "value", "247_692_800"), "offering_terms.csv", "value", 4),
    "NaN": (lambda d, s: set_cell(d, "index_levels", 2, "close", "NaN"), "index_levels.csv", "close", 2),
    "inf": (lambda d, s: set_cell(d, "index_levels", 2, "close", "inf"), "index_levels.csv", "close", 2),
    "1e309 overflows to infinity": (lambda d, s: set_cell(d, "index_changes", 1, "change", "1e309"), "index_changes.csv", "change", 1),
    "leading zero": (lambda d, s: set_cell(d, "mlperf_results", 1, "accelerator_count", "08"), "mlperf_results.csv", "accelerator_count", 1),
    "plus sign on a number": (lambda d, s: set_cell(d, "index_changes", 1, "change", "+17.7"), "index_changes.csv", "change", 1),
    "quoted newline (a directive would follow)": (lambda d, s: newline_in_cell(d), "claims.csv", "claim", 4),
    "tab in a cell": (lambda d, s: set_cell(d, "mlperf_results", 1, "system", "Inspur\tNF5468M6-P"), "mlperf_results.csv", "system", 1),
    "bidirectional override": (lambda d, s: set_cell(d, "companies", 4, "name_en", "Meta\u202eXam"), "companies.csv", "name_en", 4),
    "zero-width space": (lambda d, s: set_cell(d, "offering_terms", 3, "term", "offer\u200b_price"), "offering_terms.csv", "term", 3),
    "formula: =": (lambda d, s: set_cell(d, "claims", 2, "claim", '=HYPERLINK("http://127.0.0.2/","x")'), "claims.csv", "claim", 2),
    "formula: @": (lambda d, s: set_cell(d, "financials", 1, "note", "@SUM(1+1)"), "financials.csv", "note", 1),
    "formula: +": (lambda d, s: set_cell(d, "mlperf_results", 2, "system", "+cmd|' /C calc'!A0"), "mlperf_results.csv", "system", 2),
    "formula: - before text": (lambda d, s: set_cell(d, "companies", 5, "board", "-2+3+cmd|' /C calc'!A0"), "companies.csv", "board", 5),
    "not UTF-8": (lambda d, s: replace_bytes(d, "companies", "寒武纪".encode(), b"\xff\xfe"), "companies.csv", "name_zh", 2),
    "byte-order mark": (lambda d, s: (d / "fx_rates.csv").write_bytes(b"\xef\xbb\xbf" + (d / "fx_rates.csv").read_bytes()), "fx_rates.csv", None, None),
    "blank line": (lambda d, s: blank_line(d), "fx_rates.csv", None, 3),
    "row with missing cells": (lambda d, s: short_row(d), "fx_rates.csv", None, 2),
    "duplicated header": (lambda d, s: duplicated_header(d), "fx_rates.csv", "source_id", None),
    # vocabularies and keys
    "unknown claim target": (lambda d, s: set_cell(d, "claims", 1, "target", "os_system"), "claims.csv", "target", 1),
    "javascript: source address": (lambda d, s: set_cell(d, "sources", 2, "url", "javascript:alert(1)"), "sources.csv", "url", 2),
    "source address with a quote": (lambda d, s: set_cell(d, "sources", 2, "url", 'https://x.org/" onmouseover="alert(1)'), "sources.csv", "url", 2),
    "deleted row the chapters need": (lambda d, s: drop_row(d, "offering_terms", biren_row(d, "offering_terms", offering_id="biren-hk-ipo", term="offer_price")),
                                      "offering_terms.csv", "offering_id+term", None),
    # the package
    "symlinked CSV": (symlink_table, "index_levels.csv", None, None),
    "unlisted CSV": (lambda d, s: (d / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8"), "notes.csv", None, None),
    "folder in data/": (lambda d, s: (d / "extra").mkdir(), "extra", None, None),
    "datapackage.json missing": (lambda d, s: (d / "datapackage.json").unlink(), "datapackage.json", None, None),
    "datapackage.json truncated": (lambda d, s: truncate_descriptor(d), "datapackage.json", None, None),
    "datapackage.json loses a constraint": (lambda d, s: drop_a_constraint(d), "datapackage.json", None, None),
    # rules a reader would expect
    "price dated 2099": (lambda d, s: set_cell(d, "market_observations", 3, "date", "2099-01-02"), "market_observations.csv", "date", 3),
    "source published in the future": (lambda d, s: set_cell(d, "sources", 5, "published", "2031-05"), "sources.csv", "published", 5),
    "observation dated after its source": (lambda d, s: observed_after_its_source(d), "index_levels.csv", "date",
                                           find_row(ROOT / "data", "index_levels", index_id="HSI", date="2026-01-02")),
    "listing before founding": (lambda d, s: set_cell(d, "offering_dates", find_row(d, "offering_dates", offering_id="biren-hk-ipo", event="listing"), "date", "2018-06-01"),
                                "offering_dates.csv", "date", find_row(ROOT / "data", "offering_dates", offering_id="biren-hk-ipo", event="listing")),
    "offer price outside its range": (lambda d, s: set_cell(d, "offering_terms", biren_row(d, "offering_terms", offering_id="biren-hk-ipo", term="offer_price"), "value", "25.00"),
                                      "offering_terms.csv", "value", find_row(ROOT / "data", "offering_terms", offering_id="biren-hk-ipo", term="offer_price")),
    "share above 100 %": (lambda d, s: set_cell(d, "financials", find_row(d, "financials", company_id="biren", period="FY2024", metric="top5_customer_share"), "value", "120"),
                          "financials.csv", "value", find_row(ROOT / "data", "financials", company_id="biren", period="FY2024", metric="top5_customer_share")),
    "negative discount": (lambda d, s: set_cell(d, "offering_terms", find_row(d, "offering_terms", offering_id="biren-2026-10-placing", term="discount_stated"), "value", "-5"),
                          "offering_terms.csv", "value", find_row(ROOT / "data", "offering_terms", offering_id="biren-2026-10-placing", term="discount_stated")),
    "FX amount of 0": (lambda d, s: set_cell(d, "fx_rates", 1, "quote_amount", "0"), "fx_rates.csv", "quote_amount", 1),
    "index close of 0": (lambda d, s: set_cell(d, "index_levels", 1, "close", "0"), "index_levels.csv", "close", 1),
    "revenue cited to an index publisher": (lambda d, s: cite_an_index_publisher(d), "financials.csv", "source_id", 1),
    "a claim cited to the press": (lambda d, s: set_cell(d, "claims", 1, "source_id", "scmp-biren-debut"), "claims.csv", "source_id", 1),
    "one series, two kinds of unit": (lambda d, s: (set_cell(d, "financials", 3, "unit", "count"), set_cell(d, "financials", 3, "currency", "")),
                                      "financials.csv", "unit", 3),
    "duplicate key": (lambda d, s: duplicate_row(d, "fx_rates", 2), "fx_rates.csv", "date+base_currency+quote_currency", row_count("fx_rates") + 1),
    "a library-proxy address": (lambda d, s: set_cell(d, "sources", 2, "url", "https://www-scmp-com.ezproxy.example.edu/a/1"),
                                "sources.csv", "url", 2),
    "a copy graded as the filing": (lambda d, s: (set_cell(d, "sources", 2, "kind", "mirror")), "sources.csv", "grade", 2),
    "a corroboration by the same document": (lambda d, s: set_cell(d, "financials", 1, "corroborated_by",
                                                                   get_cell(d, "financials", 1, "source_id")),
                                             "financials.csv", "corroborated_by", 1),
    "an unknown corroborating source": (lambda d, s: set_cell(d, "financials", 1, "corroborated_by", "no-such-source"),
                                        "financials.csv", "corroborated_by", 1),
    # what the chapters and the PDF then could not handle
    "revenue a thousand times its neighbours (unit typed wrong)": (
        lambda d, s: set_cell(d, "financials", find_row(d, "financials", **FY2024_REVENUE), "unit", "million"),
        "financials.csv", "unit", find_row(ROOT / "data", "financials", **FY2024_REVENUE)),
    "a share price a thousand times the day before": (
        lambda d, s: set_cell(d, "stock_daily", 40, "close", f'{float(get_cell(d, "stock_daily", 40, "close")) * 1000:.2f}'),
        "stock_daily.csv", "close", None),
    "stated_decimals of 400": (lambda d, s: set_cell(d, "claims", 1, "stated_decimals", "400"), "claims.csv", "stated_decimals", 1),
    "a word longer than a printed line": (lambda d, s: set_cell(d, "claims", 2, "claim", "x" * 20_000), "claims.csv", "claim", 2),
    "a character the PDF's fonts lack": (lambda d, s: set_cell(d, "companies", 4, "name_en", "MetaX \U0001F680"),
                                         "companies.csv", "name_en", 4),
    "hard-linked CSV": (hard_link_table, "index_levels.csv", None, None),
    "unclosed quote": (lambda d, s: unclosed_quote(d), "companies.csv", "segment", 3),
    f"{BAD_ROWS:,} bad rows": (lambda d, s: many_bad_rows(d), "fx_rates.csv", "quote_amount", row_count("fx_rates") + 1),
}
NEEDS_PDF_FONTS = {"a character the PDF's fonts lack"}


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """Every case applied to its own copy of data/; make check-data run on all of them at once."""
    secret_file = tmp_path_factory.mktemp("outside") / "secret.csv"
    secret_file.write_text(f"index_id,date,close,source_id,reliability,note\nHSI,2025-01-02,1,{SECRET},x,y\n", encoding="utf-8")
    copies = {}
    for name, (edit, *_rest) in CASES.items():
        directory = tmp_path_factory.mktemp("hostile") / "data"
        shutil.copytree(ROOT / "data", directory)
        edit(directory, secret_file)
        copies[name] = directory
    processes = {name: subprocess.Popen(["make", "-s", "check-data", f"DATA_DIR={directory}"], cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for name, directory in copies.items()}
    return {name: (process.wait(timeout=300), process.stdout.read()) for name, process in processes.items()}


def test_the_corpus_is_large():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", list(CASES))
def test_check_data_refuses_it_naming_file_row_and_column(name, refused):
    if name in NEEDS_PDF_FONTS and printable.coverage()[0] is None:
        if os.environ.get("CI"):
            pytest.fail("the PDF's fonts are not installed, so no glyph can be checked")
        pytest.skip("the PDF's fonts are not installed here")
    returncode, output = refused[name]
    _edit, file, column, row = CASES[name]
    assert returncode != 0, output
    assert f"data/{file}" in output, output
    if column:
        assert f"column '{column}'" in output, output
    if row:
        assert f"row {row} " in output, output
    assert "Traceback" not in output, output
    assert SECRET not in output, "a linked file's content was echoed"
    assert len(output) < 5_000, "the listing of problems is not capped"


def test_a_long_listing_of_problems_ends_with_a_count_per_rule(refused):
    _code, output = refused[f"{BAD_ROWS:,} bad rows"]
    assert f"data validation failed with {BAD_ROWS:,} problem(s)".replace(",", "") in output.replace(",", "")
    assert output.count("is not a number") == 6   # five listed, then the count
    assert f"{BAD_ROWS - 5} more like those above ({BAD_ROWS} in all)" in output


@pytest.mark.parametrize("name", ["NaN", "unknown claim target", "deleted row the chapters need", "symlinked CSV",
                                  "hard-linked CSV", "stated_decimals of 400"])
def test_the_loader_refuses_what_check_data_refuses(name, tmp_path):
    directory = tmp_path / "data"
    shutil.copytree(ROOT / "data", directory)
    secret_file = tmp_path / "secret.csv"
    secret_file.write_text("x\n", encoding="utf-8")
    CASES[name][0](directory, secret_file)
    with pytest.raises(data.DataValidationError):
        data.load("companies", directory)


def test_required_facts_are_what_the_chapters_look_up():
    """gpuipo/contract/required_facts.json (checked by make check-data) lists exactly the rows the chapters read."""
    from gpuipo.contract import validation

    needs = tool("needs")
    assert needs.recorded() == validation.required_facts(), "run python tools/write_required_facts.py"


def test_datapackage_json_is_what_the_schema_generates():
    from gpuipo.contract import schema

    assert (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8") == schema.text(schema.descriptor())


# --- text escaping, by hand --------------------------------------------------------------------

@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "{download}`x <../../etc/passwd>`", "```{literalinclude} /etc/passwd", ":::{raw} html",
    "[x](javascript:alert(1))", "$\\input{/etc/passwd}$", "(target)=", "% comment", "**bold** _it_", "a | b", "&lt;b&gt;",
    "{{ substitution }}", "<!-- comment", "line one\n```{raw} latex\n\\input{/etc/passwd}\n```", "    indented code",
])
def test_text_escapes_every_markup_character(hostile):
    escaped = publish.text(hostile)
    assert "\n" not in escaped and "  " not in escaped
    for index, character in enumerate(escaped):
        if character in "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~":
            assert escaped[index - 1] == "\\", (hostile, escaped)


def test_text_keeps_no_break_spaces_but_no_line_breaks():
    """A date or a number and its mark stay together in print; nothing else about whitespace changes."""
    assert publish.text("2\u00a0Jan\u00a02026") == "2\u00a0Jan\u00a02026"
    assert publish.text("a\u00a0\n\n  b") == "a\u00a0 b"


def test_markup_is_only_built_here():
    """Notebooks display data only through gpuipo.publish, which escapes it."""
    notebooks = [ROOT / "index.ipynb", *sorted((ROOT / "chapters").glob("*.ipynb")), *sorted((ROOT / "appendix").glob("*.ipynb"))]
    for path in notebooks:
        code, prose = cells_text(path, "code"), cells_text(path)
        assert "Markdown(" not in code and "HTML(" not in code, path.name
        assert "glue:md" not in prose, path.name
    for path in (ROOT / "gpuipo").rglob("*.py"):
        if "publish" not in path.relative_to(ROOT / "gpuipo").parts:
            assert "Markdown(" not in path.read_text(encoding="utf-8"), path.name


def test_download_and_cite_refuse_anything_but_plain_names():
    for label, path in [("x", "/etc/passwd"), ("x", "../../a/../../etc/passwd"), ("a b", "x.csv"), ("x`", "x.csv")]:
        with pytest.raises(ValueError):
            publish.download(label, path)
    with pytest.raises(ValueError):
        publish.cite(["ok", "bad`id"])


def test_published_csv_cells_cannot_run_as_formulas():
    import pandas as pd

    frame = pd.DataFrame({"text": ["=1+1", "+SUM(A1)", "-cmd", "@x", "\tx", "fine", "-1.25", "+3"]})
    cells = publish.csv_text(frame).splitlines()[1:]
    assert cells == ["'=1+1", "'+SUM(A1)", "'-cmd", "'@x", "'\tx", "fine", "-1.25", "+3"]
