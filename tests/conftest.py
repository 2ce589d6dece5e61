"""The test tiers (markers, registered in pyproject.toml) and what they share.

- unit: no data package, no build; data: reads data/ and computes, builds nothing; build: reads the site
  built from the current inputs (the `site` fixture builds it once per run, in a second when it is up to
  date); browser: drives Chromium over the built site; pdf: reads the built PDF; hostile: the refusal
  corpus and the build-fault cases (scratch checkouts); notebooks: nbval runs every notebook.
- `make test-fast` runs unit and data (no build, no browser); `make test` runs everything. With CI set,
  a tier whose tool is missing (Chromium, TeX) fails instead of skipping.
"""
import shutil
from pathlib import Path

import pytest

from .site import ensure_site

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def site():
    """The site, built from the current inputs (as `make book` does) once per test run."""
    return ensure_site()


@pytest.fixture
def data_copy(tmp_path):
    """A scratch copy of data/ that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def pytest_collection_modifyitems(config, items):
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.notebooks)
