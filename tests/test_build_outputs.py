"""The build owns its outputs (fast checks, no build): seals, fingerprints through links, the PDF's
record, the staged-site check and the one-line report of a folder that cannot be written. The same
cases run through real builds in tests/test_hostile_build.py."""
import os
import shutil

import pytest

from gpuipo.build import driver as build
from gpuipo.build import inputs
from gpuipo.build import seals

from .csvedit import ROOT, set_cell

pytestmark = [pytest.mark.unit]


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "state"
    (made / "sub").mkdir(parents=True)
    (made / "a.txt").write_text("a", encoding="utf-8")
    (made / "sub" / "b.bin").write_bytes(b"\0b")
    seals.seal(made, "inputs-1")
    return made


def test_a_sealed_folder_is_trusted_as_it_was_left(folder):
    assert seals.broken(folder, "inputs-1") is None


@pytest.mark.parametrize("change, reason", [
    (lambda f: (f / "planted.html").write_text("<script>", encoding="utf-8"),
     "1 file(s) added since it was sealed (planted.html)"),
    (lambda f: (f / "sub" / "b.bin").unlink(), "1 file(s) missing since it was sealed (sub/b.bin)"),
    (lambda f: (f / "a.txt").write_text("A", encoding="utf-8"), "1 file(s) changed since it was sealed (a.txt)"),
    (lambda f: (f / "link").symlink_to(f / "a.txt"), "1 file(s) added since it was sealed (link)"),
    (lambda f: (f / seals.SEAL).unlink(), "no build sealed it"),
])
def test_a_folder_changed_since_its_seal_is_not_trusted(folder, change, reason):
    change(folder)
    assert seals.broken(folder, "inputs-1") == reason


def test_a_folder_built_from_other_inputs_is_not_trusted(folder):
    assert seals.broken(folder, "inputs-2") == "it was built from other inputs"


def test_a_file_whose_reader_rewrites_it_is_sealed_by_what_it_holds(folder):
    """jupyter-cache rewrites its database as it reads it (the time of each read): a digest of what it
    holds seals it instead of its bytes."""
    digests = {"a.txt": lambda path: path.read_text(encoding="utf-8").lower()}
    seals.seal(folder, "inputs-1", digests=digests)
    (folder / "a.txt").write_text("A", encoding="utf-8")
    assert seals.broken(folder, "inputs-1", digests=digests) is None
    (folder / "a.txt").write_text("b", encoding="utf-8")
    assert "changed" in seals.broken(folder, "inputs-1", digests=digests)


def test_fingerprints_follow_links_to_the_content(tmp_path):
    """A data/ that is a link, or a link inside an input folder: the fingerprint is the content's, so an
    edit behind the link is a new input, and a linked copy fingerprints as the real one."""
    real, linked = tmp_path / "real", tmp_path / "linked"
    elsewhere = tmp_path / "elsewhere" / "data"
    for root in (real, linked):
        root.mkdir()
    shutil.copytree(ROOT / "data", real / "data")
    shutil.copytree(ROOT / "data", elsewhere)
    (linked / "data").symlink_to(elsewhere)
    assert inputs.fingerprint(["data"], linked) == inputs.fingerprint(["data"], real)
    before = inputs.fingerprint(["data"], linked)
    set_cell(elsewhere, "fx_rates", 1, "note", "edited behind the link")
    assert inputs.fingerprint(["data"], linked) != before
    (elsewhere / "fx_rates.csv").unlink()
    (elsewhere / "fx_rates.csv").symlink_to(real / "data" / "fx_rates.csv")
    assert inputs.fingerprint(["data"], linked) == inputs.fingerprint(["data"], real)


def test_a_pdf_is_shipped_only_as_the_build_that_made_it_left_it(tmp_path):
    (tmp_path / "_build").mkdir()
    pdf = tmp_path / "_build" / build.PDF_NAME
    pdf.write_bytes(b"%PDF-1.4 built")
    (tmp_path / "_build" / f"{build.PDF_NAME}.inputs").write_text(build.pdf_record(tmp_path, inputs.book(tmp_path)),
                                                                  encoding="utf-8")
    assert build.shipped_pdf(tmp_path) == pdf
    pdf.write_bytes(b"%PDF-1.4 built, then edited")
    assert build.shipped_pdf(tmp_path) is None


def test_the_staged_site_may_hold_only_what_the_build_wrote(tmp_path):
    for name in ("index.html", "_static/vega/vega.min.js", "og/index.png", "og/chapters__99_gone.png", "evil.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert build.foreign_files(tmp_path, {"index.html", "og/index.png"}) == ["evil.html", "og/chapters__99_gone.png"]


def test_a_build_folder_that_is_not_a_folder_is_named_in_one_line(tmp_path):
    (tmp_path / "_build").write_text("", encoding="utf-8")
    assert build.output_problem(tmp_path / "_build" / "stage").endswith("_build: it is not a folder")


def test_a_write_failure_names_the_file_and_the_cause():
    import errno

    failure = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(build.BUILD / "stage" / "x.html"))
    assert build._write_failure(failure) == "cannot write to _build/stage/x.html: the disk is full"


def test_key_figures_read_only_the_ledgers_of_the_books_pages(tmp_path):
    """A ledger left in the generated files by a page the book no longer builds adds nothing: the pages
    come from the parsed book (what each prints), not from the ledgers found."""
    import json

    from gpuipo.publish import keyfigures

    (tmp_path / "_build" / "generated" / "ledger").mkdir(parents=True)
    ledger = {"page": "chapters/gone", "chapter": "9", "as_known_on": None, "shown": [], "preview": None,
              "glued": {"gone_value": {"value": 1, "unit": None, "rows": []}}}
    (tmp_path / "_build" / "generated" / "ledger" / "chapters__gone.json").write_text(json.dumps(ledger), encoding="utf-8")
    printed = [("gone_value", "", False)]
    assert list(keyfigures.table(tmp_path, {}, {"chapters/gone": printed})["key"]) == ["gone_value"]
    assert keyfigures.table(tmp_path, {}, {"index": [], "chapters/kept": printed}).empty
