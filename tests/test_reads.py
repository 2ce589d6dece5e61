"""What a page read, as the build records it (gpuipo.reads) and checks it (gpuipo.extension.state): the
record holds what the page's outputs came from, under the names the checkout gives the files, and no
older run of a notebook escapes the check."""
import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from gpuipo import reads
from gpuipo.extension import state

pytestmark = [pytest.mark.unit]


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A checkout whose data/ is a link to a folder outside it, recording for one page."""
    root, elsewhere = tmp_path / "report", tmp_path / "elsewhere"
    (root / "_build" / "generated").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "prices.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "data").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.setattr(reads, "ROOT", root)
    monkeypatch.setattr(reads, "DATA_DIR", root / "data")
    monkeypatch.setattr(reads, "GENERATED", root / "_build" / "generated")
    monkeypatch.setattr(reads, "_tables", {})
    monkeypatch.setattr(reads, "_recorded", {})
    monkeypatch.setattr(reads, "_modules", lambda: {})
    monkeypatch.setattr(reads, "_written", None)
    monkeypatch.setenv(reads.PAGE, "chapters/04_after_listing")
    return root


def record(root: Path) -> dict:
    return json.loads(reads.record_path("chapters/04_after_listing", root / "_build" / "generated")
                      .read_text(encoding="utf-8"))["files"]


def test_a_table_read_through_a_linked_data_folder_is_recorded_by_its_name_in_the_checkout(checkout):
    content = (checkout / "data" / "prices.csv").read_bytes()
    reads.table("prices", checkout / "data", reads.hashlib.sha256(content).hexdigest())
    assert list(record(checkout)) == ["data/prices.csv"]
    assert reads.changed({"files": record(checkout)}, checkout) == []
    (checkout / "data" / "prices.csv").write_text("a\n2\n", encoding="utf-8")
    assert reads.changed({"files": record(checkout)}, checkout) == ["data/prices.csv"]


def test_an_edit_saved_while_the_page_runs_is_not_recorded_as_read(checkout):
    """The page's outputs come from the bytes first loaded; a later flush must not claim the edited file."""
    table = checkout / "data" / "prices.csv"
    reads.table("prices", checkout / "data", reads.hashlib.sha256(table.read_bytes()).hexdigest())
    table.write_text("a\n3\n", encoding="utf-8")   # saved while the notebook is still running
    reads.table("prices", checkout / "data", reads.hashlib.sha256(table.read_bytes()).hexdigest())
    reads.flush()
    assert reads.changed({"files": record(checkout)}, checkout) == ["data/prices.csv"]


def test_only_the_newest_run_of_a_notebook_is_kept_and_it_is_checked(tmp_path):
    """jupyter-cache keeps a run per version of a notebook's code; the record of what was read is the newest
    run's, so an older run (served if the code is put back) must not survive to be served unchecked."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    srcdir, cache_dir, generated = tmp_path / "book", tmp_path / "cache", tmp_path / "generated"
    (srcdir / "chapters").mkdir(parents=True)
    notebook = srcdir / "chapters" / "page.ipynb"
    cache = get_cache(cache_dir)
    for code in ("x = 1", "x = 2"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code, execution_count=1)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, notebook)
        cache.cache_notebook_bundle(CacheBundleIn(nb, str(notebook)), check_validity=False, overwrite=True)
    assert len(cache.list_cache_records()) == 2
    newest = max(cache.list_cache_records(), key=lambda r: (r.created, r.pk)).pk
    reads.record_path("chapters/page", generated).parent.mkdir(parents=True)
    reads.record_path("chapters/page", generated).write_text(json.dumps({"page": "chapters/page", "files": {}}))
    stale = state.drop_stale_pages(SimpleNamespace(srcdir=str(srcdir)), cache_dir, generated)
    assert stale == set()
    assert [r.pk for r in get_cache(cache_dir).list_cache_records()] == [newest]
