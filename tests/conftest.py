import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def data_copy(tmp_path):
    """A scratch copy of data/ that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
